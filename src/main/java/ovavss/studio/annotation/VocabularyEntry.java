package ovavss.studio.annotation;

import java.util.List;
import java.util.Objects;

/**
 * One class of a project vocabulary.
 *
 * @param name       the label, unique in its vocabulary (AVSBench style: lower case, '-' inside names)
 * @param rgb        display colour as 0xRRGGBB
 * @param classIndex index in the vocabulary's label space (AVSBench's 71 classes by default, or the
 *                   dataset's own {@code label2idx.json}); {@code null} when the class is not part of
 *                   it (exports then give it the next free palette index)
 * @param split      base/novel tag for open-vocabulary evaluation
 * @param synonyms   free extra names (prompts, search); never used as identifiers
 */
public record VocabularyEntry(String name, int rgb, Integer classIndex, ClassSplit split, List<String> synonyms) {
    public VocabularyEntry {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new AnnotationException("a class name must not be blank");
        }
        if (name.equals("background")) {
            throw new AnnotationException("'background' is implicit and cannot be a vocabulary class");
        }
        if (classIndex != null && (classIndex < 1 || classIndex > 255)) {
            throw new AnnotationException("class index of '" + name + "' must be in 1..255, got " + classIndex);
        }
        split = split == null ? ClassSplit.UNTAGGED : split;
        synonyms = synonyms == null ? List.of() : List.copyOf(synonyms);
        rgb &= 0xFFFFFF;
    }

    /**
     * What the model is asked for this class: its first synonym when it has one, else its name. A
     * class renamed keeping its objects keeps its old words here, so the model still finds what
     * it found, now under the new name.
     */
    public String prompt() {
        return synonyms.isEmpty() ? name : synonyms.get(0);
    }

    /** A class with no label-space index, no tag and no synonyms. */
    public static VocabularyEntry of(String name, int rgb) {
        return new VocabularyEntry(name, rgb, null, ClassSplit.UNTAGGED, List.of());
    }
}
