package ovavss.studio.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The official OV-AVSS host post-processing of one 5-keyframe window (OVAVSS.md §2, §3, §6.2),
 * split at the point where the vocabulary enters:
 * <ol>
 *   <li>{@link #analyse}: upsample, validity, boxes, squares, roi_align, blend, CLIP image
 *       embeddings — vocabulary independent, cached in a {@link WindowAnalysis};</li>
 *   <li>{@link #pick}: logits against the text embeddings, per-query mean, softmax, top-k,
 *       score filter;</li>
 *   <li>{@link #labelMaps}: crop the padding, resize to the source size, threshold, first-wins
 *       composition with label ids c+1.</li>
 * </ol>
 * Every step is a pure function; only the image encoder passed in touches a model.
 */
final class WindowPostProcessor {
    private WindowPostProcessor() {
    }

    /** One kept object of a window: a (query, class) pick that passed the score filter. */
    public record Kept(int query, int row, int classIndex, float score, float clipScore, float soundScore) {
    }

    /**
     * Stage 1: everything that does not depend on the vocabulary.
     *
     * @param resizedChw the T resized, unpadded frames, planar [T,3,H,W], values 0..255
     * @param maskLowRes mask logits [Q,T,Hp/s,Wp/s], s the geometry's mask stride
     * @param soundLogits segmenter sound logits [Q,2]
     * @param queries Q
     * @param realFrames frames [0, realFrames) are real; padding frames never yield objects
     */
    public static WindowAnalysis analyse(int index, int firstKeyframe, int realFrames, WindowGeometry g,
                                         float[] resizedChw, float[] maskLowRes, float[] soundLogits, int queries,
                                         PostProcessSettings s, ImageEncoder encoder) {
        return analyse(index, firstKeyframe, realFrames, g, resizedChw, maskLowRes, soundLogits, queries, s, encoder,
                null);
    }

    /**
     * Stage 1 over some of the queries only: {@code eligible[q]} false leaves query q out (the
     * proposer's queries below the objectness cut); null takes every query.
     */
    public static WindowAnalysis analyse(int index, int firstKeyframe, int realFrames, WindowGeometry g,
                                         float[] resizedChw, float[] maskLowRes, float[] soundLogits, int queries,
                                         PostProcessSettings s, ImageEncoder encoder, boolean[] eligible) {
        return analyse(index, firstKeyframe, realFrames, g, resizedChw, maskLowRes, soundLogits, queries, s, encoder,
                eligible, HostParallelism.SEQUENTIAL);
    }

    /** Stage 1 with the queries' upsampling and the crops cut on {@code host}'s threads (same result). */
    static WindowAnalysis analyse(int index, int firstKeyframe, int realFrames, WindowGeometry g,
                                  float[] resizedChw, float[] maskLowRes, float[] soundLogits, int queries,
                                  PostProcessSettings s, ImageEncoder encoder, boolean[] eligible,
                                  HostParallelism host) {
        int t = g.frames();
        int mh = g.maskHeight();
        int mw = g.maskWidth();
        int hp = g.paddedHeight();
        int wp = g.paddedWidth();
        int lowPlane = t * mh * mw;
        if (maskLowRes.length != queries * lowPlane) {
            throw new IllegalArgumentException("mask logits have " + maskLowRes.length + " values, expected "
                    + queries + "x" + t + "x" + mh + "x" + mw);
        }
        float[] sound = soundScores(soundLogits, queries);
        int r = s.clipInputSize();
        int cropSize = 3 * r * r;
        int frameSize = 3 * g.height() * g.width();

        // Upsample only queries that can be valid: bilinear weights are convex, so the upsampled
        // maximum never exceeds the low-resolution maximum (an exact shortcut, not an approximation).
        float[][] up = new float[queries][];
        boolean[][] valid = new boolean[t][queries];
        int[][][] boxes = new int[t][queries][];
        host.forRanges(queries, (from, to) -> {
            for (int q = from; q < to; q++) {
                if (eligible != null && !eligible[q]) {
                    continue;
                }
                float max = Float.NEGATIVE_INFINITY;
                for (int i = 0; i < lowPlane; i++) {
                    max = Math.max(max, maskLowRes[q * lowPlane + i]);
                }
                if (!(MaskOps.sigmoid(max) > s.validMaskProb())) {
                    continue;
                }
                float[] plane = Arrays.copyOfRange(maskLowRes, q * lowPlane, (q + 1) * lowPlane);
                up[q] = MaskOps.resizeBilinear(plane, t, mh, mw, hp, wp);
                for (int f = 0; f < realFrames; f++) {
                    boxes[f][q] = MaskOps.tightBox(up[q], f * hp * wp, hp, wp, s.validMaskProb());
                    valid[f][q] = boxes[f][q] != null;
                }
            }
        });
        // crops in frame-major (t, q) order, as the official nonzero() over [T,Q]
        List<int[]> pairs = new ArrayList<>();
        for (int f = 0; f < t; f++) {
            for (int q = 0; q < queries; q++) {
                if (valid[f][q]) {
                    pairs.add(new int[] {f, q});
                }
            }
        }
        int k = pairs.size();
        float[] crops = new float[k * cropSize];
        host.forRanges(k, (from, to) -> {
            float[] soft = new float[hp * wp]; // scratch of this range only
            for (int i = from; i < to; i++) {
                int f = pairs.get(i)[0];
                int q = pairs.get(i)[1];
                float[] square = MaskOps.topLeftSquare(boxes[f][q]);
                float[] region = MaskOps.roiAlign(resizedChw, f * frameSize, 3, g.height(), g.width(), square, r);
                int off = f * hp * wp;
                // roi_align only reads pixels inside the square (plus the bilinear neighbour), so the
                // soft mask is only computed there; other entries of the scratch plane are never read
                int side = (int) (square[2] - square[0]);
                int ya = Math.max(0, (int) square[1] - 1);
                int yb = Math.min(hp, (int) square[1] + side + 2);
                int xa = Math.max(0, (int) square[0] - 1);
                int xb = Math.min(wp, (int) square[0] + side + 2);
                for (int y = ya; y < yb; y++) {
                    for (int x = xa; x < xb; x++) {
                        soft[y * wp + x] = MaskOps.sigmoid(up[q][off + y * wp + x]);
                    }
                }
                float[] maskRegion = MaskOps.roiAlign(soft, 0, 1, hp, wp, square, r);
                MaskOps.blendAndClipNormalize(region, maskRegion, s.clipMean(), s.clipStd());
                System.arraycopy(region, 0, crops, i * cropSize, cropSize);
            }
        });
        float[] emb = k == 0 ? new float[0] : encoder.encode(crops, k);
        int d = k == 0 ? 0 : emb.length / k;
        ClipScoring.l2NormalizeRows(emb, k, d);

        int[] qs = pairs.stream().mapToInt(p -> p[1]).distinct().sorted().toArray();
        boolean[][] vf = new boolean[qs.length][t];
        float[] mean = new float[qs.length * d];
        float[][] logits = new float[qs.length][];
        for (int m = 0; m < qs.length; m++) {
            int q = qs[m];
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                if (pairs.get(i)[1] == q) {
                    rows.add(i);
                    vf[m][pairs.get(i)[0]] = true;
                }
            }
            float[] me = ClipScoring.meanRows(emb, d, rows.stream().mapToInt(Integer::intValue).toArray());
            System.arraycopy(me, 0, mean, m * d, d);
            logits[m] = Arrays.copyOfRange(maskLowRes, q * lowPlane, (q + 1) * lowPlane);
        }
        return new WindowAnalysis(index, firstKeyframe, realFrames, g, sound, qs, vf, mean, d, emb, logits);
    }

    /** softmax(sound_logits)[:, 0] per query. */
    public static float[] soundScores(float[] soundLogits, int queries) {
        float[] p = Arrays.copyOf(soundLogits, queries * 2);
        ClipScoring.softmaxRows(p, queries, 2);
        float[] out = new float[queries];
        for (int q = 0; q < queries; q++) {
            out[q] = p[q * 2];
        }
        return out;
    }

    /**
     * Stage 2 from per-query logits [M,V] (temperature·mean-embedding·textᵀ): softmax, optional
     * sound gate, top-k, strict score filter; returned sorted by score descending.
     */
    public static List<Kept> pickFromLogits(WindowAnalysis a, float[] logits, int v, PostProcessSettings s) {
        int m = a.validQueries();
        float[] probs = logits.clone();
        ClipScoring.softmaxRows(probs, m, v);
        float[] scores = probs;
        if (s.soundGate()) {
            scores = probs.clone();
            for (int i = 0; i < m; i++) {
                float gate = a.soundScores()[a.queries()[i]];
                for (int c = 0; c < v; c++) {
                    scores[i * v + c] *= gate;
                }
            }
        }
        List<Kept> kept = new ArrayList<>();
        for (ClipScoring.Pick p : ClipScoring.topK(scores, m, v, s.topK())) {
            if (p.score() > s.scoreThreshold()) {
                int q = a.queries()[p.row()];
                kept.add(new Kept(q, p.row(), p.classIndex(), p.score(), probs[p.row() * v + p.classIndex()],
                        a.soundScores()[q]));
            }
        }
        return kept;
    }

    /** Stage 2 from the text embeddings [V,D] (already ensembled and L2-normalised). */
    public static List<Kept> pick(WindowAnalysis a, float[] textEmbeddings, int v, PostProcessSettings s) {
        float[] logits = ClipScoring.logits(a.meanEmbedding(), a.validQueries(), textEmbeddings, v,
                a.embeddingDim(), s.temperature());
        return pickFromLogits(a, logits, v, s);
    }

    /**
     * Binary masks of one valid query (row m of the analysis) at the source size: crop the
     * padding, bilinear resize to (H0, W0), logit &gt; threshold. [T][H0·W0].
     */
    public static boolean[][] queryMasks(WindowAnalysis a, int row, PostProcessSettings s) {
        WindowGeometry g = a.geometry();
        int t = g.frames();
        float[] up = MaskOps.resizeBilinear(a.maskLogits()[row], t, g.maskHeight(), g.maskWidth(),
                g.paddedHeight(), g.paddedWidth());
        float[] src = MaskOps.resizeBilinear(up, t, g.paddedHeight(), g.paddedWidth(), g.height(), g.width(),
                g.sourceHeight(), g.sourceWidth());
        int plane = g.sourceHeight() * g.sourceWidth();
        boolean[][] out = new boolean[t][plane];
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < plane; i++) {
                out[f][i] = src[f * plane + i] > s.maskLogitThreshold();
            }
        }
        return out;
    }

    /**
     * Stage 3: first-wins composition of the kept objects (already score-sorted) into one label
     * map per frame, class c written as c+1, background 0. [T][H0·W0].
     */
    public static int[][] labelMaps(WindowAnalysis a, List<Kept> kept, PostProcessSettings s) {
        int[][] out = ownerMaps(a, kept, s);
        for (int[] frame : out) {
            for (int i = 0; i < frame.length; i++) {
                frame[i] = frame[i] < 0 ? 0 : kept.get(frame[i]).classIndex() + 1;
            }
        }
        return out;
    }

    /**
     * The same first-wins composition, per pixel the index into {@code kept} of the object that
     * owns it, -1 for background: a label map is {@code kept[owner].classIndex + 1}, and each
     * object's visible mask is where it is the owner. [T][H0·W0].
     */
    public static int[][] ownerMaps(WindowAnalysis a, List<Kept> kept, PostProcessSettings s) {
        WindowGeometry g = a.geometry();
        int plane = g.sourceHeight() * g.sourceWidth();
        int[][] out = new int[g.frames()][plane];
        for (int[] frame : out) {
            java.util.Arrays.fill(frame, -1);
        }
        java.util.Map<Integer, boolean[][]> masks = new java.util.HashMap<>();
        for (int j = 0; j < kept.size(); j++) {
            boolean[][] m = masks.computeIfAbsent(kept.get(j).row(), row -> queryMasks(a, row, s));
            for (int f = 0; f < g.frames(); f++) {
                int[] dst = out[f];
                boolean[] src = m[f];
                for (int i = 0; i < plane; i++) {
                    if (dst[i] < 0 && src[i]) {
                        dst[i] = j;
                    }
                }
            }
        }
        return out;
    }
}
