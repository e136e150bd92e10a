package ovavss.studio.model;

import java.util.ArrayList;
import java.util.List;

/**
 * CLIP classification arithmetic of the official path (OVAVSS.md §2.3–§2.4, §3): the prompt
 * ensemble, temperature·cosine logits, per-query averaging, softmax and top-k.
 */
final class ClipScoring {
    private ClipScoring() {
    }

    /** L2-normalises each row of a [n, d] row-major matrix in place (zero rows stay zero). */
    public static void l2NormalizeRows(float[] m, int n, int d) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += (double) m[i * d + j] * m[i * d + j];
            }
            double norm = Math.sqrt(s);
            if (norm > 0) {
                for (int j = 0; j < d; j++) {
                    m[i * d + j] = (float) (m[i * d + j] / norm);
                }
            }
        }
    }

    /**
     * Prompt ensemble of one name: each template embedding ([templates, d]) L2-normalised, the
     * mean taken, and the mean L2-normalised again.
     */
    public static float[] ensemble(float[] perTemplate, int templates, int d) {
        float[] t = perTemplate.clone();
        l2NormalizeRows(t, templates, d);
        float[] mean = new float[d];
        for (int i = 0; i < templates; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += t[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= templates;
        }
        l2NormalizeRows(mean, 1, d);
        return mean;
    }

    /** temperature · A·Bᵀ for A [n,d] and B [v,d] (both row-major) → [n,v]. */
    public static float[] logits(float[] a, int n, float[] b, int v, int d, float temperature) {
        float[] out = new float[n * v];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < v; c++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (double) a[i * d + j] * b[c * d + j];
                }
                out[i * v + c] = (float) (temperature * s);
            }
        }
        return out;
    }

    /**
     * Row mean of the rows of {@code m} ([n,d]) listed in {@code rows}. Used for the per-query
     * average over valid frames: because the logits are linear in the image embedding, the mean
     * of a query's logits equals the logits of its mean embedding, which is what the live
     * vocabulary caches.
     */
    public static float[] meanRows(float[] m, int d, int[] rows) {
        float[] out = new float[d];
        for (int r : rows) {
            for (int j = 0; j < d; j++) {
                out[j] += m[r * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            out[j] /= rows.length;
        }
        return out;
    }

    /** Softmax of each row of [n,v] in place (max-subtracted, as torch). */
    public static void softmaxRows(float[] m, int n, int v) {
        double[] e = new double[v];
        for (int i = 0; i < n; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < v; c++) {
                max = Math.max(max, m[i * v + c]);
            }
            double sum = 0;
            for (int c = 0; c < v; c++) {
                e[c] = Math.exp(m[i * v + c] - max);
                sum += e[c];
            }
            for (int c = 0; c < v; c++) {
                m[i * v + c] = (float) (e[c] / sum);
            }
        }
    }

    /**
     * One (row, class) pick of the top-k.
     *
     * @param row row index into the [M,V] score matrix
     * @param classIndex 0-based class
     * @param score probability
     */
    public record Pick(int row, int classIndex, float score) {
    }

    /**
     * Top-k over the flattened [n,v] scores, sorted by score descending. Ties are broken by flat
     * index (the official {@code topk(sorted=False)} + stable sort leaves tie order to the
     * kernel; this is the deterministic stand-in). k is capped at n·v (the official code would
     * fail when fewer than k scores exist).
     */
    public static List<Pick> topK(float[] scores, int n, int v, int k) {
        int total = n * v;
        int kk = Math.min(k, total);
        boolean[] taken = new boolean[total];
        List<Pick> out = new ArrayList<>(kk);
        // k is small (10): k selection passes beat a full sort and keep primitives unboxed
        for (int pass = 0; pass < kk; pass++) {
            int best = -1;
            for (int i = 0; i < total; i++) {
                if (!taken[i] && (best < 0 || scores[i] > scores[best])) {
                    best = i;
                }
            }
            taken[best] = true;
            out.add(new Pick(best / v, best % v, scores[best]));
        }
        return out;
    }
}
