package ovavss.studio.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.app.dataset.DatasetImport;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code import}: reads an AVSBench tree into a new project folder. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = "Import an AVSBench-semantic tree (labels_semantic or labels_rgb) or an S4/MS3 mask tree "
                + "into a project folder for correction.")
public final class ImportCommand implements Callable<Integer> {
    @Option(names = "--dataset", required = true, description = "dataset root")
    Path dataset;

    @Option(names = "--project", required = true, description = "project folder to create")
    Path project;

    @Option(names = "--binary", description = "S4/MS3 layout (gt_masks/...)")
    boolean binary;

    @Option(names = "--split", description = "only this split")
    String split;

    @Option(names = "--a-obj-filter", description = "drop classes not listed in a_obj (official test loader)")
    boolean aObjFilter;

    @Option(names = "--prefer-rgb", description = "read labels_rgb even when labels_semantic exists")
    boolean preferRgb;

    @Option(names = "--classes-from", description = "label2idx.json to use instead of the dataset's")
    Path classesFrom;

    @Option(names = "--force", description = "write into an existing project folder")
    boolean force;

    @Option(names = "--scan", description = "without metadata.csv, find the clip folders by scanning")
    boolean scan;

    @Override
    public Integer call() throws Exception {
        try {
            AvsbenchImporter.Result r = DatasetImport.into(project, force,
                    new DatasetImport.Request(dataset, binary, split, aObjFilter, preferRgb, classesFrom, scan),
                    ProgressSink.NONE, Cancellation.NEVER);
            long objects = r.project().clips().stream().mapToLong(c -> c.objects().size()).sum();
            System.out.printf(Locale.ROOT, "imported %d clips, %d objects, %d classes -> %s%n",
                    r.project().clips().size(), objects, r.project().vocabulary().size(), project);
            if (r.skippedClips() > 0) {
                System.out.printf(Locale.ROOT, "skipped %d clips%n", r.skippedClips());
            }
            WarningLines.print(System.err, r.warnings());
            return 0;
        } catch (AnnotationException | AvsbenchException e) {
            System.err.println("import: " + e.getMessage());
            return 2;
        }
    }
}
