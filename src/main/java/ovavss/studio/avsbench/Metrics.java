package ovavss.studio.avsbench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The official evaluation definitions, reproduced exactly (AVSBENCH.md §5). Label maps are
 * row-major {@code int[]} class indices in {@code [0, classCount)}.
 *
 * <ul>
 *   <li>{@link ConfusionMatrix}: the OV-AVSS headline — one (V+1)×(V+1) confusion matrix over all
 *       frames, nanmean IoU (background included), seen/unseen nanmeans and their harmonic mean.</li>
 *   <li>{@link AvssAccumulator}: the AVSBench AVSS metric — per-frame per-class IoU and F
 *       (β² = 0.3, ε = 2.220446049250313e-16 on the IoU denominator), summed per class, divided
 *       by the number of frames where the class occurs in prediction or GT, then averaged over
 *       all classes including background.</li>
 *   <li>{@link BinaryAccumulator}: S4/MS3 {@code mask_iou} and {@code Eval_Fmeasure}, with the
 *       official batch grouping (results depend on the batch size) and a per-frame variant.</li>
 * </ul>
 */
public final class Metrics {
    /** The ε of the official AVSS IoU. */
    public static final double AVSS_EPS = 2.220446049250313e-16;
    public static final double BETA2 = 0.3;

    private Metrics() {
    }

    /** nanmean of {@code values[i]} over {@code classes} (all entries when null); NaN when all are NaN. */
    static double nanmean(double[] values, int[] classes) {
        double s = 0;
        int n = 0;
        if (classes == null) {
            for (double v : values) {
                if (!Double.isNaN(v)) {
                    s += v;
                    n++;
                }
            }
        } else {
            for (int c : classes) {
                if (c >= 0 && c < values.length && !Double.isNaN(values[c])) {
                    s += values[c];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : s / n;
    }

    /** 2/(1/s + 1/u) with NaN mapped to 0, as {@code scores_gzsl}. */
    public static double harmonic(double seen, double unseen) {
        double h = 2.0 / (1.0 / seen + 1.0 / unseen);
        return Double.isNaN(h) ? 0.0 : h;
    }

    // ------------------------------------------------------------------ OV-AVSS

    /** OV-AVSS headline numbers. Per-class IoU is NaN for classes absent from GT and prediction. */
    public record OvResult(double mIoU, double seenMIoU, double unseenMIoU, double harmonicMIoU,
                           double pixelAccuracy, double meanClassAccuracy, double freqWeightedIoU,
                           double[] perClassIoU, long frames) {
    }

    /** Global confusion matrix {@code hist[gt][pred]} accumulated over frames (OV-AVSS {@code fast_hist}). */
    public static final class ConfusionMatrix {
        private final int n;
        private final long[] hist;
        private long frames;

        public ConfusionMatrix(int classCount) {
            this.n = classCount;
            this.hist = new long[classCount * classCount];
        }

        /** Adds one frame. GT pixels outside [0, n) are skipped, as the official mask {@code (gt >= 0) & (gt < n)}. */
        public void add(int[] gt, int[] pred) {
            if (gt.length != pred.length) {
                throw new AvsbenchException("prediction and GT sizes differ");
            }
            for (int i = 0; i < gt.length; i++) {
                int g = gt[i];
                if (g >= 0 && g < n) {
                    int p = pred[i];
                    if (p < 0 || p >= n) {
                        throw new AvsbenchException("predicted class " + p + " outside 0.." + (n - 1));
                    }
                    hist[g * n + p]++;
                }
            }
            frames++;
        }

        public long count(int gt, int pred) {
            return hist[gt * n + pred];
        }

        public double[] perClassIoU() {
            double[] iou = new double[n];
            for (int c = 0; c < n; c++) {
                long row = 0;
                long col = 0;
                for (int k = 0; k < n; k++) {
                    row += hist[c * n + k];
                    col += hist[k * n + c];
                }
                long tp = hist[c * n + c];
                long den = row + col - tp;
                iou[c] = den == 0 ? Double.NaN : (double) tp / den;
            }
            return iou;
        }

        /** Headline numbers with the given seen/unseen lists (class indices). */
        public OvResult result(int[] seen, int[] unseen) {
            double[] iou = perClassIoU();
            long total = 0;
            long diag = 0;
            double[] acc = new double[n];
            double fw = 0;
            long[] rows = new long[n];
            for (int c = 0; c < n; c++) {
                for (int k = 0; k < n; k++) {
                    rows[c] += hist[c * n + k];
                }
                total += rows[c];
                diag += hist[c * n + c];
                acc[c] = rows[c] == 0 ? Double.NaN : (double) hist[c * n + c] / rows[c];
            }
            for (int c = 0; c < n; c++) {
                if (rows[c] > 0 && !Double.isNaN(iou[c])) {
                    fw += (double) rows[c] / total * iou[c];
                }
            }
            double s = nanmean(iou, seen);
            double u = nanmean(iou, unseen);
            return new OvResult(nanmean(iou, null), s, u, harmonic(s, u),
                    total == 0 ? Double.NaN : (double) diag / total, nanmean(acc, null), fw, iou, frames);
        }
    }

    // ------------------------------------------------------------------ AVSBench AVSS

    /**
     * AVSBench AVSS metric. {@code mIoU}/{@code fScore} are the official numbers (mean over all
     * classes, background included, absent classes contributing 0). The official
     * {@code miou_noBg}/{@code F_score_noBg} drop the <em>last</em> class (quirk 5.1a); they are
     * reported as {@code *LastDropped}. {@code mIoUNoBackground} is the mean over classes 1..n-1.
     */
    public record AvssResult(double mIoU, double fScore, double mIoULastDropped, double fScoreLastDropped,
                             double mIoUNoBackground, double fScoreNoBackground,
                             double[] perClassIoU, double[] perClassF, long[] classFrames, long frames) {
    }

    /** Accumulates the per-frame per-class sums of the AVSBench AVSS metric. */
    public static final class AvssAccumulator {
        private final int n;
        private final double[] iouSum;
        private final double[] fSum;
        private final long[] count;
        private long frames;

        public AvssAccumulator(int classCount) {
            this.n = classCount;
            iouSum = new double[n];
            fSum = new double[n];
            count = new long[n];
        }

        /** Adds one frame (padded frames of v1s/v1m count too when the caller adds them). */
        public void add(int[] gt, int[] pred) {
            if (gt.length != pred.length) {
                throw new AvsbenchException("prediction and GT sizes differ");
            }
            long[] inter = new long[n];
            long[] areaPred = new long[n];
            long[] areaLab = new long[n];
            for (int i = 0; i < gt.length; i++) {
                int g = gt[i];
                int p = pred[i];
                if (g < 0 || g >= n || p < 0 || p >= n) {
                    throw new AvsbenchException("class index outside 0.." + (n - 1));
                }
                areaPred[p]++;
                areaLab[g]++;
                if (p == g) {
                    inter[g]++;
                }
            }
            for (int c = 0; c < n; c++) {
                long union = areaPred[c] + areaLab[c] - inter[c];
                iouSum[c] += inter[c] / (AVSS_EPS + union);
                if (union > 0) {
                    count[c]++;
                }
                double prec = (double) inter[c] / areaPred[c];
                double rec = (double) inter[c] / areaLab[c];
                double f = (1 + BETA2) * prec * rec / (BETA2 * prec + rec);
                fSum[c] += Double.isNaN(f) ? 0 : f;
            }
            frames++;
        }

        public AvssResult result() {
            double[] iou = new double[n];
            double[] f = new double[n];
            for (int c = 0; c < n; c++) {
                double a = iouSum[c] / count[c];
                double b = fSum[c] / count[c];
                iou[c] = Double.isNaN(a) ? 0 : a;
                f[c] = Double.isNaN(b) ? 0 : b;
            }
            return new AvssResult(mean(iou, 0, n), mean(f, 0, n), mean(iou, 0, n - 1), mean(f, 0, n - 1),
                    mean(iou, 1, n), mean(f, 1, n), iou, f, count.clone(), frames);
        }

        private static double mean(double[] v, int from, int to) {
            if (to <= from) {
                return Double.NaN;
            }
            double s = 0;
            for (int i = from; i < to; i++) {
                s += v[i];
            }
            return s / (to - from);
        }
    }

    // ------------------------------------------------------------------ S4 / MS3 binary

    /**
     * Binary results. {@code *Official} group frames in batches of {@code batchSize} in the order
     * added and average per-batch values with equal weight (the official test loop; a short last
     * batch is over-weighted and the F-score takes the max over thresholds per batch).
     * {@code *PerFrame} average every frame with equal weight (F: per-frame max over thresholds,
     * frames with empty GT skipped).
     */
    public record BinaryResult(double mIoUOfficial, double fScoreOfficial, double mIoUPerFrame,
                               double fScorePerFrame, int batchSize, long frames) {
    }

    /** Accumulates S4/MS3 frames: predicted probabilities in [0, 1] against binary GT. */
    public static final class BinaryAccumulator {
        static final int THRESHOLDS = 255;
        private final List<double[]> perFrame = new ArrayList<>(); // {iou, hasGt, f-curve...}

        /** Adds one frame; {@code prob} is compared with {@code > 0.5} for IoU and against 255 thresholds for F. */
        public void add(float[] prob, boolean[] gt) {
            if (prob.length != gt.length) {
                throw new AvsbenchException("prediction and GT sizes differ");
            }
            long inter = 0;
            long union = 0;
            long bothOff = 0;
            long gtOn = 0;
            for (int i = 0; i < gt.length; i++) {
                boolean p = prob[i] > 0.5f;
                if (gt[i]) {
                    gtOn++;
                }
                if (p && gt[i]) {
                    inter++;
                }
                if (p || gt[i]) {
                    union++;
                } else {
                    bothOff++;
                }
            }
            double iou = gtOn == 0 ? bothOff / (gt.length + 1e-7) : inter / (union + 1e-7);
            double[] rec = new double[2 + THRESHOLDS];
            rec[0] = iou;
            rec[1] = gtOn > 0 ? 1 : 0;
            if (gtOn > 0) {
                float[] th = thresholds();
                for (int t = 0; t < THRESHOLDS; t++) {
                    long tp = 0;
                    long on = 0;
                    float thr = th[t];
                    for (int i = 0; i < gt.length; i++) {
                        if (prob[i] >= thr) {
                            on++;
                            if (gt[i]) {
                                tp++;
                            }
                        }
                    }
                    float prec = (float) (tp / (on + 1e-20));
                    float recall = (float) (tp / (gtOn + 1e-20));
                    float f = (float) ((1 + BETA2) * prec * recall / (BETA2 * prec + recall));
                    rec[2 + t] = Float.isNaN(f) ? 0 : f;
                }
            }
            perFrame.add(rec);
        }

        /** The official thresholds: {@code torch.linspace(0, 1 - 1e-10, 255)} in float32 (its end rounds to 1). */
        static float[] thresholds() {
            float[] th = new float[THRESHOLDS];
            float end = (float) (1 - 1e-10);
            float step = end / (THRESHOLDS - 1);
            int half = THRESHOLDS / 2;
            for (int i = 0; i < THRESHOLDS; i++) {
                th[i] = i < half ? step * i : end - step * (THRESHOLDS - 1 - i);
            }
            return th;
        }

        public long frames() {
            return perFrame.size();
        }

        public BinaryResult result(int batchSize) {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1");
            }
            double iouBatches = 0;
            double fBatches = 0;
            int batches = 0;
            double iouAll = 0;
            double fAll = 0;
            int fFrames = 0;
            for (int b0 = 0; b0 < perFrame.size(); b0 += batchSize) {
                int b1 = Math.min(perFrame.size(), b0 + batchSize);
                double iou = 0;
                double[] curve = new double[THRESHOLDS];
                int withGt = 0;
                for (int i = b0; i < b1; i++) {
                    double[] r = perFrame.get(i);
                    iou += r[0];
                    iouAll += r[0];
                    if (r[1] > 0) {
                        withGt++;
                        double best = 0;
                        for (int t = 0; t < THRESHOLDS; t++) {
                            curve[t] += r[2 + t];
                            best = Math.max(best, r[2 + t]);
                        }
                        fAll += best;
                        fFrames++;
                    }
                }
                iouBatches += iou / (b1 - b0);
                double best = 0;
                if (withGt > 0) {
                    for (int t = 0; t < THRESHOLDS; t++) {
                        best = Math.max(best, curve[t] / withGt);
                    }
                }
                // a batch whose frames all have empty GT scores 0 (score stays torch.zeros)
                fBatches += best;
                batches++;
            }
            return new BinaryResult(batches == 0 ? Double.NaN : iouBatches / batches,
                    batches == 0 ? Double.NaN : fBatches / batches,
                    perFrame.isEmpty() ? Double.NaN : iouAll / perFrame.size(),
                    fFrames == 0 ? Double.NaN : fAll / fFrames, batchSize, perFrame.size());
        }
    }

    /** Convenience: class indices as a sorted array without duplicates. */
    public static int[] indices(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    }

    static String fmt(double[] a) {
        return Arrays.toString(a);
    }
}
