package ovavss.studio.app.predict;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import ovavss.studio.app.AnalysisKeyframes;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.KeyframeSource;
import ovavss.studio.model.Labelling;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

/**
 * The one path from clips to labellings shared by {@code predict} and the Spark job: clips are
 * opened as the app opens them, analysed in order with the next ones decoded ahead, and labelled
 * with the run's vocabulary and settings.
 */
final class ClipLabeller {
    /** Receives each clip in order; {@code labelling} is null when the clip failed. */
    interface Sink {
        void onClip(int index, Labelling labelling, Throwable failure) throws Exception;
    }

    private ClipLabeller() {
    }

    /**
     * The method a run uses: the one asked for, else OV-AVSS; refused (with the methods the bundle
     * offers) when the bundle does not declare it.
     */
    static AnalysisMethod method(InferenceService service, AnalysisMethod asked) {
        AnalysisMethod m = asked == null ? AnalysisMethod.OVAVSS : asked;
        try {
            service.bundle().manifest().requireMethod(m);
        } catch (ovavss.studio.model.BundleException e) {
            throw new PredictionException("--method " + m.id() + ": " + e.getMessage());
        }
        return m;
    }

    /** The bundle's post-processing with the request's threshold (when set) and sound gate. */
    static PostProcessSettings settings(InferenceService service, Float threshold, boolean soundGate) {
        PostProcessSettings s = service.settings().withSoundGate(soundGate);
        return threshold != null ? s.withScoreThreshold(threshold) : s;
    }

    static void run(InferenceService service, AnalysisMethod method, List<Path> media, boolean allowSilent,
                    List<String> names, PostProcessSettings settings, IntFunction<ProgressSink> progress,
                    Cancellation cancel, Sink sink) throws Exception {
        List<KeyframeSource.Opener> openers = new ArrayList<>();
        for (Path clip : media) {
            openers.add(() -> AnalysisKeyframes.open(clip, 0, -1, !allowSilent));
        }
        service.analyseInOrder(openers, service.decodeThreads(), method, progress, cancel, (i, a, failure) -> {
            if (failure != null) {
                sink.onClip(i, null, failure);
                return;
            }
            Labelling l;
            try {
                l = service.vocabulary().relabel(a, names, settings);
            } catch (RuntimeException e) {
                sink.onClip(i, null, e);
                return;
            }
            sink.onClip(i, l, null);
        });
    }
}
