package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Precision: fp32 / fp16 (as the official test). The manifest's {@code precisions} block, the
 * precision a load really runs at and the note when it is not the one asked for, and the tiny
 * bundle's fp16 graphs (run on the CPU through the hidden {@code ovavss.fp16.cpu} switch) against
 * its fp32 ones.
 */
class PrecisionTest {
    private static final Path TINY = ModelBundleTest.TINY;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static boolean tinyHasFp16() {
        return Files.isRegularFile(TINY.resolve("fp16/segmenter.pt"));
    }

    @Test
    void parsesFp32AndFp16AndNamesTheChoicesOtherwise() {
        assertEquals(Precision.FP16, Precision.parse("fp16"));
        assertEquals(Precision.FP32, Precision.parse(" FP32 "));
        assertEquals("fp16", Precision.FP16.id());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Precision.parse("half"));
        assertTrue(e.getMessage().contains("'half'") && e.getMessage().contains("fp32 or fp16"), e.getMessage());
    }

    // ---- bundle.json ---------------------------------------------------------------------------

    /** A folder holding only a bundle.json: the tiny bundle's, changed by {@code edit}. */
    private static Path manifest(Path tmp, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(TINY.resolve("bundle.json").toFile());
        ObjectNode sha = (ObjectNode) root.get("sha256");
        ObjectNode graphs = JSON.createObjectNode();
        for (String g : BundleManifest.GRAPHS) {
            graphs.put(g, "fp16/" + g);
            sha.put("fp16/" + g, "0".repeat(64));
        }
        ObjectNode fp16 = JSON.createObjectNode();
        fp16.set("graphs", graphs);
        fp16.put("how", "cast to float16");
        ObjectNode precisions = JSON.createObjectNode();
        precisions.set("fp16", fp16);
        root.set("precisions", precisions);
        edit.accept(root);
        Path dir = Files.createDirectories(tmp.resolve("b"));
        JSON.writeValue(dir.resolve("bundle.json").toFile(), root);
        return dir;
    }

    private static ObjectNode fp16Graphs(ObjectNode root) {
        return (ObjectNode) root.get("precisions").get("fp16").get("graphs");
    }

    private static String refused(Path dir) {
        BundleException e = assertThrows(BundleException.class, () -> BundleManifest.read(dir));
        assertTrue(e.getMessage().startsWith("bundle.json: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheFp16GraphsOfAManifest(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(manifest(tmp, r -> { }));
        assertTrue(m.has(Precision.FP16));
        assertTrue(m.has(Precision.FP32));
        assertEquals("fp16/segmenter.pt", m.graphFile("segmenter.pt", Precision.FP16));
        assertEquals("segmenter.pt", m.graphFile("segmenter.pt", Precision.FP32));
        assertThrows(IllegalArgumentException.class, () -> m.graphFile("other.pt", Precision.FP16));
    }

    @Test
    void aManifestWithoutPrecisionsHasOnlyFp32(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(manifest(tmp, r -> r.remove("precisions")));
        assertFalse(m.has(Precision.FP16));
        assertEquals("clip_text.pt", m.graphFile("clip_text.pt", Precision.FP16));
    }

    @Test
    void aGraphTheFp16BlockDoesNotListRunsItsFp32File(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(manifest(tmp, r -> fp16Graphs(r).remove("clip_text.pt")));
        assertTrue(m.has(Precision.FP16));
        assertEquals("clip_text.pt", m.graphFile("clip_text.pt", Precision.FP16));
        assertEquals("fp16/clip_image.pt", m.graphFile("clip_image.pt", Precision.FP16));
    }

    @Test
    void anUnknownPrecisionIsSkipped(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(manifest(tmp, r -> ((ObjectNode) r.get("precisions"))
                .set("int4", JSON.createObjectNode().put("how", "a later exporter"))));
        assertTrue(m.has(Precision.FP16));
    }

    @Test
    void refusesAFileWithoutSha256Entry(@TempDir Path tmp) throws Exception {
        String m = refused(manifest(tmp, r -> ((ObjectNode) r.get("sha256")).remove("fp16/segmenter.pt")));
        assertTrue(m.contains("precisions.fp16.graphs.segmenter.pt") && m.contains("'fp16/segmenter.pt'")
                && m.contains("no sha256 entry"), m);
    }

    @Test
    void refusesAPathOutsideTheBundle(@TempDir Path tmp) throws Exception {
        for (String bad : new String[] {"../elsewhere/segmenter.pt", "fp16/../../segmenter.pt", "/tmp/segmenter.pt"}) {
            String m = refused(manifest(tmp, r -> {
                fp16Graphs(r).put("segmenter.pt", bad);
                ((ObjectNode) r.get("sha256")).put(bad, "0".repeat(64));
            }));
            assertTrue(m.contains("'" + bad + "'") && m.contains("outside the bundle"), m);
        }
    }

    @Test
    void refusesAnUnknownGraphKey(@TempDir Path tmp) throws Exception {
        String m = refused(manifest(tmp, r -> fp16Graphs(r).put("decoder.pt", "fp16/segmenter.pt")));
        assertTrue(m.contains("'decoder.pt'") && m.contains("segmenter.pt, clip_image.pt"), m);
    }

    @Test
    void refusesAMalformedBlock(@TempDir Path tmp) throws Exception {
        assertTrue(refused(manifest(tmp, r -> r.put("precisions", "fp16"))).contains("'precisions' must be an object"));
        assertTrue(refused(manifest(tmp, r -> ((ObjectNode) r.get("precisions").get("fp16")).remove("graphs")))
                .contains("precisions.fp16.graphs"));
        assertTrue(refused(manifest(tmp, r -> fp16Graphs(r).put("segmenter.pt", 3))).contains("must be a file name"));
        assertTrue(refused(manifest(tmp, r -> ((ObjectNode) r.get("precisions")).set("fp32",
                JSON.createObjectNode()))).contains("fp32"));
    }

    // ---- the precision a load runs at ----------------------------------------------------------

    @Test
    void fp16RunsOnlyOnAGpuWithFp16Graphs(@TempDir Path tmp) throws Exception {
        BundleManifest with = BundleManifest.read(manifest(tmp.resolve("with"), r -> { }));
        BundleManifest without = BundleManifest.read(manifest(tmp.resolve("without"), r -> r.remove("precisions")));
        assertEquals(new ModelBundle.PrecisionChoice(Precision.FP16, null),
                ModelBundle.choosePrecision(with, true, Precision.FP16, false));
        assertEquals(new ModelBundle.PrecisionChoice(Precision.FP32, null),
                ModelBundle.choosePrecision(with, true, Precision.FP32, false));
        assertEquals(new ModelBundle.PrecisionChoice(Precision.FP32, "fp16 needs a CUDA GPU; running fp32 on the CPU"),
                ModelBundle.choosePrecision(with, false, Precision.FP16, false));
        assertEquals(new ModelBundle.PrecisionChoice(Precision.FP16, null),
                ModelBundle.choosePrecision(with, false, Precision.FP16, true), "the hidden CPU switch");
        assertEquals(new ModelBundle.PrecisionChoice(Precision.FP32,
                "bundle 'tiny-test' has no fp16 graphs (models/add_fp16.py makes them); running fp32"),
                ModelBundle.choosePrecision(without, true, Precision.FP16, false));
    }

    @Test
    void fp16OnTheCpuLoadsFp32WithANote() throws Exception {
        try (ModelBundle b = ModelBundle.load(TINY, DevicePreference.CPU, Precision.FP16)) {
            assertEquals(Precision.FP32, b.precision());
            assertEquals(Optional.of("fp16 needs a CUDA GPU; running fp32 on the CPU"), b.precisionNote());
            assertEquals("CPU", b.deviceName());
            assertTrue(b.gpuMemoryUsedBytes().isEmpty(), "no GPU memory on the CPU");
        }
    }

    @Test
    void fp16OfABundleWithoutFp16GraphsLoadsFp32WithANote(@TempDir Path tmp) throws Exception {
        Path copy = ModelBundleTest.copyBundle(tmp);
        ObjectNode root = (ObjectNode) JSON.readTree(copy.resolve("bundle.json").toFile());
        root.remove("precisions");
        JSON.writeValue(copy.resolve("bundle.json").toFile(), root);
        try (ModelBundle b = ModelBundle.load(copy, DevicePreference.CPU, Precision.FP16)) {
            assertEquals(Precision.FP32, b.precision());
            assertEquals(Optional.of("bundle 'tiny-test' has no fp16 graphs (models/add_fp16.py makes them); "
                    + "running fp32"), b.precisionNote());
        }
    }

    @Test
    void fp32IsTheDefaultAndHasNoNote() throws Exception {
        try (ModelBundle b = ModelBundle.load(TINY, DevicePreference.CPU)) {
            assertEquals(Precision.FP32, b.precision());
            assertTrue(b.precisionNote().isEmpty());
        }
    }

    @Test
    void aCorruptFp16GraphIsRefusedNamingIt(@TempDir Path tmp) throws Exception {
        assumeTrue(tinyHasFp16(), "the tiny bundle's fp16 graphs are not there yet");
        Path copy = ModelBundleTest.copyBundle(tmp);
        Path f = copy.resolve("fp16/clip_image.pt");
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 1;
        Files.write(f, b);
        BundleException e = assertThrows(BundleException.class,
                () -> ModelBundle.load(copy, DevicePreference.CPU, Precision.FP32));
        assertTrue(e.getMessage().contains("fp16/clip_image.pt") && e.getMessage().contains("SHA-256"),
                e.getMessage());
    }

    // ---- the tiny bundle's fp16 graphs against its fp32 ones -----------------------------------

    @Test
    void fp16GraphsOnTheCpuGiveWhatFp32Gives() throws Exception {
        assumeTrue(tinyHasFp16(), "the tiny bundle's fp16 graphs are not there yet");
        String was = System.getProperty(ModelBundle.FP16_ON_CPU);
        System.setProperty(ModelBundle.FP16_ON_CPU, "true");
        try (ModelBundle b16 = ModelBundle.load(TINY, DevicePreference.CPU, Precision.FP16);
             ModelBundle b32 = ModelBundle.load(TINY, DevicePreference.CPU, Precision.FP32);
             ModelSession s16 = b16.newSession();
             ModelSession s32 = b32.newSession()) {
            assertEquals(Precision.FP16, b16.precision(), "loaded (and dry-run) the fp16 graphs");
            assertTrue(b16.precisionNote().isEmpty());

            java.util.Random r = new java.util.Random(3);
            float[] logMel = new float[5 * 96 * 64];
            for (int i = 0; i < logMel.length; i++) {
                logMel[i] = (float) r.nextGaussian();
            }
            float[] a16 = s16.embedAudio(logMel, 5);
            float[] a32 = s32.embedAudio(logMel, 5);
            assertClose("audio_encoder.pt", a32, a16);

            float[] frames = new float[5 * 3 * 64 * 96];
            for (int i = 0; i < frames.length; i++) {
                frames[i] = (float) r.nextGaussian();
            }
            // the same audio embedding into both segmenters: each graph is compared on its own
            ModelSession.SegmenterOutput o16 = s16.segment(frames, 64, 96, a32);
            ModelSession.SegmenterOutput o32 = s32.segment(frames, 64, 96, a32);
            assertClose("segmenter.pt sound", o32.soundLogits(), o16.soundLogits());
            assertClose("segmenter.pt masks", o32.maskLogits(), o16.maskLogits());
            int same = 0;
            for (int i = 0; i < o32.maskLogits().length; i++) {
                same += (o32.maskLogits()[i] > 0) == (o16.maskLogits()[i] > 0) ? 1 : 0;
            }
            assertTrue(same >= 0.99 * o32.maskLogits().length, "mask signs agree: " + same);

            float[] crops = new float[2 * 3 * 16 * 16];
            for (int i = 0; i < crops.length; i++) {
                crops[i] = (float) r.nextGaussian();
            }
            assertClose("clip_image.pt", s32.encodeImages(crops, 2), s16.encodeImages(crops, 2));
            assertClose("clip_text.pt", s32.textEmbedding("red circle"), s16.textEmbedding("red circle"));
        } finally {
            if (was == null) {
                System.clearProperty(ModelBundle.FP16_ON_CPU);
            } else {
                System.setProperty(ModelBundle.FP16_ON_CPU, was);
            }
        }
    }

    /** Within float16's precision: the largest difference under 1 % of the largest fp32 value. */
    private static void assertClose(String what, float[] fp32, float[] fp16) {
        assertEquals(fp32.length, fp16.length, what);
        double maxAbs = 0;
        double maxDiff = 0;
        for (int i = 0; i < fp32.length; i++) {
            assertTrue(Float.isFinite(fp16[i]), what + ": not finite at " + i);
            maxAbs = Math.max(maxAbs, Math.abs(fp32[i]));
            maxDiff = Math.max(maxDiff, Math.abs(fp32[i] - fp16[i]));
        }
        assertTrue(maxAbs > 0, what + ": all zero");
        assertTrue(maxDiff <= 0.01 * maxAbs, what + ": max diff " + maxDiff + " of max " + maxAbs);
    }
}
