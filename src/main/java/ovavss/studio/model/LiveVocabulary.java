package ovavss.studio.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Relabelling with a live vocabulary: text embeddings are computed once per name (through the
 * supplied encoder, normally {@link InferenceService#textEmbeddings}) and cached; per clip, the
 * logit column of each name is cached too. A vocabulary edit therefore costs text embeddings of
 * the new names, one column each (M×D per window) and the softmax/top-k — never the segmenter
 * or the image encoder.
 *
 * <p>Exactness: the official path averages per-crop logits over a query's valid frames; this
 * averages the crop embeddings first. Logits are linear in the embedding, so both are equal up
 * to float rounding (checked by the golden test).
 */
public final class LiveVocabulary {
    private final Function<List<String>, float[][]> textEncoder;
    private final Map<String, float[]> textCache = new ConcurrentHashMap<>();

    /**
     * @param textEncoder names → ensembled, L2-normalised text embeddings, one row per name
     */
    public LiveVocabulary(Function<List<String>, float[][]> textEncoder) {
        this.textEncoder = textEncoder;
    }

    /** Text embedding of each name, encoding only names not seen before. */
    public float[][] textEmbeddings(List<String> names) {
        List<String> missing = new ArrayList<>();
        for (String n : new HashSet<>(names)) {
            if (!textCache.containsKey(n)) {
                missing.add(n);
            }
        }
        if (!missing.isEmpty()) {
            float[][] emb = textEncoder.apply(missing);
            for (int i = 0; i < missing.size(); i++) {
                textCache.put(missing.get(i), emb[i]);
            }
        }
        float[][] out = new float[names.size()][];
        for (int i = 0; i < names.size(); i++) {
            out[i] = textCache.get(names.get(i));
        }
        return out;
    }

    /** Names whose text embedding is cached. */
    public int cachedNames() {
        return textCache.size();
    }

    /**
     * Labels every finished window of a clip with {@code names} (no duplicates). Safe to call
     * while windows are still streaming in; it labels the windows finished so far.
     */
    public Labelling relabel(ClipAnalysis clip, List<String> names, PostProcessSettings s) {
        if (new HashSet<>(names).size() != names.size()) {
            throw new IllegalArgumentException("vocabulary has duplicate names");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("vocabulary is empty");
        }
        float[][] text = textEmbeddings(names);
        List<WindowAnalysis> ws = clip.windows();
        if (!ws.isEmpty() && ws.get(0).method() != AnalysisMethod.OVAVSS) {
            return relabelProposals(ws, names, text, s);
        }
        clip.retainColumns(names);
        int v = names.size();
        float[][][] cols = new float[v][][];
        for (int c = 0; c < v; c++) {
            cols[c] = clip.column(names.get(c), ws, text[c], s.temperature());
        }
        // the bundle's base calibration: temperature·(cos − γ) for a name it was trained on
        float[] offsets = s.calibration().offsets(names);
        List<List<WindowPostProcessor.Kept>> kept = new ArrayList<>(ws.size());
        for (int w = 0; w < ws.size(); w++) {
            WindowAnalysis a = ws.get(w);
            int m = a.validQueries();
            float[] logits = new float[m * v];
            for (int c = 0; c < v; c++) {
                float[] col = cols[c][w];
                float lowered = s.temperature() * offsets[c];
                for (int i = 0; i < m; i++) {
                    logits[i * v + c] = col[i] - lowered;
                }
            }
            kept.add(WindowPostProcessor.pickFromLogits(a, logits, v, s));
        }
        return new Labelling(names, ws, kept, s);
    }

    /** SeAC and OpenAVS: each window labelled frame by frame against the vocabulary's text embeddings. */
    private static Labelling relabelProposals(List<WindowAnalysis> ws, List<String> names, float[][] text,
                                              PostProcessSettings s) {
        int v = names.size();
        int d = text[0].length;
        float[] flat = new float[v * d];
        for (int c = 0; c < v; c++) {
            System.arraycopy(text[c], 0, flat, c * d, d);
        }
        List<ProposalPostProcessor.Labels> labels = new ArrayList<>(ws.size());
        for (WindowAnalysis a : ws) {
            labels.add(ProposalPostProcessor.label(a, flat, v, names, s));
        }
        return new Labelling(names, ws, s, labels);
    }
}
