package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import ovavss.studio.files.FileTrees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DJL loads the tiny test bundle (and the demo bundle when present) offline on the CPU. */
class ModelBundleTest {
    static final Path TINY = Path.of("src/test/resources/bundles/tiny");
    static final Path DEMO = Path.of("models/demo-avshapes");
    private static ModelBundle bundle;

    @BeforeAll
    static void load() throws Exception {
        bundle = ModelBundle.load(TINY, DevicePreference.CPU);
    }

    @AfterAll
    static void close() {
        if (bundle != null) {
            bundle.close();
        }
    }

    @Test
    void loadsOfflineOnCpuAndMatchesPythonOutputs() throws Exception {
        assertEquals("true", System.getProperty("ai.djl.offline"));
        assertFalse(bundle.onGpu());
        assertEquals("CPU", bundle.deviceName());
        JsonNode ref = new ObjectMapper().readTree(TINY.resolve("graph_reference.json").toFile());
        float[] frames = new float[5 * 3 * 64 * 96];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = (i % 97) / 48.0f - 1.0f;
        }
        float[] audio = new float[5 * 128];
        java.util.Arrays.fill(audio, 0.5f);
        try (ModelSession s = bundle.newSession()) {
            ModelSession.SegmenterOutput out = s.segment(frames, 64, 96, audio);
            assertEquals(6 * 2, out.soundLogits().length);
            assertEquals(6 * 5 * 16 * 24, out.maskLogits().length);
            for (int i = 0; i < 12; i++) {
                assertEquals(ref.get("seg_sound").get(i).asDouble(), out.soundLogits()[i], 1e-4);
            }
            for (int i = 0; i < 16; i++) {
                assertEquals(ref.get("seg_mask_first").get(i).asDouble(), out.maskLogits()[i], 1e-4);
            }
            double sum = 0;
            for (float v : out.maskLogits()) {
                sum += v;
            }
            assertEquals(ref.get("seg_mask_sum").asDouble(), sum, 1e-2);
            float[] emb = s.textEmbedding("red circle");
            assertEquals(8, emb.length);
            double n = 0;
            for (float v : emb) {
                n += v * v;
            }
            assertEquals(1.0, n, 1e-5);
        }
        assertTrue(ref.has("seg_sound"));
    }

    @Test
    void dynamicSpatialSizes() {
        try (ModelSession s = bundle.newSession()) {
            ModelSession.SegmenterOutput out = s.segment(new float[5 * 3 * 96 * 128], 96, 128, new float[5 * 128]);
            assertEquals(6 * 5 * 24 * 32, out.maskLogits().length);
            float[] img = new float[3 * 3 * 16 * 16];
            new Random(1).nextBytes(new byte[1]);
            assertEquals(3 * 8, s.encodeImages(img, 3).length);
            assertEquals(0, s.encodeImages(new float[0], 0).length);
        }
    }

    @Test
    void refusesCorruptGraphNamingTheFile(@TempDir Path tmp) throws Exception {
        Path copy = copyBundle(tmp);
        byte[] b = Files.readAllBytes(copy.resolve("clip_image.pt"));
        b[b.length / 2] ^= 1;
        Files.write(copy.resolve("clip_image.pt"), b);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(copy, DevicePreference.CPU));
        assertTrue(e.getMessage().contains("clip_image.pt") && e.getMessage().contains("SHA-256"), e.getMessage());
    }

    @Test
    void refusesWrongFormatAndMissingFile(@TempDir Path tmp) throws Exception {
        Path copy = copyBundle(tmp);
        Files.delete(copy.resolve("segmenter.pt"));
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(copy, DevicePreference.CPU));
        assertTrue(e.getMessage().contains("segmenter.pt") && e.getMessage().contains("missing"), e.getMessage());
        String json = Files.readString(copy.resolve("bundle.json")).replace("ovavss-bundle/1", "ovavss-bundle/9");
        Files.writeString(copy.resolve("bundle.json"), json);
        e = assertThrows(BundleException.class, () -> ModelBundle.load(copy, DevicePreference.CPU));
        assertTrue(e.getMessage().contains("format"), e.getMessage());
    }

    @Test
    void refusesShapeMismatchInDryRun(@TempDir Path tmp) throws Exception {
        Path copy = copyBundle(tmp);
        String json = Files.readString(copy.resolve("bundle.json")).replace("\"queries\": 6", "\"queries\": 7");
        Files.writeString(copy.resolve("bundle.json"), json);
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.load(copy, DevicePreference.CPU));
        assertTrue(e.getMessage().contains("segmenter.pt") && e.getMessage().contains("shape"), e.getMessage());
    }

    @Test
    void forcedGpuWithoutCudaIsAnErrorNotAFallback() {
        BundleException e = assertThrows(BundleException.class, () -> ModelBundle.chooseDevice(DevicePreference.GPU, 0));
        assertTrue(e.getMessage().contains("GPU requested"), e.getMessage());
    }

    @Test
    void demoBundleLoadsWhenPresent() throws Exception {
        if (!Files.isRegularFile(DEMO.resolve("bundle.json"))) {
            return; // written by the Python side; covered once it is committed
        }
        try (ModelBundle demo = ModelBundle.load(DEMO, DevicePreference.CPU)) {
            assertFalse(demo.manifest().defaultVocabulary().isEmpty());
        }
    }

    static Path copyBundle(Path tmp) throws Exception {
        return FileTrees.copy(TINY, tmp.resolve("b"));
    }
}
