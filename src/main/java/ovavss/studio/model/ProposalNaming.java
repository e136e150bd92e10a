package ovavss.studio.model;

import java.util.Locale;

/**
 * How a proposer-based method names its proposals from the vocabulary (bundle.json
 * {@code methods.<m>.naming}; the Python reference is {@code methods/pipeline.py name_rows}).
 */
public enum ProposalNaming {
    /** Each (frame, query) row by its own SeAC mask feature, λ·local + (1−λ)·global (the SeAC paper). */
    FEATURES("features"),
    /** Each row by its own local crop embedding. */
    CROP("crop"),
    /**
     * Each query once per window, by the mean of its rows' crop embeddings: imprecise proposer
     * masks make a shape misread in one frame far more often than in most of a window's.
     */
    WINDOW_CROPS("window_crops");

    private final String id;

    ProposalNaming(String id) {
        this.id = id;
    }

    /** The name in bundle.json. */
    public String id() {
        return id;
    }

    /** The naming with this bundle.json name; fails for any other. */
    public static ProposalNaming parse(String id) {
        for (ProposalNaming n : values()) {
            if (n.id.equals(id.toLowerCase(Locale.ROOT))) {
                return n;
            }
        }
        throw new IllegalArgumentException("unknown naming '" + id + "' (features, crop or window_crops)");
    }

    /** What a bundle that declares no naming gets: what each method did before the key existed. */
    public static ProposalNaming defaultFor(AnalysisMethod m) {
        return m == AnalysisMethod.SEAC ? FEATURES : CROP;
    }
}
