package ovavss.studio.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The result of labelling a {@link ClipAnalysis} with one vocabulary: the kept objects of every
 * window, and label maps composed on demand (they are large; the UI asks per visible frame).
 */
public final class Labelling {
    private final List<String> vocabulary;
    private final List<WindowAnalysis> windows;
    private final List<List<WindowPostProcessor.Kept>> kept;
    private final PostProcessSettings settings;
    /** SeAC / OpenAVS: each window's objects and owner maps (null for OV-AVSS). */
    private final List<ProposalPostProcessor.Labels> proposalLabels;

    Labelling(List<String> vocabulary, List<WindowAnalysis> windows, List<List<WindowPostProcessor.Kept>> kept,
              PostProcessSettings settings) {
        this.vocabulary = List.copyOf(vocabulary);
        this.windows = windows;
        this.kept = kept;
        this.settings = settings;
        this.proposalLabels = null;
    }

    /** A labelling by SeAC or OpenAVS, whose windows were labelled frame by frame. */
    Labelling(List<String> vocabulary, List<WindowAnalysis> windows, PostProcessSettings settings,
              List<ProposalPostProcessor.Labels> labels) {
        this.vocabulary = List.copyOf(vocabulary);
        this.windows = windows;
        this.kept = null;
        this.settings = settings;
        this.proposalLabels = labels;
    }

    /** The method the windows were analysed with. */
    public AnalysisMethod method() {
        return windows.isEmpty() ? AnalysisMethod.OVAVSS : windows.get(0).method();
    }

    public List<String> vocabulary() {
        return vocabulary;
    }

    /** Number of windows labelled. */
    public int windowCount() {
        return windows.size();
    }

    public WindowAnalysis window(int w) {
        return windows.get(w);
    }

    /** Kept objects of a window, highest score first. */
    public List<ObjectPrediction> objects(int w) {
        if (proposalLabels != null) {
            return proposalLabels.get(w).objects();
        }
        WindowAnalysis a = windows.get(w);
        List<ObjectPrediction> out = new ArrayList<>();
        for (WindowPostProcessor.Kept k : kept.get(w)) {
            boolean[] vf = a.validFrames()[k.row()];
            int n = 0;
            for (boolean b : vf) {
                n += b ? 1 : 0;
            }
            int[] frames = new int[n];
            n = 0;
            for (int f = 0; f < vf.length; f++) {
                if (vf[f]) {
                    frames[n++] = a.firstKeyframe() + f;
                }
            }
            out.add(new ObjectPrediction(a.index(), k.query(), k.classIndex(), vocabulary.get(k.classIndex()),
                    k.score(), k.clipScore(), k.soundScore(), frames));
        }
        return out;
    }

    /** All kept objects of all windows. */
    public List<ObjectPrediction> allObjects() {
        List<ObjectPrediction> out = new ArrayList<>();
        for (int w = 0; w < windows.size(); w++) {
            out.addAll(objects(w));
        }
        return out;
    }

    /** Label maps [T][H0·W0] of a window (label id = class + 1, background 0); padded frames included. */
    public int[][] labelMaps(int w) {
        if (proposalLabels != null) {
            List<ObjectPrediction> objects = proposalLabels.get(w).objects();
            int[][] owners = ownerMaps(w);
            for (int[] frame : owners) {
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = frame[i] < 0 ? 0 : objects.get(frame[i]).classIndex() + 1;
                }
            }
            return owners;
        }
        return WindowPostProcessor.labelMaps(windows.get(w), kept.get(w), settings);
    }

    /**
     * Per pixel, the index into {@link #objects(int) objects(w)} of the object shown there (the
     * first-wins composition of {@link #labelMaps}), -1 for background. [T][H0·W0]
     */
    public int[][] ownerMaps(int w) {
        if (proposalLabels != null) {
            int[][] owners = proposalLabels.get(w).owners();
            int[][] copy = new int[owners.length][];
            for (int f = 0; f < owners.length; f++) {
                copy[f] = owners[f].clone();
            }
            return copy;
        }
        return WindowPostProcessor.ownerMaps(windows.get(w), kept.get(w), settings);
    }

    /** Binary masks [T][H0·W0] of one object of a window (for overlays and outlines). */
    public boolean[][] objectMasks(int w, ObjectPrediction o) {
        if (proposalLabels != null) {
            // SeAC and OpenAVS decide per pixel: an object's mask is where it was given the pixel
            int index = proposalLabels.get(w).objects().indexOf(o);
            if (index < 0) {
                throw new IllegalArgumentException("not an object of window " + w + ": " + o);
            }
            int[][] owners = proposalLabels.get(w).owners();
            boolean[][] out = new boolean[owners.length][];
            for (int f = 0; f < owners.length; f++) {
                out[f] = new boolean[owners[f].length];
                for (int i = 0; i < owners[f].length; i++) {
                    out[f][i] = owners[f][i] == index;
                }
            }
            return out;
        }
        WindowAnalysis a = windows.get(w);
        for (int m = 0; m < a.queries().length; m++) {
            if (a.queries()[m] == o.query()) {
                return WindowPostProcessor.queryMasks(a, m, settings);
            }
        }
        throw new IllegalArgumentException("query " + o.query() + " is not valid in window " + w);
    }
}
