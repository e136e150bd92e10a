package ovavss.studio.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import ovavss.studio.files.FileTrees;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.BundleManifest;
import ovavss.studio.model.ModelBundle;

/**
 * The model bundles a user has: the one installed with the app (the demo) and their own, kept in
 * {@code <data dir>/bundles/<name>}. A bundle is imported by copying it there, beside its final
 * place first and verified before it is moved in, so a corrupt or incomplete bundle is refused with
 * the reason and leaves nothing; only the user's bundles can be removed. {@code --model} takes a
 * folder or the name of a bundle here.
 */
public final class BundleLibrary {
    /** One bundle: its name (the folder's), where it is, and whether it came with the app. */
    public record Entry(String name, Path dir, boolean installed) {
    }

    private final Path installed;
    private final Path userDir;

    /**
     * @param installed the bundle installed with the app, or null
     * @param userDir the folder of the user's bundles (made when the first is imported)
     */
    public BundleLibrary(Path installed, Path userDir) {
        this.installed = installed;
        this.userDir = userDir;
    }

    /** The app's: the installed demo bundle and {@code <data dir>/bundles}. */
    public static BundleLibrary standard() {
        return new BundleLibrary(AnalysisJob.defaultBundleDir(), AppDirs.data().resolve("bundles"));
    }

    /** Every bundle, the installed one first, then the user's by name. */
    public List<Entry> list() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (installed != null && Files.isRegularFile(installed.resolve("bundle.json"))) {
            out.add(new Entry(installed.getFileName().toString(), installed, true));
        }
        if (Files.isDirectory(userDir)) {
            try (Stream<Path> s = Files.list(userDir)) {
                for (Path d : s.filter(d -> Files.isRegularFile(d.resolve("bundle.json"))).sorted().toList()) {
                    out.add(new Entry(d.getFileName().toString(), d, false));
                }
            }
        }
        return out;
    }

    /**
     * A bundle folder given as a path, or by the name of a bundle of this library.
     *
     * @throws BundleException when it is neither, naming the bundles there are
     */
    public Path resolve(String folderOrName) throws BundleException {
        Path p = Path.of(folderOrName);
        if (Files.isDirectory(p) || folderOrName.contains("/") || folderOrName.contains(java.io.File.separator)) {
            return p;
        }
        List<Entry> all;
        try {
            all = list();
        } catch (IOException e) {
            throw new BundleException("cannot list the model bundles: " + e.getMessage(), e);
        }
        for (Entry e : all) {
            if (e.name().equals(folderOrName)) {
                return e.dir();
            }
        }
        throw new BundleException("no model bundle folder or name '" + folderOrName + "' (bundles: "
                + String.join(", ", all.stream().map(Entry::name).toList()) + ")");
    }

    /**
     * Copies the bundle folder {@code source} into the user's bundles under its folder name,
     * verified before and after the copy.
     *
     * @throws BundleException when it is no valid bundle or the name is taken; nothing is left
     */
    public Entry importBundle(Path source) throws IOException, BundleException {
        BundleManifest manifest = ModelBundle.verify(source);
        String name = source.toAbsolutePath().normalize().getFileName().toString();
        Path target = userDir.resolve(name);
        if (Files.exists(target) || (installed != null && name.equals(installed.getFileName().toString()))) {
            throw new BundleException("a model bundle named '" + name + "' is already there");
        }
        try (StagedFolder staging = StagedFolder.beside(target, "import")) {
            FileTrees.copy(source, staging.path());
            ModelBundle.verify(staging.path());
            staging.commit();
        }
        org.slf4j.LoggerFactory.getLogger(BundleLibrary.class).info("imported bundle {} ({}) into {}", name,
                manifest.name(), target);
        return new Entry(name, target, false);
    }

    /**
     * Removes a user bundle.
     *
     * @throws BundleException for the installed bundle or an unknown name
     */
    public void remove(String name) throws IOException, BundleException {
        for (Entry e : list()) {
            if (e.name().equals(name)) {
                if (e.installed()) {
                    throw new BundleException("'" + name + "' came with the app and cannot be removed");
                }
                FileTrees.delete(e.dir());
                return;
            }
        }
        throw new BundleException("no model bundle named '" + name + "'");
    }
}
