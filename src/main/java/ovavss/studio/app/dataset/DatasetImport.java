package ovavss.studio.app.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.files.OutputTargets;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

/**
 * The import use case: an AVSBench dataset (semantic, or the S4/MS3 binary layout) read into a
 * project, and saved as a project folder. The {@code import} command is its face.
 */
public final class DatasetImport {
    /**
     * What to import.
     *
     * @param dataset the dataset root
     * @param binary the S4/MS3 layout ({@code gt_masks/...}) instead of AVSBench-semantic
     * @param split only the clips of this split, or null for all
     * @param aObjFilter drop classes not listed in a clip's {@code a_obj} (the official test loader)
     * @param preferRgb read {@code labels_rgb} even when {@code labels_semantic} exists
     * @param classesFrom a {@code label2idx.json} to use instead of the dataset's, or null
     * @param scan without {@code metadata.csv}, find the clip folders by scanning
     */
    public record Request(Path dataset, boolean binary, String split, boolean aObjFilter, boolean preferRgb,
                          Path classesFrom, boolean scan) {
    }

    private DatasetImport() {
    }

    /**
     * Reads the dataset into a project (not saved).
     *
     * @throws ovavss.studio.avsbench.AvsbenchException when the dataset is malformed
     */
    public static AvsbenchImporter.Result read(Request r, ProgressSink progress, Cancellation cancel) throws IOException {
        AvsbenchImporter.Options opt = new AvsbenchImporter.Options(
                r.classesFrom() == null ? null : LabelSet.read(r.classesFrom()), r.split(), r.aObjFilter(),
                r.preferRgb(), true, r.scan());
        AvsbenchImporter im = new AvsbenchImporter();
        return r.binary() ? im.importBinary(r.dataset(), opt, progress, cancel)
                : im.importSemantic(r.dataset(), opt, progress, cancel);
    }

    /**
     * Reads the dataset and saves it as the project folder {@code project}.
     *
     * @param replace allow replacing a project already in that folder
     * @throws AnnotationException when the folder holds a project and {@code replace} is false
     *                             (checked before the dataset is read)
     */
    public static AvsbenchImporter.Result into(Path project, boolean replace, Request r, ProgressSink progress,
                                               Cancellation cancel) throws IOException {
        if (Files.exists(project.resolve(ProjectStore.MANIFEST)) && !replace) {
            throw new AnnotationException(project + " already holds a project (use --force to replace it)");
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("the dataset", r.dataset());
        inputs.put("the classes file", r.classesFrom());
        try {
            OutputTargets.checkFolder(project, replace ? OutputTargets.Existing.WRITE_INTO
                    : OutputTargets.Existing.REFUSE_UNLESS_FORCED, inputs);
        } catch (IllegalArgumentException e) {
            throw new AnnotationException("--project: " + e.getMessage());
        }
        AvsbenchImporter.Result result = read(r, progress, cancel);
        // built beside the folder and moved into place: a failure leaves no half-saved project
        try (StagedFolder staging = StagedFolder.beside(project, "import")) {
            new ProjectStore().save(result.project(), staging.path());
            cancel.check();
            staging.commit();
        }
        return result;
    }
}
