package ovavss.studio.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.prefs.Preferences;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.Precision;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The inference settings: stored in user preferences, turned into DJL's runtime options. */
class ModelSettingsTest {
    private final Preferences node = Preferences.userRoot().node("ovavss-studio-test/model-" + System.nanoTime());

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void roundTripsThroughPreferences() {
        assertEquals(ModelSettings.DEFAULTS, ModelSettings.load(node), "nothing stored: defaults");
        ModelSettings s = new ModelSettings(DevicePreference.GPU, Precision.FP16, " /opt/torch/lib ", "2.7.1",
                "cu128", true);
        s.save(node);
        assertEquals("fp16", node.get("precision", null), "stored as the command line spells it");
        ModelSettings back = ModelSettings.load(node);
        assertEquals(DevicePreference.GPU, back.device());
        assertEquals(Precision.FP16, back.precision());
        assertEquals("/opt/torch/lib", back.libraryPath(), "trimmed");
        assertEquals(s, back);
    }

    @Test
    void unreadableDeviceFallsBackToAuto() {
        node.put("device", "tpu");
        assertEquals(DevicePreference.AUTO, ModelSettings.load(node).device());
    }

    @Test
    void precisionDefaultsToFp32AndAnUnreadableOneFallsBackToIt() {
        assertEquals(Precision.FP32, ModelSettings.DEFAULTS.precision());
        assertEquals(Precision.FP32, new ModelSettings(null, null, null, null, null, false).precision());
        node.put("precision", "half");
        assertEquals(Precision.FP32, ModelSettings.load(node).precision());
        node.put("precision", "FP16");
        assertEquals(Precision.FP16, ModelSettings.load(node).precision());
    }

    @Test
    void runtimeOptionsBecomeDjlProperties() {
        assertTrue(ModelSettings.DEFAULTS.systemProperties().isEmpty(), "offline CPU runtime: nothing set");
        assertFalse(ModelSettings.DEFAULTS.hasRuntimeOptions());
        Map<String, String> p = new ModelSettings(DevicePreference.AUTO, Precision.FP32, "/opt/torch/lib", "2.7.1",
                "cu128", false)
                .systemProperties();
        assertEquals(Map.of("PYTORCH_LIBRARY_PATH", "/opt/torch/lib", "PYTORCH_VERSION", "2.7.1",
                "PYTORCH_FLAVOR", "cu128"), p);
        Map<String, String> download = new ModelSettings(DevicePreference.GPU, Precision.FP16, "", "", "", true)
                .systemProperties();
        assertEquals(Map.of("ai.djl.offline", "false"), download, "the download needs DJL's offline mode off");
    }
}
