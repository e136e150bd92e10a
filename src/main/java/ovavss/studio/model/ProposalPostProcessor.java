package ovavss.studio.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SeAC and OpenAVS on one window, split like {@link WindowPostProcessor} at the point where the
 * vocabulary enters. Before it: which proposer queries take part ({@link #eligible}), SeAC's global
 * views ({@link #globalViews}) and mask features ({@link #mixViews}). After it: {@link #label},
 * SeAC's category-aware similarity aggregation or OpenAVS's prompt matching, frame by frame. The
 * Python reference is {@code models/methods} (seac.py, openavs.py, evaluate.py); the golden test
 * compares the two.
 */
final class ProposalPostProcessor {
    private ProposalPostProcessor() {
    }

    /**
     * Queries whose objectness softmax(logits)[0] reaches the bundle's minimum and that are among
     * its {@code top} most confident (ties keep the lower query first). [Q]
     */
    static boolean[] eligible(float[] objectness, int queries, MethodSettings s) {
        Integer[] order = new Integer[queries];
        for (int q = 0; q < queries; q++) {
            order[q] = q;
        }
        Arrays.sort(order, (a, b) -> Float.compare(objectness[b], objectness[a]));
        boolean[] out = new boolean[queries];
        for (int i = 0; i < Math.min(s.topProposals(), queries); i++) {
            int q = order[i];
            out[q] = objectness[q] >= s.minObjectness();
        }
        return out;
    }

    /** 1-D Gaussian of radius ceil(3σ), summing to 1. */
    static double[] gaussian(double sigma) {
        int radius = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * radius + 1];
        double sum = 0;
        for (int i = 0; i < k.length; i++) {
            double x = i - radius;
            k[i] = Math.exp(-0.5 * (x / sigma) * (x / sigma));
            sum += k[i];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        return k;
    }

    /** Separable Gaussian blur of a planar [C,H,W] image, edges replicated (rows first, then columns). */
    static float[] blur(float[] img, int offset, int channels, int h, int w, double sigma) {
        double[] k = gaussian(sigma);
        int r = (k.length - 1) / 2;
        float[] out = new float[channels * h * w];
        double[] tmp = new double[h * w];
        for (int c = 0; c < channels; c++) {
            int base = offset + c * h * w;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int j = 0; j < k.length; j++) {
                        int xx = Math.min(w - 1, Math.max(0, x + j - r));
                        acc += k[j] * img[base + y * w + xx];
                    }
                    tmp[y * w + x] = acc;
                }
            }
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double acc = 0;
                    for (int j = 0; j < k.length; j++) {
                        int yy = Math.min(h - 1, Math.max(0, y + j - r));
                        acc += k[j] * tmp[yy * w + x];
                    }
                    out[c * h * w + y * w + x] = (float) acc;
                }
            }
        }
        return out;
    }

    /**
     * SeAC's global views of a window's rows: the resized frame with everything but the object
     * blurred, p·I + (1−p)·blur(I) with p the row's mask probability, roi_align'ed over the square
     * (0, 0, s, s), s the frame's longer side, CLIP-normalised. [K,3,R,R]
     */
    static float[] globalViews(WindowAnalysis a, float[] resizedChw, PostProcessSettings pp, double blurSigma) {
        WindowAnalysis.ProposalData d = a.proposals();
        WindowGeometry g = a.geometry();
        int h = g.height();
        int w = g.width();
        int hp = g.paddedHeight();
        int wp = g.paddedWidth();
        int r = pp.clipInputSize();
        int k = d.rowFrame().length;
        int frameSize = 3 * h * w;
        float[] out = new float[k * 3 * r * r];
        Map<Integer, float[]> blurred = new LinkedHashMap<>();
        Map<Integer, float[]> upByQuery = new LinkedHashMap<>();
        float side = Math.max(h, w);
        float[] box = {0f, 0f, side, side};
        float[] ones = new float[r * r];
        Arrays.fill(ones, 1f);
        float[] view = new float[frameSize];
        for (int i = 0; i < k; i++) {
            int f = d.rowFrame()[i];
            int q = d.rowQuery()[i];
            float[] soft = blurred.computeIfAbsent(f, ff -> blur(resizedChw, ff * frameSize, 3, h, w, blurSigma));
            float[] up = upByQuery.computeIfAbsent(q, qq -> MaskOps.resizeBilinear(a.maskLogits()[row(a, qq)],
                    g.frames(), g.maskHeight(), g.maskWidth(), hp, wp));
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float p = MaskOps.sigmoid(up[f * hp * wp + y * wp + x]);
                    for (int c = 0; c < 3; c++) {
                        int at = c * h * w + y * w + x;
                        view[at] = p * resizedChw[f * frameSize + at] + (1 - p) * soft[at];
                    }
                }
            }
            float[] region = MaskOps.roiAlign(view, 0, 3, h, w, box, r);
            MaskOps.blendAndClipNormalize(region, ones, pp.clipMean(), pp.clipStd());
            System.arraycopy(region, 0, out, i * 3 * r * r, 3 * r * r);
        }
        return out;
    }

    /** f = λ·local + (1−λ)·global, row by row, from L2-normalised embeddings [K,D]. */
    static float[] mixViews(float[] local, float[] global, float lambda) {
        float[] f = new float[local.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = lambda * local[i] + (1 - lambda) * global[i];
        }
        return f;
    }

    /** The row (index into queries/maskLogits) of a valid query. */
    static int row(WindowAnalysis a, int query) {
        for (int m = 0; m < a.queries().length; m++) {
            if (a.queries()[m] == query) {
                return m;
            }
        }
        throw new IllegalArgumentException("query " + query + " is not valid in window " + a.index());
    }

    /**
     * The vectors a window's rows are named by [K,D]: SeAC's mask features, the rows' own crop
     * embeddings, or per query the mean of its rows' crop embeddings.
     */
    static float[] namingEmbeddings(WindowAnalysis a, ProposalNaming naming) {
        WindowAnalysis.ProposalData d = a.proposals();
        if (naming == ProposalNaming.FEATURES) {
            return d.features();
        }
        float[] crops = a.cropEmbeddings();
        return naming == ProposalNaming.CROP ? crops : queryMeans(crops, d.rowQuery(), a.embeddingDim());
    }

    /** Each row [K,D] replaced by the mean of its query's rows (summed in row order). */
    static float[] queryMeans(float[] rows, int[] rowQuery, int dim) {
        int k = rowQuery.length;
        Map<Integer, float[]> sums = new LinkedHashMap<>();
        Map<Integer, Integer> counts = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            float[] sum = sums.computeIfAbsent(rowQuery[i], q -> new float[dim]);
            for (int j = 0; j < dim; j++) {
                sum[j] += rows[i * dim + j];
            }
            counts.merge(rowQuery[i], 1, Integer::sum);
        }
        float[] out = new float[k * dim];
        for (int i = 0; i < k; i++) {
            float[] sum = sums.get(rowQuery[i]);
            int n = counts.get(rowQuery[i]);
            for (int j = 0; j < dim; j++) {
                out[i * dim + j] = sum[j] / n;
            }
        }
        return out;
    }

    /**
     * SeAC's audio–mask similarity of each row [K]: cos of the row's association vector (maskVectors
     * [K,D], L2-normalised) — or, pooled by window, of its query's normalised mean vector — with
     * the association vector of the row's second (audio [T,D]).
     */
    static float[] associations(float[] maskVectors, float[] audio, int[] rowFrame, int[] rowQuery, int dim,
                                MaskPooling pooling) {
        float[] vectors = maskVectors;
        if (pooling == MaskPooling.WINDOW) {
            vectors = queryMeans(maskVectors, rowQuery, dim);
            ClipScoring.l2NormalizeRows(vectors, rowQuery.length, dim);
        }
        float[] out = new float[rowFrame.length];
        for (int r = 0; r < out.length; r++) {
            float dot = 0;
            for (int j = 0; j < dim; j++) {
                dot += vectors[r * dim + j] * audio[rowFrame[r] * dim + j];
            }
            out[r] = dot;
        }
        return out;
    }

    /** The labelled result of one window: its objects and, per pixel, which of them owns it. */
    record Labels(List<ObjectPrediction> objects, int[][] owners) {
    }

    /**
     * Labels one window with a vocabulary (text embeddings [V·D], L2-normalised), frame by frame.
     * Each row is named by argmax cos(·, text) − calibration offset over the vectors of the method's
     * naming ({@link #namingEmbeddings}, {@link NameCalibration}), plus, for SeAC with heard naming, α times
     * its second's audio–text score of the name ({@link #audioTextScores}). SeAC: a row's similarity is min-max normalised over the
     * frame's rows; per pixel the covering row with the highest normalised similarity (the first on
     * ties) labels it when that exceeds σ and (with a heard gate) its second scores its name at least at the
     * gate; a frame whose second is quieter than the bundle's
     * {@code silence_db} labels nothing. OpenAVS: a name
     * is a prompt of the frame's second when sigmoid(scale·cos(audio, text) + bias) exceeds the
     * threshold; rows, most confident first, label the pixels they cover that no earlier row took,
     * when their name is a prompt. An object is a (query, name) pair; its keyframes are the frames
     * where it owns pixels.
     */
    static Labels label(WindowAnalysis a, float[] text, int v, List<String> names, PostProcessSettings pp) {
        WindowAnalysis.ProposalData d = a.proposals();
        MethodSettings ms = d.settings();
        WindowGeometry g = a.geometry();
        int t = g.frames();
        int plane = g.sourceHeight() * g.sourceWidth();
        int dim = a.embeddingDim();
        int k = d.rowFrame().length;
        int[][] rowOwner = new int[t][plane];
        for (int[] fr : rowOwner) {
            Arrays.fill(fr, -1);
        }
        int[] rowName = new int[k];
        float[] rowScore = new float[k];
        float[] rowClip = new float[k];
        float[] rowSound = new float[k];
        Map<Integer, boolean[][]> masks = new LinkedHashMap<>();
        boolean seac = d.method() == AnalysisMethod.SEAC;
        float[] named = namingEmbeddings(a, ms.naming());
        float[] offsets = ms.calibration().offsets(names.subList(0, v));
        // each second's audio–text score of every name: OpenAVS's prompts, SeAC's heard naming and gate
        float[][] heard = !seac || ms.hearsNames() ? audioTextScores(d.audioText(), text, v, t, dim, ms) : null;
        for (int i = 0; i < k; i++) {
            float best = Float.NEGATIVE_INFINITY;
            float inverseNorm = 1f / Math.max(1e-12f, norm(named, i * dim, dim));
            for (int c = 0; c < v; c++) {
                float dot = 0;
                for (int j = 0; j < dim; j++) {
                    dot += named[i * dim + j] * text[c * dim + j];
                }
                float cos = dot * inverseNorm;
                float score = cos - offsets[c] + (seac && heard != null ? ms.heardNaming() * heard[d.rowFrame()[i]][c] : 0f);
                if (score > best) {
                    best = score;
                    rowName[i] = c;
                    rowClip[i] = cos;
                }
            }
        }
        for (int f = 0; f < a.realFrames(); f++) {
            List<Integer> rows = new ArrayList<>();
            for (int i = 0; i < k; i++) {
                if (d.rowFrame()[i] == f) {
                    rows.add(i);
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            int[] owner = rowOwner[f];
            if (seac && d.levelsDb() != null && ms.silenced(d.levelsDb()[f])) {
                continue; // the silence gate: nothing sounds in a silent second
            }
            if (seac) {
                float lo = Float.POSITIVE_INFINITY;
                float hi = Float.NEGATIVE_INFINITY;
                for (int i : rows) {
                    lo = Math.min(lo, d.association()[i]);
                    hi = Math.max(hi, d.association()[i]);
                }
                float[] best = new float[plane];
                for (int i : rows) {
                    float sHat = hi - lo <= 0 ? 1f : (d.association()[i] - lo) / (hi - lo);
                    rowScore[i] = Math.max(rowScore[i], sHat);
                    rowSound[i] = d.association()[i];
                    boolean[] m = masks.computeIfAbsent(d.rowQuery()[i], q -> WindowPostProcessor.queryMasks(a, row(a, q), pp))[f];
                    for (int p = 0; p < plane; p++) {
                        if (m[p] && sHat > best[p]) {
                            best[p] = sHat;
                            owner[p] = i;
                        }
                    }
                }
                for (int p = 0; p < plane; p++) {
                    if (owner[p] >= 0 && !(best[p] > ms.sigma())) {
                        owner[p] = -1;
                    }
                    // the heard gate: a name the second does not sound like at all is not what sounds
                    if (owner[p] >= 0 && ms.heardGate() > 0 && heard[f][rowName[owner[p]]] < ms.heardGate()) {
                        owner[p] = -1;
                    }
                }
            } else {
                rows.sort((x, y) -> Float.compare(a.soundScores()[d.rowQuery()[y]], a.soundScores()[d.rowQuery()[x]]));
                for (int i : rows) {
                    float prompt = heard[f][rowName[i]];
                    rowScore[i] = prompt;
                    rowSound[i] = prompt;
                    if (!(prompt > ms.promptThreshold())) {
                        continue;
                    }
                    boolean[] m = masks.computeIfAbsent(d.rowQuery()[i], q -> WindowPostProcessor.queryMasks(a, row(a, q), pp))[f];
                    for (int p = 0; p < plane; p++) {
                        if (m[p] && owner[p] < 0) {
                            owner[p] = i;
                        }
                    }
                }
            }
        }
        // objects: (query, name) pairs that own pixels somewhere, ordered by query then name
        Map<Long, List<Integer>> byObject = new java.util.TreeMap<>();
        boolean[] owns = new boolean[k];
        for (int f = 0; f < t; f++) {
            for (int o : rowOwner[f]) {
                if (o >= 0) {
                    owns[o] = true;
                }
            }
        }
        for (int i = 0; i < k; i++) {
            if (owns[i]) {
                byObject.computeIfAbsent((long) d.rowQuery()[i] * v + rowName[i], x -> new ArrayList<>()).add(i);
            }
        }
        List<ObjectPrediction> objects = new ArrayList<>();
        int[] objectOfRow = new int[k];
        Arrays.fill(objectOfRow, -1);
        for (List<Integer> rs : byObject.values()) {
            int first = rs.get(0);
            float score = 0;
            float clip = 0;
            float sound = Float.NEGATIVE_INFINITY;
            int[] frames = new int[rs.size()];
            for (int j = 0; j < rs.size(); j++) {
                int i = rs.get(j);
                score = Math.max(score, rowScore[i]);
                clip = Math.max(clip, rowClip[i]);
                sound = Math.max(sound, rowSound[i]);
                frames[j] = a.firstKeyframe() + d.rowFrame()[i];
                objectOfRow[i] = objects.size();
            }
            objects.add(new ObjectPrediction(a.index(), d.rowQuery()[first], rowName[first], names.get(rowName[first]),
                    score, clip, sound, frames));
        }
        int[][] owners = new int[t][plane];
        for (int f = 0; f < t; f++) {
            for (int p = 0; p < plane; p++) {
                int o = rowOwner[f][p];
                owners[f][p] = o < 0 ? -1 : objectOfRow[o];
            }
        }
        return new Labels(objects, owners);
    }

    /**
     * Per frame, each name's audio–text score [T][V], sigmoid(scale·cos + bias), from the frame's
     * second's audio–text vector (audioText [T,D]): OpenAVS's prompt scores, SeAC's heard naming and gate.
     */
    static float[][] audioTextScores(float[] audioText, float[] text, int v, int frames, int dim, MethodSettings ms) {
        if (audioText == null) {
            throw new IllegalStateException("the window has no audio-text vectors to score names against");
        }
        float[][] out = new float[frames][v];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < v; c++) {
                float cos = 0;
                for (int j = 0; j < dim; j++) {
                    cos += audioText[f * dim + j] * text[c * dim + j];
                }
                out[f][c] = ms.promptScore(cos);
            }
        }
        return out;
    }

    private static float norm(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[off + i] * x[off + i];
        }
        return (float) Math.sqrt(s);
    }
}
