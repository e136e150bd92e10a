package ovavss.studio.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The cached, vocabulary-independent analysis of one clip: one {@link WindowAnalysis} per
 * 5-keyframe window, appended as windows finish (thread-safe), plus per-name logit columns so
 * a vocabulary edit only computes columns for names it has not seen.
 */
public final class ClipAnalysis {
    private final int keyframes;
    private final List<WindowAnalysis> windows = Collections.synchronizedList(new ArrayList<>());
    /** name → per window, temperature·meanEmbedding·text for each valid query. */
    private final Map<String, float[][]> columns = new ConcurrentHashMap<>();

    public ClipAnalysis(int keyframes) {
        this.keyframes = keyframes;
    }

    /** Keyframes analysed in all (real frames, without window padding). */
    public int keyframes() {
        return keyframes;
    }

    /** Adds a finished window (windows may be added while others read). */
    public void add(WindowAnalysis w) {
        windows.add(w);
        columns.clear(); // cached columns are per window list; recompute lazily
    }

    /** A snapshot of the windows finished so far, in order. */
    public List<WindowAnalysis> windows() {
        synchronized (windows) {
            List<WindowAnalysis> copy = new ArrayList<>(windows);
            copy.sort(java.util.Comparator.comparingInt(WindowAnalysis::index));
            return copy;
        }
    }

    float[][] column(String name, List<WindowAnalysis> ws, float[] text, float temperature) {
        float[][] c = columns.get(name);
        if (c != null && c.length == ws.size()) {
            return c;
        }
        float[][] out = new float[ws.size()][];
        for (int w = 0; w < ws.size(); w++) {
            WindowAnalysis a = ws.get(w);
            out[w] = ClipScoring.logits(a.meanEmbedding(), a.validQueries(), text, 1, a.embeddingDim(), temperature);
        }
        columns.put(name, out);
        return out;
    }

    /** Drops cached columns of names no longer in use. */
    void retainColumns(java.util.Collection<String> names) {
        columns.keySet().retainAll(names);
    }
}
