package ovavss.studio.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds files that ship beside the application (the demo bundle, the Python reference scripts of
 * the benchmarks) whether it runs from the repository root or from anywhere else: first under the
 * working directory, then under the jar's folder and up to two levels above it.
 */
public final class InstallFiles {
    private InstallFiles() {
    }

    /** The first existing {@code relative} path, or the working-directory one when none exists. */
    public static Path find(String relative) {
        return locate(relative, Files::exists).orElse(Path.of(relative).toAbsolutePath());
    }

    /**
     * The first place {@code relative} is found and {@code accept}ed: under the working directory,
     * else beside the jar (or the classes folder) or up to two folders above it.
     */
    public static Optional<Path> locate(String relative, Predicate<Path> accept) {
        Path cwd = Path.of(relative).toAbsolutePath();
        if (accept.test(cwd)) {
            return Optional.of(cwd);
        }
        try {
            Path p = Path.of(InstallFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (int i = 0; i < 3 && p != null; i++, p = p.getParent()) {
                Path c = p.resolve(relative);
                if (accept.test(c)) {
                    return Optional.of(c);
                }
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source (e.g. a custom class loader): the working directory is all we have
        }
        return Optional.empty();
    }
}
