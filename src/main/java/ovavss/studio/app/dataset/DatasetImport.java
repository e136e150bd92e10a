package ovavss.studio.app.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.LabelSet;
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
     */
    public record Request(Path dataset, boolean binary, String split, boolean aObjFilter, boolean preferRgb,
                          Path classesFrom) {
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
                r.preferRgb(), true);
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
        AvsbenchImporter.Result result = read(r, progress, cancel);
        new ProjectStore().save(result.project(), project);
        return result;
    }
}
