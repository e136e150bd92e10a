package ovavss.studio.annotation;

import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An object tracked through a clip: a stable id, a vocabulary label, a z-order (higher is drawn
 * on top when human masks overlap) and, per keyframe index, an {@link ObjectFrame}. Keyframes
 * without an entry mean "not annotated / not visible".
 */
public record SoundingObject(String id, String label, int zOrder, SortedMap<Integer, ObjectFrame> frames) {
    public SoundingObject {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(label, "label");
        if (id.isBlank()) {
            throw new AnnotationException("an object id must not be blank");
        }
        frames = Collections.unmodifiableSortedMap(new TreeMap<>(frames == null ? new TreeMap<>() : frames));
    }

    public static SoundingObject of(String id, String label) {
        return new SoundingObject(id, label, 0, new TreeMap<>());
    }

    public ObjectFrame frame(int keyframe) {
        return frames.get(keyframe);
    }

    /** A copy with keyframe {@code k} set to {@code f}, or removed when {@code f} is null. */
    public SoundingObject withFrame(int k, ObjectFrame f) {
        TreeMap<Integer, ObjectFrame> m = new TreeMap<>(frames);
        if (f == null) {
            m.remove(k);
        } else {
            m.put(k, f);
        }
        return new SoundingObject(id, label, zOrder, m);
    }

    public SoundingObject withLabel(String newLabel) {
        return new SoundingObject(id, newLabel, zOrder, frames);
    }

    public SoundingObject withZOrder(int z) {
        return new SoundingObject(id, label, z, frames);
    }

    /** True when every keyframe entry is the model's: no person has drawn or confirmed any of it. */
    public boolean isModelOnly() {
        return frames().values().stream().allMatch(f -> f.provenance() == Provenance.MODEL);
    }
}
