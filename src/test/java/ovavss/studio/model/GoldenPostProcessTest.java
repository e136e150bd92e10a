package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ovavss.studio.audio.NpyIo;

/**
 * The whole host post-processing chain against the independent torch/PIL reference written by
 * {@code models/golden/postprocess_golden.py}. Stage by stage: resized frames and label maps must
 * be identical; floating-point intermediates agree within 1e-4 (absolute, after scaling) because
 * the reference computes roi_align and the CLIP arithmetic in float64.
 */
class GoldenPostProcessTest {
    private static final Path ROOT = Path.of("src/test/resources/golden/postprocess");
    private static final float[] MEAN = {123.675f, 116.28f, 103.53f};
    private static final float[] STD = {58.395f, 57.12f, 57.375f};
    private static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    private static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private static NpyIo.Array npy(Path dir, String name) throws IOException {
        return NpyIo.read(dir.resolve(name + ".npy"));
    }

    private static void close(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1.0, Math.abs(expected[i]));
            if (Math.abs(expected[i] - actual[i]) > tol * scale) {
                throw new AssertionError(what + "[" + i + "]: expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"case1", "case2"})
    void chainMatchesReference(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        JsonNode meta = new ObjectMapper().readTree(Files.readString(dir.resolve("meta.json")));
        int t = meta.get("T").asInt();
        int q = meta.get("Q").asInt();
        int h0 = meta.get("H0").asInt();
        int w0 = meta.get("W0").asInt();
        int v = meta.get("V").asInt();
        int r = meta.get("R").asInt();
        int d = meta.get("D").asInt();
        int nt = meta.get("n_templates").asInt();

        // 1. resize (bit-exact with PIL) + normalise + pad
        WindowGeometry g = WindowGeometry.of(t, h0, w0, meta.get("short").asInt(), meta.get("max_size").asInt(),
                meta.get("div").asInt());
        assertEquals(meta.get("H").asInt(), g.height());
        assertEquals(meta.get("W").asInt(), g.width());
        assertEquals(meta.get("Hp").asInt(), g.paddedHeight());
        assertEquals(meta.get("Wp").asInt(), g.paddedWidth());
        byte[] src = (byte[]) npy(dir, "frames0_u8").data();
        byte[] expResized = (byte[]) npy(dir, "resized_u8").data();
        float[] expPadded = npy(dir, "padded_norm").asFloats();
        float[] resizedChw = new float[t * 3 * g.height() * g.width()];
        float[] padded = new float[t * 3 * g.paddedHeight() * g.paddedWidth()];
        int mismatches = 0;
        for (int f = 0; f < t; f++) {
            int[] argb = new int[h0 * w0];
            for (int i = 0; i < argb.length; i++) {
                int o = (f * h0 * w0 + i) * 3;
                argb[i] = 0xFF000000 | (src[o] & 0xFF) << 16 | (src[o + 1] & 0xFF) << 8 | (src[o + 2] & 0xFF);
            }
            int[] res = FrameOps.resizeBilinearPil(argb, w0, h0, g.width(), g.height());
            for (int i = 0; i < res.length; i++) {
                int o = (f * res.length + i) * 3;
                int p = res[i];
                if ((expResized[o] & 0xFF) != ((p >> 16) & 0xFF) || (expResized[o + 1] & 0xFF) != ((p >> 8) & 0xFF)
                        || (expResized[o + 2] & 0xFF) != (p & 0xFF)) {
                    mismatches++;
                }
            }
            System.arraycopy(FrameOps.toChw(res, g.width(), g.height()), 0, resizedChw, f * 3 * res.length,
                    3 * res.length);
            FrameOps.normalizeAndPad(res, g.width(), g.height(), MEAN, STD, g.paddedWidth(), g.paddedHeight(),
                    padded, f * 3 * g.paddedHeight() * g.paddedWidth());
        }
        assertEquals(0, mismatches, "pixels differing from PIL");
        close(expPadded, padded, 1e-6, "normalised padded frames");

        // 2. upsample
        float[] low = npy(dir, "mask_lowres").asFloats();
        float[] up = MaskOps.resizeBilinear(low, q * t, g.maskHeight(), g.maskWidth(), g.paddedHeight(),
                g.paddedWidth());
        close(npy(dir, "upsampled").asFloats(), up, 1e-5, "upsampled logits");

        // 3. the whole vocabulary-independent stage with the reference's linear "CLIP image encoder"
        float[] wImg = npy(dir, "w_img").asFloats();
        float[] expClipIn = npy(dir, "clip_input").asFloats();
        List<float[]> seenCrops = new ArrayList<>();
        ImageEncoder enc = (crops, k) -> {
            seenCrops.add(crops.clone());
            int in = 3 * r * r;
            float[] out = new float[k * d];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < d; j++) {
                    double s = 0;
                    for (int x = 0; x < in; x++) {
                        s += (double) crops[i * in + x] * wImg[x * d + j];
                    }
                    out[i * d + j] = (float) s;
                }
            }
            return out;
        };
        PostProcessSettings s = new PostProcessSettings(0.5f, meta.get("top_k").asInt(),
                (float) meta.get("threshold").asDouble(), 0f, r, 100f, CLIP_MEAN, CLIP_STD, false,
                NameCalibration.NONE);
        float[] soundLogits = npy(dir, "sound_logits").asFloats();
        WindowAnalysis a = WindowPostProcessor.analyse(0, 0, t, g, resizedChw, low, soundLogits, q, s, enc);
        close(expClipIn, seenCrops.get(0), 1e-4, "CLIP crops (roi_align + blend + normalise)");
        assertEquals(meta.get("K").asInt(), a.cropEmbeddings().length / d);
        close(npy(dir, "image_emb").asFloats(), a.cropEmbeddings(), 1e-4, "image embeddings");
        long[] expQueries = npy(dir, "queries").asLongs();
        assertArrayEquals(java.util.Arrays.stream(expQueries).mapToInt(x -> (int) x).toArray(), a.queries());
        byte[] expValid = (byte[]) npy(dir, "valid").data();
        for (int m = 0; m < a.validQueries(); m++) {
            for (int f = 0; f < t; f++) {
                assertEquals(expValid[f * q + a.queries()[m]] != 0, a.validFrames()[m][f], "valid t=" + f);
            }
        }
        close(npy(dir, "sound_scores").asFloats(), a.soundScores(), 1e-6, "sound scores");

        // 4. text ensemble, logits per crop, per-query mean + softmax
        float[] textRaw = npy(dir, "text_raw").asFloats();
        float[] text = new float[v * d];
        for (int c = 0; c < v; c++) {
            float[] one = java.util.Arrays.copyOfRange(textRaw, c * nt * d, (c + 1) * nt * d);
            System.arraycopy(ClipScoring.ensemble(one, nt, d), 0, text, c * d, d);
        }
        close(npy(dir, "text_emb").asFloats(), text, 1e-5, "text embeddings");
        int k = a.cropEmbeddings().length / d;
        close(npy(dir, "clip_logits").asFloats(), ClipScoring.logits(a.cropEmbeddings(), k, text, v, d, 100f),
                1e-4, "CLIP logits");
        float[] perQuery = ClipScoring.logits(a.meanEmbedding(), a.validQueries(), text, v, d, 100f);
        ClipScoring.softmaxRows(perQuery, a.validQueries(), v);
        close(npy(dir, "pred_cls").asFloats(), perQuery, 1e-4, "pred_cls");

        // 5. top-k, filter, composition
        List<WindowPostProcessor.Kept> kept = WindowPostProcessor.pick(a, text, v, s);
        float[] topScores = npy(dir, "top_scores").asFloats();
        long[] topLabels = npy(dir, "top_labels").asLongs();
        long[] topQuery = npy(dir, "top_query").asLongs();
        int expectedKept = meta.get("kept").asInt();
        assertEquals(expectedKept, kept.size());
        assertTrue(expectedKept > 0, "golden case should keep objects");
        for (int i = 0; i < kept.size(); i++) {
            assertEquals(topScores[i], kept.get(i).score(), 1e-4);
            assertEquals(topLabels[i], kept.get(i).classIndex());
            assertEquals(topQuery[i], kept.get(i).query());
        }
        int[][] maps = WindowPostProcessor.labelMaps(a, kept, s);
        int[] expSem = (int[]) npy(dir, "semantic").data();
        int diff = 0;
        int nonZero = 0;
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < h0 * w0; i++) {
                if (maps[f][i] != expSem[f * h0 * w0 + i]) {
                    diff++;
                }
                if (maps[f][i] != 0) {
                    nonZero++;
                }
            }
        }
        assertEquals(0, diff, "label map pixels differing from the reference");
        assertTrue(nonZero > 0);
    }
}
