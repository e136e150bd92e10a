package ovavss.studio.spark;

import java.io.Serializable;
import java.util.List;
import ovavss.studio.app.predict.ResumablePrediction;
import ovavss.studio.model.AnalysisMethod;

/**
 * What every task of a run needs, shipped from the driver to the executors.
 *
 * @param bundleDir the model bundle's folder (the same path on every executor: shared storage)
 * @param device auto, cpu or gpu
 * @param precision fp32 or fp16
 * @param out the output root (shared storage)
 * @param vocabulary the names to label with, or null for the bundle's
 * @param threshold the score threshold, or null for the bundle's
 * @param soundGate multiply scores by the sound head's score
 * @param allowSilent analyse clips without audio as silence
 * @param overwrite predict complete clips again
 * @param failFast stop the job at the first failed clip
 * @param failOnceBeforeCommit for the tests: the first attempt of the task holding this clip fails
 *     after writing its staging folder and before moving it into place (null: never)
 */
record JobSettings(String bundleDir, String device, String precision, String out, List<String> vocabulary,
                   Float threshold, boolean soundGate, boolean allowSilent, boolean overwrite, boolean failFast,
                   String failOnceBeforeCommit, String method) implements Serializable {
    JobSettings {
        vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
    }

    ResumablePrediction.Settings predictionSettings() {
        return new ResumablePrediction.Settings(vocabulary, threshold, soundGate, allowSilent, overwrite,
                AnalysisMethod.parse(method));
    }
}
