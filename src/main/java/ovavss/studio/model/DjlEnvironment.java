package ovavss.studio.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide DJL settings, applied once before the first DJL call: offline (no model zoo or
 * native downloads), no usage tracking, TorchScript's optimising graph executor off, and the
 * app's own cache directory for the extracted PyTorch natives. Values the user set explicitly
 * (system properties or environment) win.
 */
final class DjlEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(DjlEnvironment.class);
    /** DJL's switch for TorchScript's optimising graph executor (read on every forward). */
    static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";
    private static volatile boolean applied;

    private DjlEnvironment() {
    }

    /** The app's DJL cache: {@code $XDG_CACHE_HOME/ovavss-studio/djl} or {@code ~/.cache/ovavss-studio/djl}. */
    public static Path cacheDir() {
        String override = System.getProperty("ovavss.djl.cache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("ovavss-studio").resolve("djl");
    }

    /** Applies the settings (idempotent). Must run before any {@code ai.djl} class initialises an engine. */
    public static synchronized void apply() {
        if (applied) {
            return;
        }
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        // TorchScript's profiling graph executor re-specialises (and on CUDA re-fuses and compiles
        // kernels) whenever an input shape changes, and the CLIP crop count changes every window.
        // Measured on an H100 (packaging/gpu/README.md): 4.4 -> 8.1 clips/s end to end and
        // 760 -> 22,700 CLIP crops/s with it off; on the CPU it is no slower off.
        setIfAbsent(GRAPH_OPTIMIZER, "false");
        Path cache = cacheDir();
        try {
            Files.createDirectories(cache);
        } catch (java.io.IOException e) {
            LOG.warn("cannot create DJL cache dir {}: {}", cache, e.getMessage());
        }
        setIfAbsent("DJL_CACHE_DIR", cache.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cache.toString());
        applied = true;
        LOG.info("DJL offline={} graph_optimizer={} cache={}", System.getProperty("ai.djl.offline"),
                System.getProperty(GRAPH_OPTIMIZER), System.getProperty("DJL_CACHE_DIR"));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
