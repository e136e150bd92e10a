package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import ovavss.studio.avsbench.Metrics;
import org.junit.jupiter.api.Test;

class ReviewDiffTest {
    @Test
    void pixelDiffMarksTrueMissedAndExtra() {
        int[] ann = {0, 1, 1, 2, 0};
        int[] pred = {0, 1, 0, 1, 2};
        assertArrayEquals(new byte[] {ReviewDiff.NONE, ReviewDiff.TRUE, ReviewDiff.MISSED, ReviewDiff.MISSED,
                ReviewDiff.EXTRA}, ReviewDiff.pixels(ann, pred));
    }

    @Test
    void scoresMatchTheAvsbenchAvssMetric() {
        Random r = new Random(7);
        int n = 4;
        ReviewDiff.Accumulator mine = new ReviewDiff.Accumulator(n);
        Metrics.AvssAccumulator official = new Metrics.AvssAccumulator(n);
        for (int frame = 0; frame < 12; frame++) {
            int[] a = new int[64];
            int[] p = new int[64];
            for (int i = 0; i < a.length; i++) {
                // class 3 never occurs: it must score 0, as in the official mean
                a[i] = r.nextInt(3);
                p[i] = r.nextDouble() < 0.7 ? a[i] : r.nextInt(3);
            }
            mine.add("c", frame, a, p);
            official.add(a, p);
        }
        ReviewDiff.Scores s = mine.result();
        Metrics.AvssResult o = official.result();
        assertArrayEquals(o.perClassIoU(), s.iou(), 1e-12);
        assertArrayEquals(o.perClassF(), s.f(), 1e-12);
        assertArrayEquals(o.classFrames(), s.classFrames());
        assertEquals(o.mIoU(), s.meanIoU(), 1e-12);
        assertEquals(o.fScore(), s.meanF(), 1e-12);
    }

    private static Mask rect(int x0, int y0, int x1, int y1) {
        boolean[] b = new boolean[10 * 10];
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                b[y * 10 + x] = true;
            }
        }
        return Mask.fromBitmap(b, 10, 10);
    }

    private static SoundingObject obj(String id, String label, Map<Integer, ObjectFrame> frames) {
        return new SoundingObject(id, label, 0, new TreeMap<>(frames));
    }

    @Test
    void projectReviewComparesModelWithHumanAndFindsTheWorstFrame() {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("dog", 0xFF0000)).with(VocabularyEntry.of("cat", 0x00FF00));
        // keyframe 0: model matches exactly; keyframe 1: model is half off; keyframe 2: no model entry
        SoundingObject human = obj("h1", "dog", Map.of(
                0, ObjectFrame.human(rect(0, 0, 4, 4), SoundFlag.SOUNDING),
                1, ObjectFrame.human(rect(0, 0, 4, 4), SoundFlag.SOUNDING),
                2, ObjectFrame.human(rect(0, 0, 4, 4), SoundFlag.SOUNDING)));
        SoundingObject model = obj("m-1", "dog", Map.of(
                0, ObjectFrame.model(rect(0, 0, 4, 4), SoundFlag.SOUNDING, 0.9),
                1, ObjectFrame.model(rect(2, 0, 6, 4), SoundFlag.SOUNDING, 0.9)));
        Clip c = new Clip("c", "m.mp4", 0, 3, List.of(0.0, 1.0, 2.0), 10, 10, List.of(human, model), Map.of());
        Project p = new Project("p", v, List.of(c), Map.of());

        ReviewDiff.Report r = ReviewDiff.review(p, "c", 1);
        assertEquals(List.of("background", "dog", "cat"), r.classes());
        assertEquals(2, r.compared());
        // frame 1: dog I = 8, U = 24
        assertEquals(8.0 / 24, r.frame().iou()[1], 1e-9);
        assertEquals((1 + 8.0 / 24) / 2, r.clip().iou()[1], 1e-9);
        assertEquals(new ReviewDiff.Worst("c", 1, 8.0 / 24), new ReviewDiff.Worst(r.worst().get(1).clipId(),
                r.worst().get(1).keyframe(), Math.round(r.worst().get(1).iou() * 1e9) / 1e9 == Math.round(8.0 / 24 * 1e9) / 1e9
                ? 8.0 / 24 : -1));
        assertNull(r.worst().get(2), "cat never occurs");
        assertEquals(0, r.project().iou()[2]);

        int[] ann = ReviewDiff.labels(c, 1, r.classes(), ReviewDiff.HUMAN);
        int[] pred = ReviewDiff.labels(c, 1, r.classes(), ReviewDiff.MODEL);
        byte[] d = ReviewDiff.pixels(ann, pred);
        int[] counts = new int[4];
        for (byte b : d) {
            counts[b]++;
        }
        assertEquals(8, counts[ReviewDiff.TRUE]);
        assertEquals(8, counts[ReviewDiff.MISSED]);
        assertEquals(8, counts[ReviewDiff.EXTRA]);
    }

    @Test
    void flagOnlyEntriesAreNotAnnotationsButReviewedKeyframesAre() {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("dog", 0xFF0000));
        SoundingObject human = obj("h1", "dog", Map.of(1, ObjectFrame.human(Mask.empty(10, 10), SoundFlag.SOUNDING)));
        SoundingObject model = obj("m-1", "dog", Map.of(
                0, ObjectFrame.model(rect(0, 0, 4, 4), SoundFlag.SOUNDING, 0.9),
                1, ObjectFrame.model(rect(0, 0, 4, 4), SoundFlag.SOUNDING, 0.9)));
        Clip c = new Clip("c", "m.mp4", 0, 2, List.of(0.0, 1.0), 10, 10, List.of(human, model), Map.of());
        Project p = new Project("p", v, List.of(c), Map.of());
        assertEquals(0, ReviewDiff.review(p, "c", 0).compared());
        Project q = KeyframeStatus.markReviewed("c", true, 0).apply(p);
        ReviewDiff.Report r = ReviewDiff.review(q, "c", 0);
        assertEquals(1, r.compared(), "reviewed: the annotation says nothing is there");
        assertEquals(0, r.frame().iou()[1]);
    }

    @Test
    void silentEntriesAreNotCompared() {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("dog", 0xFF0000));
        SoundingObject human = obj("h1", "dog", Map.of(0, ObjectFrame.human(rect(0, 0, 4, 4), SoundFlag.SILENT)));
        Clip c = new Clip("c", "m.mp4", 0, 1, List.of(0.0), 10, 10, List.of(human), Map.of());
        int[] ann = ReviewDiff.labels(c, 0, ReviewDiff.classes(new Project("p", v, List.of(c), Map.of())), ReviewDiff.HUMAN);
        for (int x : ann) {
            assertEquals(0, x);
        }
    }

    /**
     * A mask drawn over the model's, same class, sound not yet judged: the review compares them
     * (IoU 1) instead of counting the model's as extra (IoU 0, what the window showed).
     */
    @Test
    void aFreshlyDrawnMaskIsComparedWithTheModelsOfTheSameClass() {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("green-square", 0x00FF00));
        SoundingObject human = obj("o1", "green-square", Map.of(0, ObjectFrame.human(rect(2, 2, 6, 6), SoundFlag.UNKNOWN)));
        SoundingObject model = obj("m-green-square", "green-square",
                Map.of(0, ObjectFrame.model(rect(2, 2, 6, 6), SoundFlag.SOUNDING, 0.9)));
        Clip c = new Clip("c", "m.mp4", 0, 1, List.of(0.0), 10, 10, List.of(human, model), Map.of());
        Project p = new Project("p", v, List.of(c), Map.of());
        ReviewDiff.Report r = ReviewDiff.review(p, "c", 0);
        assertEquals(1, r.compared());
        assertEquals(1.0, r.frame().iou()[1], 1e-9, "the class is matched, not extra");
        int[] ann = ReviewDiff.annotationLabels(c, 0, ReviewDiff.classes(p));
        int[] pred = ReviewDiff.labels(c, 0, ReviewDiff.classes(p), ReviewDiff.MODEL);
        for (byte d : ReviewDiff.pixels(ann, pred)) {
            assertTrue(d != ReviewDiff.EXTRA && d != ReviewDiff.MISSED);
        }
    }
}
