package ovavss.studio.model;

import java.util.List;
import java.util.Locale;

/**
 * The ways a bundle can find and name sounding objects. OV-AVSS is every bundle's own; the other
 * two are the papers' alternatives, offered when the bundle declares them under {@code methods}
 * (MODEL_BUNDLE.md) and carries their graphs.
 */
public enum AnalysisMethod {
    /** Audio-conditioned segmenter, CLIP names the masks (the official OV-AVSS host path). */
    OVAVSS("ovavss", "OV-AVSS", List.of()),
    /** Segment (image-only proposer), associate (audio–mask similarity), classify (CLIP). */
    SEAC("seac", "SeAC", List.of("proposer.pt", "association_audio.pt", "association_mask.pt")),
    /** Audio → names (audio–text tower), names → masks (proposer masks named by CLIP). */
    OPENAVS("openavs", "OpenAVS", List.of("proposer.pt", "audio_text.pt"));

    private final String id;
    private final String label;
    private final List<String> graphs;

    AnalysisMethod(String id, String label, List<String> graphs) {
        this.id = id;
        this.label = label;
        this.graphs = graphs;
    }

    /** The name used in bundle.json, on the command line and in saved settings. */
    public String id() {
        return id;
    }

    /** The name shown to people. */
    public String label() {
        return label;
    }

    /** The graphs the method needs beyond the four every bundle carries. */
    public List<String> graphs() {
        return graphs;
    }

    /** True for the methods that run the image-only proposer instead of the segmenter. */
    public boolean usesProposer() {
        return this != OVAVSS;
    }

    /** Parses an id ("ovavss", "seac", "openavs"; case-insensitive). */
    public static AnalysisMethod parse(String s) {
        for (AnalysisMethod m : values()) {
            if (m.id.equalsIgnoreCase(s.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + s + "' (ovavss, seac or openavs)");
    }

    @Override
    public String toString() {
        return label;
    }

    static String idsOf(List<AnalysisMethod> ms) {
        return String.join(", ", ms.stream().map(m -> m.id.toLowerCase(Locale.ROOT)).toList());
    }
}
