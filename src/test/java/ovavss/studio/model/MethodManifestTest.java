package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code methods} block of bundle.json: an old bundle offers OV-AVSS alone, a declared method
 * brings its graphs and constants, a broken declaration is refused naming the key, an unknown
 * method is skipped.
 */
class MethodManifestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path bundle(Path tmp, Consumer<ObjectNode> edit) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(ModelBundleTest.TINY.resolve("bundle.json").toFile());
        ObjectNode sha = (ObjectNode) root.get("sha256");
        for (String g : List.of("proposer.pt", "association_audio.pt", "association_mask.pt", "audio_text.pt")) {
            sha.put(g, "0".repeat(64));
        }
        ObjectNode methods = root.putObject("methods");
        ObjectNode seac = methods.putObject("seac");
        seac.putArray("graphs").add("proposer.pt").add("association_audio.pt").add("association_mask.pt");
        seac.putObject("proposals").put("min_objectness", 0.4).put("top", 20);
        seac.put("lambda_local", 0.6).put("sigma", 0.9).put("blur_sigma", 2.0);
        ObjectNode open = methods.putObject("openavs");
        open.putArray("graphs").add("proposer.pt").add("audio_text.pt");
        open.putObject("proposals").put("min_objectness", 0.5).put("top", 50);
        open.put("prompt_threshold", 0.35).put("prompt_scale", 12.5).put("prompt_bias", -6.0);
        edit.accept(root);
        Path dir = Files.createDirectories(tmp.resolve("b" + System.nanoTime()));
        JSON.writeValue(dir.resolve("bundle.json").toFile(), root);
        return dir;
    }

    private static String refused(Path dir) {
        BundleException e = assertThrows(BundleException.class, () -> BundleManifest.read(dir));
        assertTrue(e.getMessage().startsWith("bundle.json: "), e.getMessage());
        return e.getMessage();
    }

    @Test
    void anOldBundleOffersOvAvssAlone() throws Exception {
        BundleManifest m = BundleManifest.read(ModelBundleTest.TINY);
        assertEquals(List.of(AnalysisMethod.OVAVSS), m.methods());
        assertEquals(BundleManifest.GRAPHS, m.allGraphs());
        BundleException e = assertThrows(BundleException.class, () -> m.requireMethod(AnalysisMethod.SEAC));
        assertTrue(e.getMessage().contains("does not offer SeAC (it offers ovavss)"), e.getMessage());
        m.requireMethod(null);
        m.requireMethod(AnalysisMethod.OVAVSS);
    }

    @Test
    void declaredMethodsBringTheirGraphsAndConstants(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(bundle(tmp, r -> { }));
        assertEquals(List.of(AnalysisMethod.OVAVSS, AnalysisMethod.SEAC, AnalysisMethod.OPENAVS), m.methods());
        assertEquals(List.of("audio_encoder.pt", "segmenter.pt", "clip_image.pt", "clip_text.pt", "proposer.pt",
                "association_audio.pt", "association_mask.pt", "audio_text.pt"), m.allGraphs());
        MethodSettings s = m.method(AnalysisMethod.SEAC);
        assertEquals(0.4f, s.minObjectness());
        assertEquals(20, s.topProposals());
        assertEquals(0.9f, s.sigma());
        MethodSettings o = m.method(AnalysisMethod.OPENAVS);
        assertEquals(0.35f, o.promptThreshold());
        assertEquals(1 / (1 + Math.exp(-(12.5 * 0.5 - 6.0))), o.promptScore(0.5f), 1e-6);
        assertEquals("proposer.pt", m.graphFile("proposer.pt", Precision.FP16), "method graphs are fp32 only");
        assertEquals(ProposalNaming.FEATURES, s.naming(), "SeAC without a naming names by its mask features (paper)");
        assertEquals(ProposalNaming.CROP, o.naming(), "OpenAVS without a naming names by each crop");
    }

    @Test
    void aDeclaredNamingIsRead(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(bundle(tmp, r -> {
            ((ObjectNode) r.get("methods").get("seac")).put("naming", "window_crops");
            ((ObjectNode) r.get("methods").get("openavs")).put("naming", "window_crops");
        }));
        assertEquals(ProposalNaming.WINDOW_CROPS, m.method(AnalysisMethod.SEAC).naming());
        assertEquals(ProposalNaming.WINDOW_CROPS, m.method(AnalysisMethod.OPENAVS).naming());
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("naming", "clip")))
                .contains("methods.seac.naming: unknown naming 'clip'"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("naming", 3)))
                .contains("methods.seac.naming: unknown naming"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("openavs")).put("naming", "features")))
                .contains("methods.openavs.naming: 'features' are SeAC's mask features"));
    }

    @Test
    void seacsMaskPoolingIsReadFramesByDefault(@TempDir Path tmp) throws Exception {
        assertEquals(MaskPooling.FRAME, BundleManifest.read(bundle(tmp, r -> { })).method(AnalysisMethod.SEAC)
                .maskPooling(), "the paper compares each frame's mask with its second");
        BundleManifest m = BundleManifest.read(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac"))
                .put("mask_pooling", "window")));
        assertEquals(MaskPooling.WINDOW, m.method(AnalysisMethod.SEAC).maskPooling());
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("mask_pooling", "clip")))
                .contains("methods.seac.mask_pooling: unknown mask pooling 'clip' (frame or window)"));
        assertTrue(Float.isNaN(m.method(AnalysisMethod.SEAC).silenceDb()), "no gate unless declared (the paper has none)");
        assertTrue(!m.method(AnalysisMethod.SEAC).silenced(-100f));
        MethodSettings gated = BundleManifest.read(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac"))
                .put("silence_db", -30))).method(AnalysisMethod.SEAC);
        assertTrue(gated.silenced(-30.5f) && !gated.silenced(-30f) && !gated.silenced(-12f));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("silence_db", 3)))
                .contains("methods.seac.silence_db must be a level from -100 to 0 dBFS"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("silence_db", "quiet")))
                .contains("methods.seac.silence_db must be a level"));
    }

    @Test
    void seacHearsNamesOnlyWhenDeclaredWithTheAudioTextTower(@TempDir Path tmp) throws Exception {
        MethodSettings plain = BundleManifest.read(bundle(tmp, r -> { })).method(AnalysisMethod.SEAC);
        assertTrue(!plain.hearsNames() && plain.heardNaming() == 0f, "CLIP alone names SeAC's masks (the paper)");
        MethodSettings hearing = BundleManifest.read(bundle(tmp, r -> {
            ObjectNode seac = (ObjectNode) r.get("methods").get("seac");
            ((com.fasterxml.jackson.databind.node.ArrayNode) seac.get("graphs")).add("audio_text.pt");
            seac.put("heard_naming", 0.25).put("prompt_scale", 12.5).put("prompt_bias", -6.0);
        })).method(AnalysisMethod.SEAC);
        assertTrue(hearing.hearsNames());
        assertEquals(0.25f, hearing.heardNaming());
        assertEquals(1 / (1 + Math.exp(-(12.5 * 0.4 - 6.0))), hearing.promptScore(0.4f), 1e-6);
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("heard_naming", 0.25)
                .put("prompt_scale", 12.5).put("prompt_bias", -6.0)))
                .contains("methods.seac.heard_naming and heard_gate need audio_text.pt in methods.seac.graphs"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("heard_gate", 0.02)
                .put("prompt_scale", 12.5).put("prompt_bias", -6.0)))
                .contains("methods.seac.heard_naming and heard_gate need audio_text.pt"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("heard_gate", 1.0)))
                .contains("methods.seac.heard_gate must be a score from 0 to below 1"));
        MethodSettings gateOnly = BundleManifest.read(bundle(tmp, r -> {
            ObjectNode seac = (ObjectNode) r.get("methods").get("seac");
            ((com.fasterxml.jackson.databind.node.ArrayNode) seac.get("graphs")).add("audio_text.pt");
            seac.put("heard_gate", 0.02).put("prompt_scale", 12.5).put("prompt_bias", -6.0);
        })).method(AnalysisMethod.SEAC);
        assertTrue(gateOnly.hearsNames() && gateOnly.heardNaming() == 0f && gateOnly.heardGate() == 0.02f);
        assertEquals(0f, hearing.heardGate(), "no heard gate unless declared");
        assertTrue(refused(bundle(tmp, r -> {
            ObjectNode seac = (ObjectNode) r.get("methods").get("seac");
            ((com.fasterxml.jackson.databind.node.ArrayNode) seac.get("graphs")).add("audio_text.pt");
            seac.put("heard_naming", 0.25);
        })).contains("methods.seac.prompt_scale must be a number"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("heard_naming", -1)))
                .contains("methods.seac.heard_naming must be a weight from 0 to 10"));
    }

    @Test
    void aDeclaredBaseCalibrationLowersTheBaseNamesOnly(@TempDir Path tmp) throws Exception {
        BundleManifest plain = BundleManifest.read(bundle(tmp, r -> { }));
        assertArrayEquals(new float[4], plain.method(AnalysisMethod.SEAC).calibration()
                .offsets(List.of("red circle", "blue square", "green triangle", "yellow star")), "no key: no calibration");
        BundleManifest m = BundleManifest.read(bundle(tmp, r -> {
            ((ObjectNode) r.get("methods").get("seac")).put("base_calibration", 0.08);
            ((ObjectNode) r.get("methods").get("openavs")).put("base_calibration", 0.05);
        }));
        // the tiny bundle's base names: red circle, blue square, green triangle; a user types names freely
        assertArrayEquals(new float[] {0.08f, 0.08f, 0f, 0f, 0.08f}, m.method(AnalysisMethod.SEAC).calibration()
                .offsets(List.of("Red-Circle", " blue_square ", "yellow star", "violet circle", "GREEN  triangle")));
        assertArrayEquals(new float[] {0f, 0.05f}, m.method(AnalysisMethod.OPENAVS).calibration()
                .offsets(List.of("yellow star", "red circle")));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("base_calibration", -0.1)))
                .contains("methods.seac.base_calibration must be a number from 0 to 1"));
        assertTrue(refused(bundle(tmp, r -> {
            ((ObjectNode) r.get("vocabulary")).remove("base");
            ((ObjectNode) r.get("methods").get("openavs")).put("base_calibration", 0.1);
        })).contains("methods.openavs.base_calibration lowers the base names, but vocabulary.base lists none"));
    }

    @Test
    void brokenDeclarationsAreRefusedNamingTheKey(@TempDir Path tmp) throws Exception {
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).remove("graphs")))
                .contains("'graphs'"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("sha256")).remove("audio_text.pt")))
                .contains("methods.openavs: audio_text.pt has no sha256 entry"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).put("sigma", 1.5)))
                .contains("methods.seac.sigma must be a number from 0 to 1"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("openavs")).remove("prompt_scale")))
                .contains("methods.openavs.prompt_scale must be a number"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac").get("proposals"))
                .put("top", 0))).contains("proposals.top"));
        assertTrue(refused(bundle(tmp, r -> ((ObjectNode) r.get("methods").get("seac")).putArray("graphs")
                .add("proposer.pt"))).contains("methods.seac.graphs must list association_audio.pt"));
    }

    @Test
    void anUnknownMethodIsSkipped(@TempDir Path tmp) throws Exception {
        BundleManifest m = BundleManifest.read(bundle(tmp, r -> ((ObjectNode) r.get("methods")).putObject("tpavi")
                .put("anything", 1)));
        assertEquals(3, m.methods().size());
        assertEquals(AnalysisMethod.SEAC, AnalysisMethod.parse(" SeAC "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AnalysisMethod.parse("tpavi")).getMessage()
                .contains("ovavss, seac or openavs"));
    }
}
