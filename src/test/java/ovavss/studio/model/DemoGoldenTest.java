package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import ovavss.studio.audio.NpyIo;

/**
 * The demo bundle against the golden vectors its Python exporter wrote
 * ({@code src/test/resources/golden/demo/}): tokenizer ids exactly, each graph through DJL and
 * the text classifier within the manifest's tolerances. Graph checks run only when the committed
 * bundle is the one the vectors were made from (same SHA-256); the tokenizer check always runs.
 */
class DemoGoldenTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/demo");
    private static final Path DEMO = ModelBundleTest.DEMO;

    private static JsonNode manifest() throws Exception {
        return new ObjectMapper().readTree(GOLDEN.resolve("manifest.json").toFile());
    }

    private static float[] npy(String name) throws Exception {
        return NpyIo.read(GOLDEN.resolve(name)).asFloats();
    }

    private static void close(float[] exp, float[] act, double abs, double rel, String what) {
        assertEquals(exp.length, act.length, what);
        for (int i = 0; i < exp.length; i++) {
            if (Math.abs(exp[i] - act[i]) > abs + rel * Math.abs(exp[i])) {
                throw new AssertionError(what + "[" + i + "]: expected " + exp[i] + " got " + act[i]);
            }
        }
    }

    @Test
    void tokenizerIdsExact() throws Exception {
        assumeTrue(Files.isRegularFile(GOLDEN.resolve("manifest.json")), "demo golden vectors not present");
        JsonNode m = manifest();
        HashedNgramTokenizer t = new HashedNgramTokenizer(m.get("tokenizer").get("context_length").asInt());
        long[] ids = NpyIo.read(GOLDEN.resolve("tokenizer_ids.npy")).asLongs();
        int l = t.contextLength();
        int i = 0;
        for (JsonNode s : m.get("tokenizer_strings")) {
            long[] expected = java.util.Arrays.copyOfRange(ids, i * l, (i + 1) * l);
            assertArrayEquals(expected, t.encode(s.asText()), "string " + i + ": '" + s.asText() + "'");
            i++;
        }
        assertEquals(24, i);
    }

    private static boolean bundleMatchesGolden() throws Exception {
        if (!Files.isRegularFile(DEMO.resolve("bundle.json")) || !Files.isRegularFile(GOLDEN.resolve("manifest.json"))) {
            return false;
        }
        JsonNode sha = manifest().get("bundle_sha256");
        for (String g : BundleManifest.GRAPHS) {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(DEMO.resolve(g)));
            if (!HexFormat.of().formatHex(d).equals(sha.path(g).asText())) {
                return false;
            }
        }
        return true;
    }

    @Test
    void graphsAndTextClassifierMatchPython() throws Exception {
        assumeTrue(bundleMatchesGolden(), "golden vectors were made from another demo bundle version");
        JsonNode tol = manifest().get("tolerance");
        double abs = tol.get("graphs_abs").asDouble();
        double rel = tol.get("graphs_rel").asDouble();
        try (ModelBundle b = ModelBundle.load(DEMO, DevicePreference.CPU); ModelSession s = b.newSession()) {
            close(npy("audio_encoder_out.npy"), s.embedAudio(npy("audio_encoder_in.npy"), 2), abs, rel, "audio");
            ModelSession.SegmenterOutput out = s.segment(npy("segmenter_frames.npy"), 64, 96, npy("segmenter_audio.npy"));
            close(npy("segmenter_sound_logits.npy"), out.soundLogits(), abs, rel, "sound logits");
            close(npy("segmenter_mask_logits.npy"), out.maskLogits(), abs, rel, "mask logits");
            close(npy("clip_image_out.npy"), s.encodeImages(npy("clip_image_in.npy"), 3), abs, rel, "clip image");
            long[] tokens = NpyIo.read(GOLDEN.resolve("clip_text_in.npy")).asLongs();
            close(npy("clip_text_out.npy"), s.encodeTokens(tokens, 5), abs, rel, "clip text");
            float[] cls = npy("text_classifier.npy");
            int d = b.manifest().clipEmbeddingDim();
            int v = 0;
            for (String name : b.manifest().defaultVocabulary()) {
                close(java.util.Arrays.copyOfRange(cls, v * d, (v + 1) * d), s.textEmbedding(name),
                        tol.get("text_classifier_abs").asDouble(), 0, "text classifier '" + name + "'");
                v++;
            }
        }
    }
}
