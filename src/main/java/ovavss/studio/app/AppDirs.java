package ovavss.studio.app;

import java.nio.file.Path;

/**
 * Where the app keeps its own files, picked the way {@code DjlEnvironment#cacheDir} picks the
 * cache: a system property wins, else the XDG base directory, else its usual place under the home
 * folder, each with an {@code ovavss-studio} folder.
 */
final class AppDirs {
    public static final String APP = "ovavss-studio";

    private AppDirs() {
    }

    /**
     * State that must outlive a crash (the recovery copies): {@code -Dovavss.data.dir},
     * {@code $XDG_DATA_HOME/ovavss-studio} or {@code ~/.local/share/ovavss-studio}.
     */
    public static Path data() {
        return pick("ovavss.data.dir", "XDG_DATA_HOME", ".local/share");
    }

    /**
     * Small settings files (the recent projects): {@code -Dovavss.config.dir},
     * {@code $XDG_CONFIG_HOME/ovavss-studio} or {@code ~/.config/ovavss-studio}.
     */
    public static Path config() {
        return pick("ovavss.config.dir", "XDG_CONFIG_HOME", ".config");
    }

    private static Path pick(String property, String xdgVariable, String underHome) {
        String override = System.getProperty(property);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        String xdg = System.getenv(xdgVariable);
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), underHome);
        return base.resolve(APP);
    }
}
