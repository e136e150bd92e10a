package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ordered, immutable class list of a project, plus the label space its class indices refer to.
 *
 * <p>The label space is the ordered list of names of a {@code label2idx.json} (background first,
 * index = position). {@code null} means the standard AVSBench-semantic space of 71 names; a
 * dataset with its own {@code label2idx.json} (e.g. a synthetic one) carries its names here so
 * export writes the same file back.
 */
public final class Vocabulary {
    private final List<VocabularyEntry> entries;
    private final Map<String, VocabularyEntry> byName;
    private final List<String> labelSpace;

    public Vocabulary(List<VocabularyEntry> entries, List<String> labelSpace) {
        this.entries = List.copyOf(entries);
        Map<String, VocabularyEntry> m = new LinkedHashMap<>();
        Map<Integer, String> indices = new LinkedHashMap<>();
        for (VocabularyEntry e : this.entries) {
            if (m.put(e.name(), e) != null) {
                throw new AnnotationException("duplicate class name '" + e.name() + "' in vocabulary");
            }
            if (e.classIndex() != null) {
                String prev = indices.put(e.classIndex(), e.name());
                if (prev != null) {
                    throw new AnnotationException("classes '" + prev + "' and '" + e.name()
                            + "' share class index " + e.classIndex());
                }
            }
        }
        if (labelSpace != null) {
            if (labelSpace.isEmpty() || !labelSpace.get(0).equals("background")) {
                throw new AnnotationException("a label space must start with 'background'");
            }
            for (VocabularyEntry e : this.entries) {
                if (e.classIndex() != null && e.classIndex() >= labelSpace.size()) {
                    throw new AnnotationException("class index " + e.classIndex() + " of '" + e.name()
                            + "' is outside the label space of " + labelSpace.size() + " names");
                }
            }
        }
        this.byName = Collections.unmodifiableMap(m);
        this.labelSpace = labelSpace == null ? null : List.copyOf(labelSpace);
    }

    /** An empty vocabulary over the standard AVSBench label space. */
    public static Vocabulary empty() {
        return new Vocabulary(List.of(), null);
    }

    public List<VocabularyEntry> entries() {
        return entries;
    }

    /** Names of the label space, or {@code null} for the standard AVSBench space. */
    public List<String> labelSpace() {
        return labelSpace;
    }

    public Optional<VocabularyEntry> get(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * The class a typed name means: the class of exactly that name, else the first class whose name
     * is the same once both are normalised ({@link LabelNames}), so "Red Circle" finds
     * "red-circle" (and a project saved before the rule still finds its old spellings).
     */
    public Optional<VocabularyEntry> resolve(String name) {
        VocabularyEntry exact = name == null ? null : byName.get(name);
        if (exact != null) {
            return Optional.of(exact);
        }
        String n = LabelNames.normalise(name);
        return n.isEmpty() ? Optional.empty()
                : entries.stream().filter(e -> LabelNames.normalise(e.name()).equals(n)).findFirst();
    }

    public int size() {
        return entries.size();
    }

    /** A copy with {@code entry} added at the end, or replacing the entry of the same name in place. */
    public Vocabulary with(VocabularyEntry entry) {
        List<VocabularyEntry> list = new ArrayList<>(entries);
        int i = indexOf(entry.name());
        if (i >= 0) {
            list.set(i, entry);
        } else {
            list.add(entry);
        }
        return new Vocabulary(list, labelSpace);
    }

    /** A copy without the named class. */
    public Vocabulary without(String name) {
        List<VocabularyEntry> list = new ArrayList<>(entries);
        list.removeIf(e -> e.name().equals(name));
        return new Vocabulary(list, labelSpace);
    }

    private int indexOf(String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary v && v.entries.equals(entries) && java.util.Objects.equals(v.labelSpace, labelSpace);
    }

    @Override
    public int hashCode() {
        return entries.hashCode() * 31 + java.util.Objects.hashCode(labelSpace);
    }
}
