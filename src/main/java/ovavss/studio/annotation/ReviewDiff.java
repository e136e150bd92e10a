package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Compares a model's prediction with the human annotation: a per-pixel diff (true / missed /
 * extra) for display, and per-class IoU and F for a frame, a clip and a project.
 *
 * <p>The scores use the AVSBench AVSS definitions of {@code eval}: per frame and class,
 * IoU = I / (ε + U) and F_β with β² = 0.3 (0 when undefined); a class's score is the sum over
 * frames divided by the number of frames where the class occurs in either map. Background is
 * class 0 and is included, as in the official mean. (A parity test checks these numbers against
 * {@code avsbench.Metrics.AvssAccumulator}.)
 *
 * <p>Within one project the prediction is what the model made ({@link Provenance#MODEL}
 * keyframe entries) and the annotation what people made or accepted ({@link Provenance#HUMAN});
 * sounding entries count (and, on the annotation side, masks whose sound is not yet judged), composed
 * as the AVSBench export composes them.
 */
public final class ReviewDiff {
    public static final double EPS = 2.220446049250313e-16;
    public static final double BETA2 = 0.3;

    /** Per-pixel diff values of {@link #pixels}. */
    public static final byte NONE = 0;
    public static final byte TRUE = 1;
    public static final byte MISSED = 2;
    public static final byte EXTRA = 3;

    private ReviewDiff() {
    }

    /**
     * Per-pixel diff of two label maps (0 = background): {@link #TRUE} where both have the same
     * class, {@link #MISSED} where the annotation has a class the prediction lacks (or got wrong),
     * {@link #EXTRA} where the prediction marks background of the annotation.
     */
    public static byte[] pixels(int[] annotation, int[] prediction) {
        if (annotation.length != prediction.length) {
            throw new AnnotationException("diff maps differ in size");
        }
        byte[] out = new byte[annotation.length];
        for (int i = 0; i < out.length; i++) {
            int a = annotation[i];
            int p = prediction[i];
            out[i] = a == 0 ? (p == 0 ? NONE : EXTRA) : (p == a ? TRUE : MISSED);
        }
        return out;
    }

    /** Class names of the diff: index 0 is background, then the vocabulary in order. */
    public static List<String> classes(Project p) {
        List<String> names = new ArrayList<>();
        names.add("background");
        for (VocabularyEntry e : p.vocabulary().entries()) {
            names.add(e.name());
        }
        return names;
    }

    /** Annotation side: human entries. */
    public static final Predicate<ObjectFrame> HUMAN = f -> f.provenance() == Provenance.HUMAN;
    /** Prediction side: model entries. */
    public static final Predicate<ObjectFrame> MODEL = f -> f.provenance() == Provenance.MODEL;

    /**
     * The sounding label map of keyframe {@code k} from the entries {@code which} accepts; class
     * indices follow {@link #classes}. Overlaps resolve as the AVSBench export: human masks by
     * z-order (then list order), model masks by score ({@link Clip#soundingLayers}); the first
     * painter wins.
     */
    public static int[] labels(Clip clip, int k, List<String> classes, Predicate<ObjectFrame> which) {
        return labels(clip, k, classes, which, SoundFlag::isSounding);
    }

    /**
     * The annotation's label map for review: sounding entries and those whose sound nobody has
     * judged yet ({@link SoundFlag#UNKNOWN}, what a freshly drawn mask has), so a mask an annotator
     * drew over the model's is compared with it instead of counting the model's as extra; only
     * masks marked silent stay out.
     */
    public static int[] annotationLabels(Clip clip, int k, List<String> classes) {
        return labels(clip, k, classes, HUMAN, s -> s != SoundFlag.SILENT);
    }

    private static int[] labels(Clip clip, int k, List<String> classes, Predicate<ObjectFrame> which,
                                Predicate<SoundFlag> counts) {
        int[] out = new int[clip.width() * clip.height()];
        for (Clip.Layer l : clip.layers(k, which, counts)) {
            int c = classes.indexOf(l.object().label());
            if (c <= 0) {
                throw new AnnotationException("object '" + l.object().id() + "' has label '" + l.object().label()
                        + "', which is not in the vocabulary");
            }
            l.frame().mask().paintInto(out, c, true);
        }
        return out;
    }

    /**
     * Per-class scores.
     *
     * @param iou         per class, mean over the frames where it occurs (0 when it never does)
     * @param f           per class F_β, likewise
     * @param classFrames frames where each class occurs in either map
     * @param frames      frames added
     */
    public record Scores(double[] iou, double[] f, long[] classFrames, long frames) {
        /** Mean IoU over all classes, background included (the official AVSS mIoU). */
        public double meanIoU() {
            return mean(iou);
        }

        public double meanF() {
            return mean(f);
        }

        private static double mean(double[] v) {
            double s = 0;
            for (double x : v) {
                s += x;
            }
            return v.length == 0 ? Double.NaN : s / v.length;
        }
    }

    /** Where a class scored worst: a clip, a keyframe and the IoU there. */
    public record Worst(String clipId, int keyframe, double iou) {
    }

    /** Accumulates frames; keeps each class's worst frame. */
    public static final class Accumulator {
        private final int n;
        private final double[] iouSum;
        private final double[] fSum;
        private final long[] count;
        private final Worst[] worst;
        private long frames;

        public Accumulator(int classCount) {
            n = classCount;
            iouSum = new double[n];
            fSum = new double[n];
            count = new long[n];
            worst = new Worst[n];
        }

        /**
         * Adds one frame.
         *
         * @return this frame's per-class scores (classes absent from both maps have 0 frames)
         */
        public Scores add(String clipId, int keyframe, int[] annotation, int[] prediction) {
            if (annotation.length != prediction.length) {
                throw new AnnotationException("diff maps differ in size");
            }
            long[] inter = new long[n];
            long[] areaP = new long[n];
            long[] areaA = new long[n];
            for (int i = 0; i < annotation.length; i++) {
                int a = annotation[i];
                int p = prediction[i];
                if (a < 0 || a >= n || p < 0 || p >= n) {
                    throw new AnnotationException("class index outside 0.." + (n - 1));
                }
                areaA[a]++;
                areaP[p]++;
                if (a == p) {
                    inter[a]++;
                }
            }
            double[] fi = new double[n];
            double[] ff = new double[n];
            long[] fc = new long[n];
            for (int c = 0; c < n; c++) {
                long union = areaA[c] + areaP[c] - inter[c];
                double iou = inter[c] / (EPS + union);
                double prec = (double) inter[c] / areaP[c];
                double rec = (double) inter[c] / areaA[c];
                double f = (1 + BETA2) * prec * rec / (BETA2 * prec + rec);
                f = Double.isNaN(f) ? 0 : f;
                iouSum[c] += iou;
                fSum[c] += f;
                if (union > 0) {
                    count[c]++;
                    fc[c] = 1;
                    fi[c] = iou;
                    ff[c] = f;
                    if (worst[c] == null || iou < worst[c].iou()) {
                        worst[c] = new Worst(clipId, keyframe, iou);
                    }
                }
            }
            frames++;
            return new Scores(fi, ff, fc, 1);
        }

        public Scores result() {
            double[] iou = new double[n];
            double[] f = new double[n];
            for (int c = 0; c < n; c++) {
                iou[c] = count[c] == 0 ? 0 : iouSum[c] / count[c];
                f[c] = count[c] == 0 ? 0 : fSum[c] / count[c];
            }
            return new Scores(iou, f, count.clone(), frames);
        }

        /** The frame where class {@code c} had its lowest IoU, or null when it never occurred. */
        public Worst worst(int c) {
            return worst[c];
        }
    }

    /**
     * A review of one project.
     *
     * @param classes   class names ({@link #classes})
     * @param project   scores over every compared keyframe of every clip
     * @param clip      scores of the chosen clip (null without one)
     * @param frame     scores of the chosen keyframe (null without one)
     * @param worst     per class, its worst frame in the project (null entries when absent)
     * @param compared  keyframes compared (those with both a prediction and an annotation)
     */
    public record Report(List<String> classes, Scores project, Scores clip, Scores frame, List<Worst> worst,
                         int compared) {
    }

    /**
     * Compares prediction with annotation on every keyframe that has a model entry and is
     * annotated: a human mask with pixels, or a keyframe marked reviewed (a keyframe the model
     * never saw, or nobody annotated, says nothing about the model).
     *
     * @param clipId   clip for the clip and frame scores, or null
     * @param keyframe keyframe of that clip for the frame scores, or -1
     */
    public static Report review(Project p, String clipId, int keyframe) {
        List<String> classes = classes(p);
        Accumulator all = new Accumulator(classes.size());
        Accumulator one = clipId == null ? null : new Accumulator(classes.size());
        Scores frame = null;
        int compared = 0;
        for (Clip c : p.clips()) {
            java.util.Set<Integer> reviewed = KeyframeStatus.reviewed(c);
            for (int k = 0; k < c.keyframeCount(); k++) {
                // Annotated = a human drew something, or marked the keyframe reviewed (which
                // confirms "nothing here" too); a flag set on an empty entry is not a mask.
                boolean annotated = reviewed.contains(k) || has(c, k, f -> HUMAN.test(f) && !f.mask().isEmpty());
                if (!annotated || !has(c, k, MODEL)) {
                    continue;
                }
                int[] a = annotationLabels(c, k, classes);
                int[] m = labels(c, k, classes, MODEL);
                Scores s = all.add(c.id(), k, a, m);
                compared++;
                if (c.id().equals(clipId)) {
                    one.add(c.id(), k, a, m);
                    if (k == keyframe) {
                        frame = s;
                    }
                }
            }
        }
        List<Worst> worst = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            worst.add(all.worst(i));
        }
        return new Report(classes, all.result(), one == null ? null : one.result(), frame, worst, compared);
    }

    /** True when keyframe {@code k} has an entry accepted by {@code which}. */
    public static boolean has(Clip c, int k, Predicate<ObjectFrame> which) {
        for (SoundingObject o : c.objects()) {
            ObjectFrame f = o.frame(k);
            if (f != null && which.test(f)) {
                return true;
            }
        }
        return false;
    }
}
