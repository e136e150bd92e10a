package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable annotation project: a name, a {@link Vocabulary}, the {@link Clip}s and free
 * string properties. Every change makes a new instance that shares unchanged parts (masks are
 * immutable), so undo states and background saves can hold snapshots without copying.
 */
public record Project(String name, Vocabulary vocabulary, List<Clip> clips, Map<String, String> properties) {
    public Project {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(vocabulary, "vocabulary");
        clips = List.copyOf(clips);
        Map<String, Clip> ids = new LinkedHashMap<>();
        for (Clip c : clips) {
            if (ids.put(c.id(), c) != null) {
                throw new AnnotationException("two clips share the id '" + c.id() + "'");
            }
        }
        properties = Map.copyOf(properties == null ? Map.of() : properties);
    }

    public static Project empty(String name) {
        return new Project(name, Vocabulary.empty(), List.of(), Map.of());
    }

    public Optional<Clip> clip(String id) {
        return clips.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    /** The clip with this id, or a user-facing error. */
    public Clip requireClip(String id) {
        return clip(id).orElseThrow(() -> new AnnotationException("no clip '" + id + "' in the project"));
    }

    /** A copy with {@code c} replacing the clip of the same id, or appended when new. */
    public Project withClip(Clip c) {
        List<Clip> list = new ArrayList<>(clips);
        boolean replaced = false;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id().equals(c.id())) {
                list.set(i, c);
                replaced = true;
            }
        }
        if (!replaced) {
            list.add(c);
        }
        return new Project(name, vocabulary, list, properties);
    }

    public Project withVocabulary(Vocabulary v) {
        return new Project(name, v, clips, properties);
    }

    public Project withProperty(String key, String value) {
        Map<String, String> p = new LinkedHashMap<>(properties);
        if (value == null) {
            p.remove(key);
        } else {
            p.put(key, value);
        }
        return new Project(name, vocabulary, clips, p);
    }
}
