package ovavss.studio.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.FileTrees;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.BundleManifest;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model bundles a user has: the one installed with the app (the demo) and their own, kept in
 * {@code <data dir>/bundles/<name>}. A bundle is imported by copying it there, beside its final
 * place first and verified before it is moved in, so a corrupt or incomplete bundle is refused with
 * the reason and leaves nothing; only the user's bundles can be removed. {@code --model} takes a
 * folder or the name of a bundle here. The user's default bundle (the one the window loads and
 * {@code predict} uses without {@code --model}) is kept by name in a one-line file of the config
 * folder; without one, or when it is gone, the installed bundle is the default.
 */
public final class BundleLibrary {
    private static final Logger LOG = LoggerFactory.getLogger(BundleLibrary.class);
    /** One bundle: its name (the folder's), where it is, and whether it came with the app. */
    public record Entry(String name, Path dir, boolean installed) {
    }

    /**
     * What the Bundles dialog shows of one bundle.
     *
     * @param bytes the size of its files
     * @param classes the names of its default vocabulary
     * @param devices where its graphs run, and "· fp16" when it has float16 graphs too
     * @param problem null when every file's SHA-256 matches, else why it does not verify
     * @param methods the analysis methods it offers ("ovavss, seac, openavs")
     */
    public record Details(Entry entry, long bytes, int classes, String devices, String problem, String methods) {
        public boolean verified() {
            return problem == null;
        }
    }

    /** The graphs are device-independent TorchScript: DJL moves them to the CPU or a CUDA GPU at load. */
    static final String DEVICES = "CPU, CUDA GPU";

    private final Path installed;
    private final Path userDir;
    private final Path defaultFile;

    /**
     * @param installed the bundle installed with the app, or null
     * @param userDir the folder of the user's bundles (made when the first is imported)
     * @param defaultFile where the name of the user's default bundle is kept
     */
    public BundleLibrary(Path installed, Path userDir, Path defaultFile) {
        this.installed = installed;
        this.userDir = userDir;
        this.defaultFile = defaultFile;
    }

    /** A library keeping its default beside the user's bundles folder. */
    public BundleLibrary(Path installed, Path userDir) {
        this(installed, userDir, userDir.resolveSibling("default-bundle"));
    }

    /** The app's: the installed demo bundle, {@code <data dir>/bundles} and {@code <config dir>/default-bundle}. */
    public static BundleLibrary standard() {
        return new BundleLibrary(AnalysisJob.defaultBundleDir(), AppDirs.data().resolve("bundles"),
                AppDirs.config().resolve("default-bundle"));
    }

    /** A size as the faces show it: megabytes with one decimal, "?" when unknown. */
    public static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** Where the user's bundles live. */
    public Path userDir() {
        return userDir;
    }

    /** The name of the default bundle the user chose, if it is still there. */
    public Optional<String> defaultName() {
        return chosenDefault().map(Entry::name);
    }

    /** The bundle to use when none is named: the user's default, else the installed one (may not exist). */
    public Path defaultBundle() {
        return chosenDefault().map(Entry::dir).orElse(installed);
    }

    /** The bundle named in the default file, when there is one of that name. */
    private Optional<Entry> chosenDefault() {
        try {
            if (!Files.isRegularFile(defaultFile)) {
                return Optional.empty();
            }
            String name = Files.readString(defaultFile, StandardCharsets.UTF_8).strip();
            return list().stream().filter(e -> e.name().equals(name)).findFirst();
        } catch (IOException e) {
            LOG.warn("cannot read the default bundle from {}: {}", defaultFile, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Makes the bundle {@code name} the default.
     *
     * @throws BundleException for an unknown name
     */
    public void setDefault(String name) throws IOException, BundleException {
        if (list().stream().noneMatch(e -> e.name().equals(name))) {
            throw new BundleException("no model bundle named '" + name + "'");
        }
        Files.createDirectories(defaultFile.getParent());
        AtomicFiles.write(defaultFile, (name + "\n").getBytes(StandardCharsets.UTF_8));
        LOG.info("default model bundle: {}", name);
    }

    /**
     * Reads a bundle's manifest and checks every file's SHA-256 (a few seconds for a large bundle:
     * call it off the UI thread). A bundle that does not verify is described with the reason.
     */
    public Details describe(Entry e) {
        long bytes;
        try {
            bytes = FileTrees.size(e.dir());
        } catch (IOException ex) {
            bytes = -1;
        }
        BundleManifest m;
        try {
            m = BundleManifest.read(e.dir());
        } catch (BundleException ex) {
            return new Details(e, bytes, 0, DEVICES, ex.getMessage(), "");
        }
        String problem = null;
        try {
            ModelBundle.verify(e.dir());
        } catch (BundleException ex) {
            problem = ex.getMessage();
        }
        return new Details(e, bytes, m.defaultVocabulary().size(),
                m.has(ovavss.studio.model.Precision.FP16) ? DEVICES + " · fp16" : DEVICES, problem,
                String.join(", ", m.methods().stream().map(ovavss.studio.model.AnalysisMethod::id).toList()));
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
        return importBundle(source, ProgressSink.NONE, Cancellation.NEVER);
    }

    /**
     * {@link #importBundle(Path)} reporting the bytes copied, stopping (and leaving nothing) when
     * {@code cancel} is cancelled.
     *
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public Entry importBundle(Path source, ProgressSink progress, Cancellation cancel)
            throws IOException, BundleException {
        progress.report(0, -1, "verifying " + source);
        BundleManifest manifest = ModelBundle.verify(source);
        cancel.check();
        String name = source.toAbsolutePath().normalize().getFileName().toString();
        Path target = userDir.resolve(name);
        if (Files.exists(target) || (installed != null && name.equals(installed.getFileName().toString()))) {
            throw new BundleException("a model bundle named '" + name + "' is already there");
        }
        try (StagedFolder staging = StagedFolder.beside(target, "import")) {
            long total = FileTrees.size(source);
            FileTrees.copy(source, staging.path(), done -> {
                cancel.check();
                progress.report(done, total, "copying");
            });
            progress.report(total, total, "verifying the copy");
            ModelBundle.verify(staging.path());
            cancel.check();
            staging.commit();
        }
        LOG.info("imported bundle {} ({}) into {}", name, manifest.name(), target);
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
                // moved aside in one step first, so a delete cut short never leaves half a bundle listed
                Path aside = e.dir().resolveSibling("." + name + ".removing-" + java.util.UUID.randomUUID());
                Files.move(e.dir(), aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                FileTrees.delete(aside);
                LOG.info("removed bundle {}", name);
                return;
            }
        }
        throw new BundleException("no model bundle named '" + name + "'");
    }
}
