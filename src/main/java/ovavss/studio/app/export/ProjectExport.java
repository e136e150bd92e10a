package ovavss.studio.app.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.avsbench.ClipMedia;
import ovavss.studio.files.OutputTargets;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

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
    /** Largest square size of a binary export, in pixels: far above the official 224. */
    public static final int MAX_SIZE = 4096;

    /** Most clips written at once: each holds a decoded clip in memory, and disks gain nothing beyond this. */
    public static final int MAX_THREADS = 64;

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
            if (threads < 1 || threads > MAX_THREADS) {
                throw new ExportException("threads must be between 1 and " + MAX_THREADS + ", got " + threads);
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
        try (DecodedClipMedia media = new DecodedClipMedia(request.threads());
             StagedFolder staging = StagedFolder.beside(out, "export")) {
            AvsbenchExporter.Summary summary = write(project, staging.path(), request, media, progress, cancel);
            cancel.check();
            staging.commit();
            return summary;
        } catch (ovavss.studio.avsbench.AvsbenchException e) {
            throw new ExportException(e.getMessage(), e);
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
    static void checkDestination(Project project, Path projectFolder, Path out) {
        Map<String, Path> inputs = new LinkedHashMap<>();
        if (projectFolder != null) {
            inputs.put("the project folder", projectFolder);
        }
        for (Clip c : project.clips()) {
            if (c.media() != null && !c.media().isBlank()) {
                inputs.put("the media of clip '" + c.id() + "'", Path.of(c.media()));
            }
        }
        try {
            OutputTargets.checkFolder(out, OutputTargets.Existing.REFUSE, inputs);
        } catch (IllegalArgumentException e) {
            throw new ExportException(e.getMessage());
        }
    }
}
