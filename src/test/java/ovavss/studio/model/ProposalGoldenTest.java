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
 * SeAC's and OpenAVS's host code against the Python reference ({@code models/methods}) on the
 * golden cases of {@code models/golden/methods_golden.py}: which proposer queries take part, the
 * local crops' and global views' embeddings, the mask features, the audio–mask similarities and
 * both methods' label maps. The learned graphs are the reference's fixed stand-ins (a linear image
 * encoder, a linear association projection, given audio vectors).
 */
class ProposalGoldenTest {
    private static final Path ROOT = Path.of("src/test/resources/golden/methods");
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

    private static float[] linear(float[] x, int k, int in, float[] w, int out) {
        float[] y = new float[k * out];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < out; j++) {
                double s = 0;
                for (int c = 0; c < in; c++) {
                    s += (double) x[i * in + c] * w[c * out + j];
                }
                y[i * out + j] = (float) s;
            }
        }
        return y;
    }

    @ParameterizedTest
    @ValueSource(strings = {"case1", "case2", "case3"})
    void bothMethodsMatchTheReference(String name) throws IOException {
        Path dir = ROOT.resolve(name);
        JsonNode meta = new ObjectMapper().readTree(Files.readString(dir.resolve("meta.json")));
        int t = meta.get("T").asInt();
        int q = meta.get("Q").asInt();
        int h0 = meta.get("H0").asInt();
        int w0 = meta.get("W0").asInt();
        int v = meta.get("V").asInt();
        int r = meta.get("R").asInt();
        int d = meta.get("D").asInt();
        int da = meta.get("DA").asInt();
        // case3's mask logits are at full resolution, as a proposer that refines its masks returns them
        WindowGeometry g = WindowGeometry.of(t, h0, w0, 64, 512, 32).withMaskStride(meta.get("mask_stride").asInt());
        assertEquals(h0, g.height(), "the case needs no resize");
        byte[] src = (byte[]) npy(dir, "frames_u8").data();
        float[] chw = new float[t * 3 * h0 * w0];
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < h0 * w0; i++) {
                for (int c = 0; c < 3; c++) {
                    chw[f * 3 * h0 * w0 + c * h0 * w0 + i] = src[(f * h0 * w0 + i) * 3 + c] & 0xFF;
                }
            }
        }
        float[] wImg = npy(dir, "w_img").asFloats();
        ImageEncoder enc = (crops, k) -> linear(crops, k, 3 * r * r, wImg, d);
        PostProcessSettings pp = new PostProcessSettings(0.5f, 10, 0.3f, 0f, r, 100f, CLIP_MEAN, CLIP_STD, false,
                NameCalibration.NONE);
        float[] objLogits = npy(dir, "obj_logits").asFloats();
        float[] lowRes = npy(dir, "mask_lowres").asFloats();
        float thr = (float) meta.get("prompt_threshold").asDouble();
        MethodSettings seacSettings = new MethodSettings(AnalysisMethod.SEAC, (float) meta.get("min_objectness").asDouble(),
                meta.get("top").asInt(), (float) meta.get("lambda").asDouble(), (float) meta.get("sigma").asDouble(),
                (float) meta.get("blur_sigma").asDouble(), Float.NaN, Float.NaN, Float.NaN, ProposalNaming.FEATURES,
                NameCalibration.NONE, MaskPooling.FRAME, Float.NaN, 0f, 0f);
        MethodSettings openSettings = new MethodSettings(AnalysisMethod.OPENAVS, seacSettings.minObjectness(),
                seacSettings.topProposals(), Float.NaN, Float.NaN, Float.NaN, thr,
                (float) meta.get("prompt_scale").asDouble(), (float) meta.get("prompt_bias").asDouble(),
                ProposalNaming.CROP, NameCalibration.NONE, null, Float.NaN, 0f, 0f);

        // which queries take part, their rows and local crop embeddings
        float[] objectness = WindowPostProcessor.soundScores(objLogits, q);
        boolean[] eligible = ProposalPostProcessor.eligible(objectness, q, seacSettings);
        assertTrue(eligible[0] && !eligible[1], "the case's sure and impossible queries");
        WindowAnalysis a = WindowPostProcessor.analyse(0, 0, t, g, chw, lowRes, objLogits, q, pp, enc, eligible);
        int k = meta.get("K").asInt();
        assertEquals(k, a.cropEmbeddings().length / d, "rows");
        close(npy(dir, "local").asFloats(), a.cropEmbeddings(), 1e-4, "local crop embeddings");
        long[] expT = npy(dir, "rows_t").asLongs();
        long[] expQ = npy(dir, "rows_q").asLongs();
        int[] rowFrame = new int[k];
        int[] rowQuery = new int[k];
        int i = 0;
        for (int f = 0; f < t; f++) {
            for (int m = 0; m < a.queries().length; m++) {
                if (a.validFrames()[m][f]) {
                    rowFrame[i] = f;
                    rowQuery[i++] = a.queries()[m];
                }
            }
        }
        assertArrayEquals(java.util.Arrays.stream(expT).mapToInt(x -> (int) x).toArray(), rowFrame);
        assertArrayEquals(java.util.Arrays.stream(expQ).mapToInt(x -> (int) x).toArray(), rowQuery);

        // SeAC: global views, features, similarities, label maps
        WindowAnalysis.ProposalData rows = new WindowAnalysis.ProposalData(AnalysisMethod.SEAC, seacSettings, rowFrame,
                rowQuery, null, null, null, null);
        WindowAnalysis shaped = with(a, rows);
        float[] views = ProposalPostProcessor.globalViews(shaped, chw, pp, seacSettings.blurSigma());
        close(npy(dir, "global_input").asFloats(), views, 1e-4, "global views (blur, blend, roi_align, normalise)");
        float[] global = enc.encode(views, k);
        ClipScoring.l2NormalizeRows(global, k, d);
        close(npy(dir, "global").asFloats(), global, 1e-4, "global view embeddings");
        float[] features = ProposalPostProcessor.mixViews(a.cropEmbeddings(), global, seacSettings.lambdaLocal());
        close(npy(dir, "features").asFloats(), features, 1e-4, "mask features");
        float[] proj = linear(features, k, d, npy(dir, "w_assoc").asFloats(), da);
        ClipScoring.l2NormalizeRows(proj, k, da);
        float[] audio = npy(dir, "audio_assoc").asFloats();
        float[] sims = ProposalPostProcessor.associations(proj, audio, rowFrame, rowQuery, da, MaskPooling.FRAME);
        close(npy(dir, "association").asFloats(), sims, 1e-4, "audio-mask similarities");
        assertTrue(meta.get("window_pooling_changes").asInt() > 0, "pooling by window changes some similarities");
        close(npy(dir, "association_window").asFloats(),
                ProposalPostProcessor.associations(proj, audio, rowFrame, rowQuery, da, MaskPooling.WINDOW), 1e-4,
                "audio-mask similarities, pooled by window");
        float[] text = npy(dir, "text").asFloats();
        List<String> names = new ArrayList<>();
        for (int c = 0; c < v; c++) {
            names.add("name" + c);
        }
        // every naming a method may declare; the case renames some rows under each (else a naming
        // that fell back to another would pass)
        JsonNode renamed = meta.get("renamed_rows");
        assertTrue(renamed.get("features").asInt() > 0 && renamed.get("window_crops").asInt() > 0,
                "the case names some rows differently under each naming");
        // … and each again with the base names lowered by the case's γ (the base list in upper case
        // and padded: the calibration compares names as a user would)
        List<String> base = new ArrayList<>();
        meta.get("base_names").forEach(n -> base.add(" " + n.asText().toUpperCase(java.util.Locale.ROOT) + " "));
        NameCalibration calibrated = NameCalibration.of((float) meta.get("calibration").asDouble(), base);
        int renamedByCalibration = 0;
        for (JsonNode n : meta.get("renamed_by_calibration")) {
            renamedByCalibration += n.asInt();
        }
        assertTrue(renamedByCalibration > 0, "the calibration renames some rows");
        // the seconds' levels travel with every window; without a declared gate they change nothing
        float[] levels = npy(dir, "levels_db").asFloats();
        for (NameCalibration calibration : List.of(NameCalibration.NONE, calibrated)) {
            String suffix = calibration == NameCalibration.NONE ? "" : "_calibrated";
            for (ProposalNaming naming : ProposalNaming.values()) {
                MethodSettings s = withNaming(seacSettings, naming, calibration);
                WindowAnalysis seac = with(a, new WindowAnalysis.ProposalData(AnalysisMethod.SEAC, s, rowFrame,
                        rowQuery, features, sims, null, levels));
                assertLabels(npy(dir, "labels_seac_" + naming.id() + suffix),
                        ProposalPostProcessor.label(seac, text, v, names, pp), "SeAC (" + naming.id() + suffix + ")", t);
            }

            // OpenAVS: prompts from the audio vectors, names from the local crops (or the window's)
            for (ProposalNaming naming : List.of(ProposalNaming.CROP, ProposalNaming.WINDOW_CROPS)) {
                WindowAnalysis open = with(a, new WindowAnalysis.ProposalData(AnalysisMethod.OPENAVS,
                        withNaming(openSettings, naming, calibration), rowFrame, rowQuery, null, null,
                        npy(dir, "audio_text").asFloats(), levels));
                assertLabels(npy(dir, "labels_openavs_" + naming.id() + suffix),
                        ProposalPostProcessor.label(open, text, v, names, pp), "OpenAVS (" + naming.id() + suffix + ")", t);
            }
        }

        // SeAC's silence gate: the frames of seconds quieter than the case's level label nothing
        MethodSettings w = withNaming(seacSettings, ProposalNaming.WINDOW_CROPS, NameCalibration.NONE);
        MethodSettings gated = new MethodSettings(w.method(), w.minObjectness(), w.topProposals(), w.lambdaLocal(),
                w.sigma(), w.blurSigma(), w.promptThreshold(), w.promptScale(), w.promptBias(), w.naming(),
                w.calibration(), w.maskPooling(), (float) meta.get("silence_db").asDouble(), 0f, 0f);
        WindowAnalysis quiet = with(a, new WindowAnalysis.ProposalData(AnalysisMethod.SEAC, gated, rowFrame, rowQuery,
                features, sims, null, levels));
        assertLabels(npy(dir, "labels_seac_window_crops_silenced"), ProposalPostProcessor.label(quiet, text, v, names, pp),
                "SeAC (window_crops, silence gate)", t);

        // SeAC's heard naming: each second's audio–text score of a name, weighted, joins CLIP's cosine
        float[] audioText = npy(dir, "audio_text").asFloats();
        assertTrue(meta.get("renamed_by_heard").asInt() > 0, "the case's heard naming renames some rows");
        MethodSettings hearing = new MethodSettings(w.method(), w.minObjectness(), w.topProposals(), w.lambdaLocal(),
                w.sigma(), w.blurSigma(), w.promptThreshold(), (float) meta.get("prompt_scale").asDouble(),
                (float) meta.get("prompt_bias").asDouble(), w.naming(), w.calibration(), w.maskPooling(), Float.NaN,
                (float) meta.get("heard_weight").asDouble(), 0f);
        WindowAnalysis heard = with(a, new WindowAnalysis.ProposalData(AnalysisMethod.SEAC, hearing, rowFrame, rowQuery,
                features, sims, audioText, null));
        assertLabels(npy(dir, "labels_seac_window_crops_heard"), ProposalPostProcessor.label(heard, text, v, names, pp),
                "SeAC (window_crops, heard naming)", t);

        // and its heard gate: a labelled name its second scores below the gate labels nothing
        assertTrue(meta.get("unheard_pixels").asInt() > 0, "the case's heard gate clears some labels");
        MethodSettings gate = new MethodSettings(hearing.method(), hearing.minObjectness(), hearing.topProposals(),
                hearing.lambdaLocal(), hearing.sigma(), hearing.blurSigma(), hearing.promptThreshold(),
                hearing.promptScale(), hearing.promptBias(), hearing.naming(), hearing.calibration(),
                hearing.maskPooling(), Float.NaN, hearing.heardNaming(), (float) meta.get("heard_gate").asDouble());
        WindowAnalysis gatedByEar = with(a, new WindowAnalysis.ProposalData(AnalysisMethod.SEAC, gate, rowFrame, rowQuery,
                features, sims, audioText, null));
        assertLabels(npy(dir, "labels_seac_window_crops_heard_gated"),
                ProposalPostProcessor.label(gatedByEar, text, v, names, pp), "SeAC (window_crops, heard gate)", t);
    }

    private static MethodSettings withNaming(MethodSettings s, ProposalNaming naming, NameCalibration calibration) {
        return new MethodSettings(s.method(), s.minObjectness(), s.topProposals(), s.lambdaLocal(), s.sigma(),
                s.blurSigma(), s.promptThreshold(), s.promptScale(), s.promptBias(), naming, calibration,
                s.maskPooling(), s.silenceDb(), s.heardNaming(), s.heardGate());
    }

    private static void assertLabels(NpyIo.Array expected, ProposalPostProcessor.Labels got, String what, int t) {
        int[] want = (int[]) expected.data();
        int plane = want.length / t;
        int labelled = 0;
        for (int f = 0; f < t; f++) {
            for (int p = 0; p < plane; p++) {
                int o = got.owners()[f][p];
                int label = o < 0 ? 0 : got.objects().get(o).classIndex() + 1;
                if (label != want[f * plane + p]) {
                    throw new AssertionError(what + " frame " + f + " pixel " + p + ": expected " + want[f * plane + p]
                            + " got " + label);
                }
                labelled += label > 0 ? 1 : 0;
            }
        }
        assertTrue(labelled > 0, what + ": the case labels some pixels");
        for (ObjectPrediction o : got.objects()) {
            assertTrue(o.keyframes().length > 0, what + ": an object owns pixels in some frame");
        }
    }

    private static WindowAnalysis with(WindowAnalysis a, WindowAnalysis.ProposalData d) {
        return new WindowAnalysis(a.index(), a.firstKeyframe(), a.realFrames(), a.geometry(), a.soundScores(),
                a.queries(), a.validFrames(), a.meanEmbedding(), a.embeddingDim(), a.cropEmbeddings(), a.maskLogits(), d);
    }
}
