package ovavss.studio.ui.settings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Inference settings the user chose in the settings dialog, kept in {@link java.util.prefs}: the
 * device preference, the precision and the GPU runtime options of GPU.md (a local CUDA libtorch through
 * {@code PYTORCH_LIBRARY_PATH}/{@code PYTORCH_VERSION}/{@code PYTORCH_FLAVOR}, or letting DJL
 * download its runtime).
 *
 * <p>The runtime options reach DJL as system properties (DJL reads each as environment variable
 * or system property; an environment variable the user set wins). PyTorch's native library is
 * loaded once per process, so they only matter for the first model load of a session.
 *
 * @param device CPU, GPU or AUTO (best available)
 * @param precision fp32, or the bundle's fp16 graphs (as the official test runs; fp32 where the bundle
 *                  has none or on the CPU)
 * @param libraryPath directory of a CUDA-enabled libtorch ({@code .../site-packages/torch/lib}), or ""
 * @param version PyTorch version of that libtorch, e.g. "2.7.1", or ""
 * @param flavor DJL flavour, e.g. "cu128", or ""
 * @param allowDownload let DJL download its GPU runtime (turns DJL's offline mode off)
 */
public record ModelSettings(DevicePreference device, Precision precision, String libraryPath, String version,
                            String flavor, boolean allowDownload) {
    private static final Logger LOG = LoggerFactory.getLogger(ModelSettings.class);
    public static final String LIBRARY_PATH = "PYTORCH_LIBRARY_PATH";
    public static final String VERSION = "PYTORCH_VERSION";
    public static final String FLAVOR = "PYTORCH_FLAVOR";
    public static final String OFFLINE = "ai.djl.offline";
    public static final ModelSettings DEFAULTS = new ModelSettings(DevicePreference.AUTO, Precision.FP32, "", "",
            "", false);

    public ModelSettings {
        device = device == null ? DevicePreference.AUTO : device;
        precision = precision == null ? Precision.FP32 : precision;
        libraryPath = libraryPath == null ? "" : libraryPath.strip();
        version = version == null ? "" : version.strip();
        flavor = flavor == null ? "" : flavor.strip();
    }

    /** The user's preferences node of the app. */
    public static Preferences node() {
        return Preferences.userRoot().node("ovavss-studio/model");
    }

    /** Reads the settings; anything unreadable falls back to the defaults. */
    public static ModelSettings load(Preferences p) {
        DevicePreference d;
        try {
            d = DevicePreference.parse(p.get("device", "auto"));
        } catch (IllegalArgumentException e) {
            d = DevicePreference.AUTO;
        }
        Precision precision;
        try {
            precision = Precision.parse(p.get("precision", "fp32"));
        } catch (IllegalArgumentException e) {
            precision = Precision.FP32;
        }
        return new ModelSettings(d, precision, p.get("libraryPath", ""), p.get("version", ""), p.get("flavor", ""),
                p.getBoolean("allowDownload", false));
    }

    /** Stores the settings (flushed; a failure is logged, the settings still apply to this session). */
    public void save(Preferences p) {
        p.put("device", device.name().toLowerCase(java.util.Locale.ROOT));
        p.put("precision", precision.id());
        p.put("libraryPath", libraryPath);
        p.put("version", version);
        p.put("flavor", flavor);
        p.putBoolean("allowDownload", allowDownload);
        try {
            p.flush();
        } catch (BackingStoreException e) {
            LOG.warn("cannot store the model settings: {}", e.getMessage());
        }
    }

    /** True when any GPU runtime option is set. */
    public boolean hasRuntimeOptions() {
        return !libraryPath.isEmpty() || !version.isEmpty() || !flavor.isEmpty() || allowDownload;
    }

    /**
     * The system properties these settings set for DJL (a blank option sets nothing; an
     * environment variable of the same name is left to win).
     */
    public Map<String, String> systemProperties() {
        Map<String, String> m = new LinkedHashMap<>();
        if (!libraryPath.isEmpty()) {
            m.put(LIBRARY_PATH, libraryPath);
        }
        if (!version.isEmpty()) {
            m.put(VERSION, version);
        }
        if (!flavor.isEmpty()) {
            m.put(FLAVOR, flavor);
        }
        if (allowDownload) {
            m.put(OFFLINE, "false");
        }
        return m;
    }

    /** Sets {@link #systemProperties()} (before the first model load of the process). */
    public void applyRuntimeOptions() {
        for (Map.Entry<String, String> e : systemProperties().entrySet()) {
            if (System.getenv(e.getKey()) != null) {
                LOG.info("{} comes from the environment; the setting is ignored", e.getKey());
                continue;
            }
            System.setProperty(e.getKey(), e.getValue());
            LOG.info("GPU runtime option {}={}", e.getKey(), e.getValue());
        }
    }
}
