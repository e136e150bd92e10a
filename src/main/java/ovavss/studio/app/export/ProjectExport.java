package ovavss.studio.app.export;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.avsbench.ClipMedia;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The export use case: a project written as an AVSBench tree, frames and audio decoded from each
 * clip's media (a video file or an AVSBench clip folder). The window's File › Export and the
 * {@code export} command both run this, so the same request writes the same bytes.
 *
 * <p>Nothing half-written is ever left at the destination: the tree is built in a hidden folder
 * beside it and moved into place in one step when complete; a failure or a cancel deletes the
 * hidden folder. The destination must be new or an empty folder, and must not be, contain or lie
 * inside the project folder or any clip's media, so an export never overwrites its own input.
 */
public final class ProjectExport {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectExport.class);

    /** Largest square size of a binary export, in pixels: far above the official 224. */
    public static final int MAX_SIZE = 4096;

    /** The AVSBench layouts an export can write. */
    public enum Layout {
        /** AVSBench-semantic (AVSS): colour and index label maps, metadata.csv, label2idx.json. */
        SEMANTIC,
        /** S4, single sound source: binary masks under the category. */
        S4,
        /** MS3, multiple sound sources: binary masks per video. */
        MS3;

        /** The lower-case name the command line and the dialog show. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public boolean binary() {
            return this != SEMANTIC;
        }
    }

    /**
     * What to export.
     *
     * @param out the destination folder: new, or an existing empty folder
     * @param layout the AVSBench layout
     * @param size binary layouts: square frame and mask size, or null for the clip's own size
     *             (ignored by the semantic layout, which keeps each clip's size)
     * @param frames decode and write the frames
     * @param audio write {@code audio.wav} (16 kHz mono)
     * @param threads clips written at once, at least 1; the output is the same for every count
     */
    public record Request(Path out, Layout layout, Integer size, boolean frames, boolean audio, int threads) {
        /** The official binary size. */
        public static final int DEFAULT_SIZE = 224;

        public Request {
            if (out == null || layout == null) {
                throw new ExportException("an export needs a destination folder and a layout");
            }
            if (threads < 1) {
                throw new ExportException("threads must be at least 1, got " + threads);
            }
            if (size != null && (size < 1 || size > MAX_SIZE)) {
                throw new ExportException("size must be between 1 and " + MAX_SIZE + " pixels (or native), got " + size);
            }
        }

        /** The semantic layout with frames and audio, one worker per core. */
        public static Request semantic(Path out) {
            return new Request(out, Layout.SEMANTIC, null, true, true, AvsbenchExporter.defaultThreads());
        }
    }

    private ProjectExport() {
    }

    /**
     * Exports {@code project} as {@code request} says.
     *
     * @param projectFolder the folder the project is saved in, or null when it has none; the
     *                      destination may not overlap it
     * @throws ExportException when the request is refused (a destination that exists and is not
     *                         empty, or overlaps an input; an unsafe name in the project); nothing is written
     * @throws java.util.concurrent.CancellationException when cancelled; nothing is left behind
     * @throws IOException when reading media or writing fails; nothing is left behind
     */
    public static AvsbenchExporter.Summary run(Project project, Path projectFolder, Request request,
                                               ProgressSink progress, Cancellation cancel) throws IOException {
        Path out = request.out().toAbsolutePath().normalize();
        checkDestination(project, projectFolder, out);
        Path parent = out.getParent();
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + out.getFileName() + ".export-" + UUID.randomUUID());
        boolean moved = false;
        try (DecodedClipMedia media = new DecodedClipMedia(request.threads())) {
            Files.createDirectory(staging);
            AvsbenchExporter.Summary summary = write(project, staging, request, media, progress, cancel);
            cancel.check();
            // an empty destination folder was accepted above: it makes way for the finished tree
            if (Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(out);
            }
            AtomicFiles.moveDirectory(staging, out);
            moved = true;
            return summary;
        } catch (ovavss.studio.avsbench.AvsbenchException e) {
            throw new ExportException(e.getMessage(), e);
        } finally {
            if (!moved) {
                deleteTree(staging);
            }
        }
    }

    private static AvsbenchExporter.Summary write(Project project, Path into, Request r, ClipMedia media,
                                                  ProgressSink progress, Cancellation cancel) throws IOException {
        AvsbenchExporter exporter = new AvsbenchExporter(media);
        if (r.layout() == Layout.SEMANTIC) {
            AvsbenchExporter.SemanticOptions d = AvsbenchExporter.SemanticOptions.defaults();
            return exporter.exportSemantic(project, into, new AvsbenchExporter.SemanticOptions(d.defaultSubset(),
                    d.defaultSplit(), d.jpegQuality(), r.frames(), r.audio(), r.threads()), progress, cancel);
        }
        AvsbenchExporter.BinaryLayout layout = r.layout() == Layout.S4
                ? AvsbenchExporter.BinaryLayout.S4 : AvsbenchExporter.BinaryLayout.MS3;
        return exporter.exportBinary(project, into, new AvsbenchExporter.BinaryOptions(layout, "test", r.size(),
                r.frames(), r.audio(), r.threads()), progress, cancel);
    }

    /** Refuses a destination that would overwrite something or overlap an input, before anything is written. */
    static void checkDestination(Project project, Path projectFolder, Path out) throws IOException {
        if (out.getParent() == null) {
            throw new ExportException("cannot export into the root folder " + out);
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                throw new ExportException("the destination " + out + " exists and is not a folder");
            }
            try (Stream<Path> s = Files.list(out)) {
                if (s.findAny().isPresent()) {
                    throw new ExportException("the destination folder " + out
                            + " is not empty; choose a new or empty folder");
                }
            }
        }
        if (projectFolder != null) {
            refuseOverlap(out, projectFolder.toAbsolutePath().normalize(), "the project folder");
        }
        for (Clip c : project.clips()) {
            if (c.media() != null && !c.media().isBlank()) {
                refuseOverlap(out, Path.of(c.media()).toAbsolutePath().normalize(),
                        "the media of clip '" + c.id() + "'");
            }
        }
    }

    private static void refuseOverlap(Path out, Path input, String what) throws IOException {
        Path realOut = realish(out);
        Path realIn = realish(input);
        if (realOut.startsWith(realIn) || realIn.startsWith(realOut)) {
            throw new ExportException("the destination " + out + " overlaps " + what + " (" + input
                    + "); an export never writes into its inputs");
        }
    }

    /** The real path of the deepest existing ancestor, with the rest appended: links cannot hide an overlap. */
    private static Path realish(Path p) throws IOException {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        Path real = existing.toRealPath();
        return rest == null ? real : real.resolve(rest);
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // nothing was created
        } catch (IOException e) {
            LOG.warn("could not remove the unfinished export {}: {}", dir, e.toString());
        }
    }
}
