package ovavss.studio.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.ClipAnalysis;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.Labelling;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.model.Precision;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.LatestProgress;
import ovavss.studio.task.NamedThreads;
import ovavss.studio.task.Progress;

/**
 * The "Analyse" use case of the GUI: owns one loaded model bundle and its inference service,
 * analyses clips (or keyframe ranges) window by window, and relabels cached analyses when the
 * vocabulary changes.
 *
 * <p>Threads: loading, relabelling and closing run on one named "ovavss-model" thread, so callers
 * (the FX thread) never wait for the model; the inference service keeps its own single inference
 * thread for the predictors. Progress goes to a lock-free {@link LatestProgress} the UI samples;
 * cancellation is cooperative, between windows.
 */
public final class AnalysisJob implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisJob.class);
    /** Bundle used when none is chosen, relative to the working directory or the application's install dir. */
    public static final String DEFAULT_BUNDLE = "models/demo-avshapes";

    private final ExecutorService model = Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-model"));
    /** Touched only on the model thread. */
    private ModelBundle bundle;
    private InferenceService service;
    private volatile String deviceName = "no model";
    private volatile Loaded loaded;

    /**
     * Facts about the loaded bundle the UI shows.
     *
     * @param dir bundle directory
     * @param name bundle name
     * @param device "CPU" or "GPU n (CUDA)"
     * @param precision the precision the graphs run at
     * @param precisionNote why that is not the precision asked for ("fp16 needs a CUDA GPU; ..."), or null
     * @param defaultVocabulary the bundle's default names
     * @param base names seen in training
     * @param novel names never seen in training
     * @param methods the analysis methods the bundle offers (OV-AVSS first)
     */
    public record Loaded(Path dir, String name, String device, Precision precision, String precisionNote,
                         List<String> defaultVocabulary, List<String> base, List<String> novel,
                         List<AnalysisMethod> methods) {
        /** "CPU · fp32", "GPU 0 (CUDA) · fp16": what the status bar shows. */
        public String runsOn() {
            return device + " · " + precision.id();
        }
    }

    /**
     * One running analysis.
     *
     * @param progress latest progress (windows done / total), sampled by the UI
     * @param cancel request cooperative cancellation between windows
     * @param windowsDone number of windows delivered so far (partial results can be labelled up to it)
     * @param analysis the growing cached analysis; present once the first window arrived
     * @param result completes with the whole analysis, or with a {@link java.util.concurrent.CancellationException}
     * @param firstKeyframe global keyframe index of the analysed range's keyframe 0
     * @param startNanos {@link System#nanoTime()} at the start, for the ETA
     */
    public record Run(LatestProgress progress, Cancellation cancel, AtomicInteger windowsDone,
                      java.util.concurrent.atomic.AtomicReference<ClipAnalysis> analysis,
                      CompletableFuture<ClipAnalysis> result, int firstKeyframe, long startNanos) {
        /** Seconds left, estimated from the mean time per finished window, or -1 before the first window. */
        public double etaSeconds() {
            Progress p = progress.get();
            return eta(System.nanoTime() - startNanos, p.done(), p.total());
        }
    }

    /** ETA in seconds from elapsed time and units done, or -1 when nothing is done yet or the total is unknown. */
    public static double eta(long elapsedNanos, long done, long total) {
        if (done <= 0 || total <= 0) {
            return -1;
        }
        return elapsedNanos / 1e9 / done * Math.max(0, total - done);
    }

    /** "12 s", "3 min 5 s" or "" for an unknown ETA. */
    public static String formatEta(double seconds) {
        if (seconds < 0 || Double.isNaN(seconds)) {
            return "";
        }
        long s = Math.round(seconds);
        return s < 60 ? s + " s" : String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
    }

    /**
     * The default bundle: {@value #DEFAULT_BUNDLE} under the working directory, or next to the
     * application's jar (and up to two levels above it), whichever exists first.
     */
    public static Path defaultBundleDir() {
        return InstallFiles.locate(DEFAULT_BUNDLE, d -> Files.isRegularFile(d.resolve("bundle.json")))
                .orElse(Path.of(DEFAULT_BUNDLE).toAbsolutePath());
    }

    /** The loaded bundle's facts, or null before a load finished. */
    public Loaded loaded() {
        return loaded;
    }

    /** "CPU · fp32", "GPU 0 (CUDA) · fp16" or "no model". */
    public String deviceName() {
        return deviceName;
    }

    /**
     * Loads (validates, warms up) a bundle on the model thread, replacing the current one. The
     * previous service is closed first; callers must not start a load while an analysis runs.
     *
     * @param precision asked for; {@link Loaded#precision()} says what runs (fp16 may fall back to fp32)
     */
    public CompletableFuture<Loaded> load(Path dir, DevicePreference preference, Precision precision) {
        return CompletableFuture.supplyAsync(() -> {
            closeModel();
            deviceName = "loading model…";
            try {
                ModelBundle b = ModelBundle.load(dir, preference, precision);
                bundle = b;
                service = new InferenceService(b);
                var m = b.manifest();
                Loaded l = new Loaded(dir, m.name(), b.deviceName(), b.precision(), b.precisionNote().orElse(null),
                        m.defaultVocabulary(), m.baseVocabulary(), m.novelVocabulary(), m.methods());
                loaded = l;
                deviceName = l.runsOn();
                return l;
            } catch (Exception e) {
                deviceName = "no model";
                closeModel();
                throw new java.util.concurrent.CompletionException(
                        new IllegalStateException("cannot load model " + dir + ": " + e.getMessage(), e));
            }
        }, model);
    }

    /**
     * Analyses keyframes {@code [first, first + count)} of a media file or AVSBench clip folder
     * ({@code count < 0}: to the end). The model must be loaded.
     */
    public Run analyse(Path media, int first, int count) {
        return analyse(media, first, count, AnalysisMethod.OVAVSS);
    }

    /** As {@link #analyse(Path, int, int)} with one of the loaded bundle's methods. */
    public Run analyse(Path media, int first, int count, AnalysisMethod method) {
        InferenceService s = requireService();
        LatestProgress progress = new LatestProgress();
        Cancellation cancel = new Cancellation();
        AtomicInteger windows = new AtomicInteger();
        var analysis = new java.util.concurrent.atomic.AtomicReference<ClipAnalysis>();
        int from = Math.max(0, first);
        progress.report(0, -1, "opening " + media.getFileName());
        // A mirror of the service's analysis, filled window by window on the inference thread, so
        // partial results can be labelled while the job still runs.
        CompletableFuture<ClipAnalysis> result = s.analyse(() -> {
            AnalysisKeyframes k = AnalysisKeyframes.open(media, from, count);
            analysis.set(new ClipAnalysis(k.keyframeCount()));
            return k;
        }, method, w -> {
            analysis.get().add(w);
            windows.incrementAndGet();
        }, progress, cancel);
        Run run = new Run(progress, cancel, windows, analysis, result, from, System.nanoTime());
        return run;
    }

    /**
     * Labels a (possibly still growing) analysis with {@code names} on the model thread: new names
     * cost a text embedding each, the rest is a matrix product (no segmenter rerun).
     */
    public CompletableFuture<Labelling> relabel(ClipAnalysis analysis, List<String> names) {
        return CompletableFuture.supplyAsync(() -> {
            InferenceService s = requireService();
            PostProcessSettings settings = s.settings();
            return s.vocabulary().relabel(analysis, names, settings);
        }, model);
    }

    /**
     * "What do I hear?" over the audio of {@code media} on the model thread: per second, the
     * {@code top} best of {@code candidates} by the bundle's audio–text tower. Fails when the loaded
     * bundle has none (see {@link Loaded#methods()}: OpenAVS).
     */
    public CompletableFuture<List<HeardNames.Second>> hear(Path media, List<String> candidates, int top,
                                                          Cancellation cancel) {
        return CompletableFuture.supplyAsync(() -> {
            InferenceService s = requireService();
            if (!HeardNames.available(s)) {
                throw new IllegalStateException("the loaded bundle has no audio-text tower (it offers no OpenAVS)");
            }
            try (AnalysisKeyframes k = AnalysisKeyframes.open(media, 0, -1, true)) {
                return HeardNames.hear(s, k.audio(), candidates, top, cancel);
            } catch (ovavss.studio.media.MediaException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, model);
    }

    /** Runs {@code task} on the model thread (for work that must follow a relabel in order). */
    public <T> CompletableFuture<T> onModelThread(java.util.function.Supplier<T> task) {
        return CompletableFuture.supplyAsync(task, model);
    }

    private InferenceService requireService() {
        InferenceService s = service;
        if (s == null) {
            throw new IllegalStateException("no model loaded");
        }
        return s;
    }

    private void closeModel() {
        loaded = null;
        if (service != null) {
            service.close();
            service = null;
        }
        if (bundle != null) {
            bundle.close();
            bundle = null;
        }
    }

    /** Closes the model on the model thread (after any queued relabel) without blocking the caller for long. */
    @Override
    public void close() {
        model.submit(this::closeModel);
        model.shutdown();
        try {
            if (!model.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("model thread did not stop in 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
