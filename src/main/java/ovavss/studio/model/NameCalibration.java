package ovavss.studio.model;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Calibrated naming (calibrated stacking, Chao et al. 2016) for the proposer-based methods: a
 * proposal is named by argmax over the vocabulary of cos(crop, name) − γ·[name was trained on].
 * An image tower trained on the base names alone pulls an object of a novel name towards a base
 * name that shares most of its look (on AV-Shapes: its colour), so lowering the base names by a
 * small γ, chosen on the val split, names novel objects right more often. The Python reference is
 * {@code models/methods/pipeline.py name_rows}.
 *
 * @param gamma how much a base name's cosine is lowered (0: plain argmax)
 * @param baseKeys the {@link #key}s of the names the bundle was trained on ({@code vocabulary.base})
 */
public record NameCalibration(float gamma, Set<String> baseKeys) {
    /** No calibration: every name competes on its cosine alone. */
    public static final NameCalibration NONE = new NameCalibration(0f, Set.of());

    public NameCalibration {
        baseKeys = Set.copyOf(baseKeys);
    }

    /** γ over a bundle's base vocabulary. */
    public static NameCalibration of(float gamma, Collection<String> baseNames) {
        return new NameCalibration(gamma, baseNames.stream().map(NameCalibration::key).collect(Collectors.toSet()));
    }

    /**
     * A name as the calibration compares it: lower case, runs of whitespace, '-' and '_' as one space,
     * trimmed — "Red-Circle" and "red circle" are the same name to a user (and to the demo tokenizer).
     */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT).trim().replaceAll("[\\s_-]+", " ").trim();
    }

    /** Per vocabulary entry, what is subtracted from its cosine before the argmax. [V] */
    public float[] offsets(List<String> vocabulary) {
        float[] out = new float[vocabulary.size()];
        if (gamma != 0f) {
            for (int c = 0; c < out.length; c++) {
                out[c] = baseKeys.contains(key(vocabulary.get(c))) ? gamma : 0f;
            }
        }
        return out;
    }
}
