package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Metric values on small hand-computed cases. */
class MetricsTest {
    @Test
    void ovConfusionMatrixByHand() {
        Metrics.ConfusionMatrix cm = new Metrics.ConfusionMatrix(4);
        cm.add(new int[] {0, 1, 1, 2}, new int[] {0, 1, 2, 2});
        Metrics.OvResult r = cm.result(new int[] {1}, new int[] {2, 3});
        // IoU: bg 1/1, class1 1/(2+1-1), class2 1/(1+2-1), class3 never seen -> NaN, skipped
        assertEquals(1.0, r.perClassIoU()[0], 1e-12);
        assertEquals(0.5, r.perClassIoU()[1], 1e-12);
        assertEquals(0.5, r.perClassIoU()[2], 1e-12);
        assertTrue(Double.isNaN(r.perClassIoU()[3]));
        assertEquals(2.0 / 3, r.mIoU(), 1e-12);
        assertEquals(0.5, r.seenMIoU(), 1e-12);
        assertEquals(0.5, r.unseenMIoU(), 1e-12);
        assertEquals(0.5, r.harmonicMIoU(), 1e-12);
        assertEquals(0.75, r.pixelAccuracy(), 1e-12);
    }

    @Test
    void harmonicIsZeroWhenASideIsZeroOrMissing() {
        assertEquals(0.0, Metrics.harmonic(0.0, 0.8), 0);
        assertEquals(0.0, Metrics.harmonic(Double.NaN, 0.8), 0);
        assertEquals(2 * 0.4 * 0.8 / 1.2, Metrics.harmonic(0.4, 0.8), 1e-12);
    }

    @Test
    void avssPerFramePerClassByHand() {
        Metrics.AvssAccumulator a = new Metrics.AvssAccumulator(2);
        a.add(new int[] {0, 0, 1, 1}, new int[] {0, 1, 1, 1});
        a.add(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0});
        Metrics.AvssResult r = a.result();
        // frame 1: bg IoU 1/2, class1 IoU 2/3; frame 2: bg IoU 1, class1 absent (not counted)
        assertEquals((0.5 + 1.0) / 2, r.perClassIoU()[0], 1e-12);
        assertEquals(2.0 / 3, r.perClassIoU()[1], 1e-12);
        assertEquals((0.75 + 2.0 / 3) / 2, r.mIoU(), 1e-12);
        double fBg1 = 1.3 * 1 * 0.5 / (0.3 * 1 + 0.5);
        double fC1 = 1.3 * (2.0 / 3) * 1 / (0.3 * 2.0 / 3 + 1);
        assertEquals((fBg1 + 1.0) / 2, r.perClassF()[0], 1e-12);
        assertEquals(fC1, r.perClassF()[1], 1e-12);
        // the official *_noBg drops the last class, here class 1
        assertEquals(0.75, r.mIoULastDropped(), 1e-12);
        assertEquals(2.0 / 3, r.mIoUNoBackground(), 1e-12);
        assertEquals(2, r.frames());
    }

    @Test
    void absentClassCountsAsZeroInTheAvssMean() {
        Metrics.AvssAccumulator a = new Metrics.AvssAccumulator(3);
        a.add(new int[] {0, 1}, new int[] {0, 1});
        assertEquals(2.0 / 3, a.result().mIoU(), 1e-12); // class 2 never occurs: 0
    }

    @Test
    void binaryEmptyGtAndBatchQuirk() {
        Metrics.BinaryAccumulator b = new Metrics.BinaryAccumulator();
        // frame 0: empty GT, empty prediction -> IoU ~1 (both-off pixels / all pixels); skipped by F
        b.add(new float[] {0, 0, 0, 0}, new boolean[] {false, false, false, false});
        // frame 1: perfect
        b.add(new float[] {1, 1, 0, 0}, new boolean[] {true, true, false, false});
        // frame 2: half right
        b.add(new float[] {1, 0, 0, 0}, new boolean[] {true, true, false, false});
        Metrics.BinaryResult perFrameBatches = b.result(1);
        assertEquals((1 + 1 + 0.5) / 3, perFrameBatches.mIoUPerFrame(), 1e-6);
        assertEquals((1 + 1 + 0.5) / 3, perFrameBatches.mIoUOfficial(), 1e-6);
        // batch 1: the empty-GT batch scores F = 0 (official score stays zeros)
        double fHalf = 1.3 * 1 * 0.5 / (0.3 + 0.5);
        assertEquals((0 + 1 + fHalf) / 3, perFrameBatches.fScoreOfficial(), 1e-6);
        assertEquals((1 + fHalf) / 2, perFrameBatches.fScorePerFrame(), 1e-6);
        // batch 2: [f0, f1] and [f2]: IoU batch means (1+1)/2 and 0.5
        Metrics.BinaryResult two = b.result(2);
        assertEquals((1 + 0.5) / 2, two.mIoUOfficial(), 1e-6);
        assertEquals((1 + fHalf) / 2, two.fScoreOfficial(), 1e-6);
        assertThrows(IllegalArgumentException.class, () -> b.result(0));
    }

    @Test
    void sizeMismatchIsAClearError() {
        assertThrows(AvsbenchException.class, () -> new Metrics.ConfusionMatrix(3).add(new int[2], new int[3]));
    }
}
