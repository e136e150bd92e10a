package ovavss.studio.model;

import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Process-wide DJL settings, applied once before the first DJL call: offline (no model zoo or
 * native downloads), no usage tracking, and the app's own cache directory for the extracted
 * PyTorch natives. Values the user set explicitly (system properties or environment) win.
 */
public final class DjlEnvironment {
    private static final Logger LOG = LoggerFactory.getLogger(DjlEnvironment.class);
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
        Path cache = cacheDir();
        try {
            Files.createDirectories(cache);
        } catch (java.io.IOException e) {
            LOG.warn("cannot create DJL cache dir {}: {}", cache, e.getMessage());
        }
        setIfAbsent("DJL_CACHE_DIR", cache.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cache.toString());
        applied = true;
        LOG.info("DJL offline={} cache={}", System.getProperty("ai.djl.offline"), System.getProperty("DJL_CACHE_DIR"));
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) {
            System.setProperty(key, value);
        }
    }
}
