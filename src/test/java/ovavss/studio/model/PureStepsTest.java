package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each host step on hand-checked inputs (the golden test covers them chained). */
class PureStepsTest {
    @Test
    void shortestEdgeExamplesFromTheSpec() {
        assertArrayEquals(new int[] {360, 360}, FrameOps.shortestEdgeSize(224, 224, 360, 1333));
        assertArrayEquals(new int[] {360, 640}, FrameOps.shortestEdgeSize(720, 1280, 360, 1333));
        assertArrayEquals(new int[] {1333, 333}, FrameOps.shortestEdgeSize(8000, 2000, 360, 1333), "long side capped");
        assertEquals(384, FrameOps.padTo(360, 32));
        assertEquals(640, FrameOps.padTo(640, 32));
    }

    @Test
    void pilResizeKeepsConstantImagesAndIdentity() {
        int[] px = new int[40 * 30];
        java.util.Arrays.fill(px, 0xFF336699);
        for (int v : FrameOps.resizeBilinearPil(px, 40, 30, 17, 11)) {
            assertEquals(0xFF336699, v);
        }
        for (int v : FrameOps.resizeBilinearPil(px, 40, 30, 90, 70)) {
            assertEquals(0xFF336699, v);
        }
        int[] ramp = new int[8];
        for (int i = 0; i < 8; i++) {
            ramp[i] = 0xFF000000 | (i * 30);
        }
        assertArrayEquals(ramp, FrameOps.resizeBilinearPil(ramp, 8, 1, 8, 1));
        // 2:1 downscale with PIL's antialias: output 0 is centred at 1.0 with support 2, taps x = 0,1,2
        // weighted 0.75, 0.75, 0.25 (normalised by 1.75): 30·(3/7·1 + 1/7·2) = 21.43 → 21
        int[] half = FrameOps.resizeBilinearPil(ramp, 8, 1, 4, 1);
        assertEquals(21, half[0] & 0xFF);
    }

    @Test
    void normalisationPadsWithZeroAfterNormalising() {
        int[] px = {0xFF7B7468, 0xFF000000};
        float[] dst = new float[3 * 2 * 2];
        FrameOps.normalizeAndPad(px, 2, 1, new float[] {123f, 116f, 104f}, new float[] {2f, 2f, 2f}, 2, 2, dst, 0);
        assertEquals(0f, dst[0], 1e-6);
        assertEquals(-61.5f, dst[1], 1e-6);
        assertEquals(0f, dst[2]);
        assertEquals(0f, dst[3]);
    }

    @Test
    void bilinearAlignCornersFalse() {
        // 1×2 → 1×4: torch gives [1, 1.25, 1.75, 2]
        float[] out = MaskOps.resizeBilinear(new float[] {1, 2}, 1, 1, 2, 1, 4);
        assertArrayEquals(new float[] {1f, 1.25f, 1.75f, 2f}, out, 1e-6f);
    }

    @Test
    void boxesAndTopLeftSquares() {
        float[] logits = new float[6 * 8];
        java.util.Arrays.fill(logits, -5f);
        logits[2 * 8 + 3] = 4f;
        logits[3 * 8 + 6] = 4f;
        int[] box = MaskOps.tightBox(logits, 0, 6, 8, 0.5f);
        assertArrayEquals(new int[] {3, 2, 7, 4}, box);
        assertArrayEquals(new float[] {3, 2, 7, 6}, MaskOps.topLeftSquare(box), 0f);
        assertNull(MaskOps.tightBox(new float[4], 0, 2, 2, 0.5f), "logit 0 = probability 0.5 is not > 0.5");
    }

    @Test
    void roiAlignAveragesAdaptiveSamples() {
        // 4×4 image with value = x; a 4×4 roi to 2×2 bins uses 2×2 samples per bin at x = 0.5, 1.5 | 2.5, 3.5
        float[] img = new float[16];
        for (int i = 0; i < 16; i++) {
            img[i] = i % 4;
        }
        float[] out = MaskOps.roiAlign(img, 0, 1, 4, 4, new float[] {0, 0, 4, 4}, 2);
        // x = 3.5 clamps to the last column (3): bin 2 averages 2.5 and 3
        assertArrayEquals(new float[] {1f, 2.75f, 1f, 2.75f}, out, 1e-6f);
        // samples beyond one pixel outside read as zero
        float[] far = MaskOps.roiAlign(img, 0, 1, 4, 4, new float[] {10, 10, 14, 14}, 2);
        assertArrayEquals(new float[4], far, 0f);
    }

    @Test
    void ensembleSoftmaxTopK() {
        float[] e = ClipScoring.ensemble(new float[] {3, 0, 0, 2}, 2, 2);
        assertArrayEquals(new float[] {(float) Math.sqrt(0.5), (float) Math.sqrt(0.5)}, e, 1e-6f);
        float[] p = {0, (float) Math.log(3)};
        ClipScoring.softmaxRows(p, 1, 2);
        assertArrayEquals(new float[] {0.25f, 0.75f}, p, 1e-6f);
        List<ClipScoring.Pick> top = ClipScoring.topK(new float[] {0.1f, 0.5f, 0.5f, 0.2f}, 2, 2, 3);
        assertEquals(3, top.size());
        assertEquals(new ClipScoring.Pick(0, 1, 0.5f), top.get(0), "ties by flat index");
        assertEquals(new ClipScoring.Pick(1, 0, 0.5f), top.get(1));
        assertEquals(2, ClipScoring.topK(new float[] {1, 2}, 1, 2, 10).size(), "k capped at M·V");
    }

    @Test
    void firstWinsCompositionAndSoundGate() {
        WindowGeometry g = new WindowGeometry(1, 4, 4, 4, 4, 4, 4);
        float[][] logits = {new float[1], new float[1]};
        logits[0][0] = 5f; // query 0 covers everything
        logits[1][0] = 5f;
        WindowAnalysis a = new WindowAnalysis(0, 0, 1, g, new float[] {0.9f, 0.1f}, new int[] {0, 1},
                new boolean[][] {{true}, {true}}, new float[] {1, 0, 0, 1}, 2, new float[0], logits);
        PostProcessSettings s = new PostProcessSettings(0.5f, 10, 0.3f, 0f, 8, 100f, new float[3], new float[3], false,
                NameCalibration.NONE);
        // text: class 0 = [1,0], class 1 = [0,1] → query 0 is class 0, query 1 is class 1, both ~1.0
        List<WindowPostProcessor.Kept> kept = WindowPostProcessor.pick(a, new float[] {1, 0, 0, 1}, 2, s);
        assertEquals(2, kept.size());
        int[][] maps = WindowPostProcessor.labelMaps(a, kept, s);
        assertEquals(kept.get(0).classIndex() + 1, maps[0][0], "highest score wins every overlapping pixel");
        List<WindowPostProcessor.Kept> gated = WindowPostProcessor.pick(a, new float[] {1, 0, 0, 1}, 2,
                s.withSoundGate(true));
        assertEquals(1, gated.size(), "query 1 (sound 0.1) falls below 0.3 with the gate");
        assertEquals(0, gated.get(0).query());
        assertEquals(0.9f, gated.get(0).soundScore(), 1e-6f);
    }

    @Test
    void maskStrideSetsTheMaskLogitsSize() {
        WindowGeometry g = WindowGeometry.of(5, 360, 640, 128, 512, 32); // 128x228 → padded 128x256
        assertEquals(4, g.maskStride(), "the segmenter's stride by default");
        assertEquals(32, g.maskHeight());
        assertEquals(64, g.maskWidth());
        WindowGeometry full = g.withMaskStride(1);
        assertEquals(128, full.maskHeight(), "a refining proposer returns full-resolution logits");
        assertEquals(256, full.maskWidth());
        assertEquals(g.height(), full.height());
        assertEquals(64, g.withMaskStride(2).maskHeight());
        assertThrows(IllegalArgumentException.class, () -> g.withMaskStride(3));
    }
}
