package ovavss.studio.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.app.export.DatasetMerge;
import ovavss.studio.app.export.ExportException;
import ovavss.studio.app.export.ProjectExport;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;


/** {@code export}: writes a project as an AVSBench tree. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a project folder to the AVSBench-semantic layout or the S4/MS3 binary layout.")
public final class ExportCommand implements Callable<Integer> {
    enum Layout { semantic, s4, ms3 }

    @Option(names = "--project", required = true, description = "project folder")
    Path project;

    @Option(names = "--out", description = "output folder: new or empty; built beside it and moved into place when complete")
    Path out;

    @Option(names = "--merge-into", paramLabel = "ROOT", description = "instead of --out: write the project's clips "
            + "back into this AVSBench-semantic root (each clip folder replaced, its metadata.csv rows updated, "
            + "every other clip, row and file untouched)")
    Path mergeInto;

    @Option(names = "--layout", defaultValue = "semantic", description = "semantic | s4 | ms3 (default semantic)")
    Layout layout;

    @Option(names = "--size", description = "binary layouts: square mask/frame size (default 224; 0 = native)")
    Integer size;

    @Option(names = "--no-frames", description = "do not decode and write frames")
    boolean noFrames;

    @Option(names = "--no-audio", description = "do not write audio")
    boolean noAudio;

    @Option(names = "--threads", paramLabel = "N",
            description = "clips written at once (default: one per CPU core; 1 = one after another). "
                    + "Label maps, image encoding and audio resampling run in parallel; frames and audio "
                    + "are still decoded one at a time on one decoder thread. The output is the same "
                    + "for every N.")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        try {
            int n = threads == null ? AvsbenchExporter.defaultThreads() : threads;
            if (n < 1 || n > ProjectExport.MAX_THREADS) {
                System.err.println("export: --threads must be between 1 and " + ProjectExport.MAX_THREADS + ", got " + n);
                return 2;
            }
            if (size != null && (size < 0 || size > ProjectExport.MAX_SIZE)) {
                System.err.println("export: --size must be 0 (native) or 1.." + ProjectExport.MAX_SIZE + ", got " + size);
                return 2;
            }
            ProjectExport.Layout l = ProjectExport.Layout.valueOf(layout.name().toUpperCase(Locale.ROOT));
            Integer sz = !l.binary() ? null : size == null ? Integer.valueOf(ProjectExport.Request.DEFAULT_SIZE)
                    : size == 0 ? null : size;
            if ((out == null) == (mergeInto == null)) {
                System.err.println("export: give one of --out and --merge-into");
                return 2;
            }
            Project p;
            if (mergeInto != null) {
                ProjectExport.Request request = new ProjectExport.Request(mergeInto, l, sz, !noFrames, !noAudio, n);
                p = new ProjectStore().load(project).project();
                DatasetMerge.Summary m = DatasetMerge.run(p, project, mergeInto, request, ProgressSink.NONE,
                        Cancellation.NEVER);
                System.out.printf(Locale.ROOT, "merged %d clips into %s: %d replaced, %d added%n",
                        m.replaced() + m.added(), mergeInto, m.replaced(), m.added());
                return 0;
            }
            ProjectExport.Request request = new ProjectExport.Request(out, l, sz, !noFrames, !noAudio, n);
            p = new ProjectStore().load(project).project();
            AvsbenchExporter.Summary s = ProjectExport.run(p, project, request, ProgressSink.NONE, Cancellation.NEVER);
            System.out.printf(Locale.ROOT, "exported %d clips: %d label frames, %d frames, %d audio files -> %s%n",
                    s.clips(), s.labelFrames(), s.frames(), s.audioFiles(), out);
            return 0;
        } catch (AnnotationException | ExportException e) {
            System.err.println("export: " + e.getMessage());
            return 2;
        }
    }
}
