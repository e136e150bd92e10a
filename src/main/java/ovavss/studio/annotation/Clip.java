package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One annotated clip: a media reference, the span of it that is annotated, the keyframe times
 * (seconds from {@code mediaStart}, see {@link KeyframeTimes} for the default grid), the frame
 * size every mask has, the sounding objects and free string attributes (e.g. the AVSBench
 * {@code vid}, {@code split}, {@code label} subset, {@code a_obj}).
 *
 * @param id         unique clip id (the AVSBench {@code uid} when exported)
 * @param media      path or URI of the media file or AVSBench clip folder
 * @param mediaStart start of the clip inside the media, seconds
 * @param duration   clip length, seconds
 */
public record Clip(String id, String media, double mediaStart, double duration, List<Double> keyframeTimes,
                   int width, int height, List<SoundingObject> objects, Map<String, String> attributes) {
    /**
     * Most keyframes a project file may give one clip: ten hours at one keyframe per second, or
     * 40 minutes at the 25 fps of every frame. More is refused when a project is read (a file
     * claiming 200,000 made export run for hours).
     */
    public static final int MAX_KEYFRAMES = 36_000;

    /** Widest or tallest frame a project file may give one clip (the media limit: 8K). */
    public static final int MAX_SIDE = 8_192;

    /**
     * Refuses a clip beyond {@link #MAX_KEYFRAMES} or {@link #MAX_SIDE}; called where clips come
     * from outside (a project file), before their masks are decoded.
     */
    public static void checkLimits(String id, int keyframes, int width, int height) {
        if (keyframes > MAX_KEYFRAMES) {
            throw new AnnotationException("clip '" + id + "' has " + keyframes + " keyframes; the limit is "
                    + MAX_KEYFRAMES + " keyframes per clip");
        }
        if (width > MAX_SIDE || height > MAX_SIDE) {
            throw new AnnotationException("clip '" + id + "' has frames of " + width + "x" + height
                    + "; the limit is " + MAX_SIDE + " pixels a side");
        }
    }

    public Clip {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new AnnotationException("a clip id must not be blank");
        }
        if (width <= 0 || height <= 0) {
            throw new AnnotationException("clip '" + id + "' has invalid frame size " + width + "x" + height);
        }
        if (!(duration >= 0) || !(mediaStart >= 0)) {
            throw new AnnotationException("clip '" + id + "' has an invalid time span");
        }
        try {
            keyframeTimes = KeyframeTimes.of(keyframeTimes).asList();
        } catch (AnnotationException e) {
            throw new AnnotationException("clip '" + id + "': " + e.getMessage());
        }
        objects = List.copyOf(objects == null ? List.of() : objects);
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (SoundingObject o : objects) {
            if (!ids.add(o.id())) {
                throw new AnnotationException("clip '" + id + "' has two objects with id '" + o.id() + "'");
            }
            for (Map.Entry<Integer, ObjectFrame> e : o.frames().entrySet()) {
                Mask m = e.getValue().mask();
                if (e.getKey() < 0 || e.getKey() >= keyframeTimes.size()) {
                    throw new AnnotationException("object '" + o.id() + "' of clip '" + id
                            + "' has a mask for missing keyframe " + e.getKey());
                }
                if (m.width() != width || m.height() != height) {
                    throw new AnnotationException("object '" + o.id() + "' of clip '" + id + "' has a "
                            + m.width() + "x" + m.height() + " mask on a " + width + "x" + height + " clip");
                }
            }
        }
        attributes = Map.copyOf(attributes == null ? Map.of() : attributes);
    }

    /** The default keyframe times of a clip of {@code duration} seconds ({@link KeyframeTimes#onePerSecond}). */
    public static List<Double> defaultKeyframes(double duration) {
        return KeyframeTimes.onePerSecond(duration).asList();
    }

    /** A clip with no objects on the default one-per-second grid. */
    public static Clip of(String id, String media, double duration, int width, int height) {
        return new Clip(id, media, 0, duration, defaultKeyframes(duration), width, height, List.of(), Map.of());
    }

    public int keyframeCount() {
        return keyframeTimes.size();
    }

    /** The keyframe times with their lookups, seconds from {@code mediaStart}. */
    public KeyframeTimes keyframes() {
        return KeyframeTimes.of(keyframeTimes);
    }

    /** The keyframe times in media time (seconds from the start of the media). */
    public KeyframeTimes mediaKeyframes() {
        return keyframes().shifted(mediaStart);
    }

    public Optional<SoundingObject> object(String objectId) {
        return objects.stream().filter(o -> o.id().equals(objectId)).findFirst();
    }

    /** A copy with {@code o} replacing the object of the same id, or appended when new. */
    public Clip withObject(SoundingObject o) {
        List<SoundingObject> list = new ArrayList<>(objects);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(o.id())) {
                list.set(i, o);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(o);
        }
        return new Clip(id, media, mediaStart, duration, keyframeTimes, width, height, list, attributes);
    }

    public Clip withoutObject(String objectId) {
        List<SoundingObject> list = new ArrayList<>(objects);
        list.removeIf(o -> o.id().equals(objectId));
        return new Clip(id, media, mediaStart, duration, keyframeTimes, width, height, list, attributes);
    }

    public Clip withAttributes(Map<String, String> attrs) {
        return new Clip(id, media, mediaStart, duration, keyframeTimes, width, height, objects, attrs);
    }

    /** One object's entry at a keyframe, as it is painted into a label map. */
    public record Layer(SoundingObject object, ObjectFrame frame) {
    }

    /**
     * The sounding, non-empty entries of keyframe {@code k} that {@code which} accepts, in the
     * order the AVSBench composition paints them (the first painter wins a pixel): human entries
     * before model entries; among human ones the higher {@code zOrder} first (ties: the object
     * later in {@link #objects()} first), among model ones the higher score first.
     */
    public List<Layer> soundingLayers(int k, Predicate<ObjectFrame> which) {
        return layers(k, which, SoundFlag::isSounding);
    }

    /** Like {@link #soundingLayers}, with the sound flags that count given ({@code counts}). */
    public List<Layer> layers(int k, Predicate<ObjectFrame> which, Predicate<SoundFlag> counts) {
        record Item(SoundingObject o, ObjectFrame f, int order) {
        }
        List<Item> items = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            SoundingObject o = objects.get(i);
            ObjectFrame f = o.frame(k);
            if (f != null && which.test(f) && counts.test(f.sound()) && !f.mask().isEmpty()) {
                items.add(new Item(o, f, i));
            }
        }
        items.sort(Comparator.<Item>comparingInt(it -> it.f().provenance() == Provenance.HUMAN ? 0 : 1)
                .thenComparing((a, b) -> a.f().provenance() == Provenance.HUMAN
                        ? (a.o().zOrder() != b.o().zOrder() ? Integer.compare(b.o().zOrder(), a.o().zOrder())
                        : Integer.compare(b.order(), a.order()))
                        : Double.compare(b.f().score(), a.f().score())));
        return items.stream().map(it -> new Layer(it.o(), it.f())).toList();
    }

    /** A fresh object id ("o1", "o2", ...) not used in this clip. */
    public String newObjectId() {
        for (int i = 1; ; i++) {
            String c = "o" + i;
            if (object(c).isEmpty()) {
                return c;
            }
        }
    }
}
