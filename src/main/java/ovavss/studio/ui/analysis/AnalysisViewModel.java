package ovavss.studio.ui.analysis;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;
import java.util.concurrent.CompletableFuture;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.task.Cancellation;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.Edits;
import ovavss.studio.annotation.LabelNames;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.app.AnalysisJob;
import ovavss.studio.app.AnalysisResults;
import ovavss.studio.model.ClipAnalysis;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.Precision;
import ovavss.studio.model.WindowAnalysis;
import ovavss.studio.task.Progress;
import ovavss.studio.ui.project.ProjectViewModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * State of "Analyse" and the live vocabulary: runs an {@link AnalysisJob}, samples its progress
 * when the view ticks ({@link #poll()}, every ~150 ms — never one callback per window), labels
 * partial results as windows arrive and puts them into the project as model objects through
 * {@link ProjectViewModel#replaceProject}. Vocabulary edits change the project vocabulary and
 * relabel the cached analysis (text embeddings + a matrix product; no segmenter rerun).
 *
 * <p>Threads: every public method and every property change happen on the FX thread (or the
 * thread behind {@code fx} in tests); model work runs on the job's model thread and comes back
 * through {@code fx} once per relabel.
 */
public final class AnalysisViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(AnalysisViewModel.class);

    private final AnalysisJob job;
    private final ProjectViewModel project;
    private final Executor fx;

    private final BooleanProperty running = new SimpleBooleanProperty(this, "running");
    private final DoubleProperty progress = new SimpleDoubleProperty(this, "progress", 0);
    private final StringProperty progressText = new SimpleStringProperty(this, "progressText", "");
    private final StringProperty etaText = new SimpleStringProperty(this, "etaText", "");
    private final StringProperty message = new SimpleStringProperty(this, "message", "");
    private final StringProperty deviceText = new SimpleStringProperty(this, "deviceText", "no model");
    private final StringProperty modelText = new SimpleStringProperty(this, "modelText", "No model loaded");
    private final StringProperty modelNote = new SimpleStringProperty(this, "modelNote", "");
    private final StringProperty hoveredObjectId = new SimpleStringProperty(this, "hoveredObjectId");
    /** Bundle to load; null when none was found (Analyse then says how to choose one). */
    private final ObjectProperty<Path> bundleDir = new SimpleObjectProperty<>(this, "bundleDir");
    private final ObjectProperty<DevicePreference> device = new SimpleObjectProperty<>(this, "device",
            DevicePreference.AUTO);
    private final ObjectProperty<Precision> precision = new SimpleObjectProperty<>(this, "precision",
            Precision.FP32);
    private final ObservableList<AnalysisResults.Summary> objects = FXCollections.observableArrayList();
    private final LongProperty windowsInferred = new SimpleLongProperty(this, "windowsInferred");
    /** The analysis method of the next run, one of {@link #methods()}. */
    private final ObjectProperty<ovavss.studio.model.AnalysisMethod> method = new SimpleObjectProperty<>(this,
            "method", ovavss.studio.model.AnalysisMethod.OVAVSS);
    /** The methods the loaded bundle offers. */
    private final ObservableList<ovavss.studio.model.AnalysisMethod> methods = FXCollections.observableArrayList(
            ovavss.studio.model.AnalysisMethod.OVAVSS);
    private final ReadOnlyObjectWrapper<Outcome> outcome = new ReadOnlyObjectWrapper<>(this, "outcome");
    private long outcomes;

    /**
     * How an analysis ended (a cancelled one has none): what the message line says, and whether
     * it failed. {@code sequence} numbers the outcomes, so two alike still read as a change.
     */
    public record Outcome(boolean failed, String message, long sequence) {
    }

    /** The load in flight or done for {@link #loadedDir}, so Analyse never starts a second load. */
    private CompletableFuture<AnalysisJob.Loaded> modelLoad;
    private Path loadedDir;
    private boolean loadAttempted;
    /** Cancel pressed while the model was loading or the clip opening, before the run existed. */
    private boolean cancelRequested;
    /** Windows of the current run handed to a relabel (applied or given up after a failure). */
    private int requestedWindows;

    /** The run in progress, or null. */
    private AnalysisJob.Run run;
    /** The analysis the vocabulary relabels: the latest run's (complete or partial). */
    private ClipAnalysis analysis;
    private AnalysisResults results;
    private String clipId;
    /** The project right after the last vocabulary edit, while its relabelling may still amend it. */
    private Project afterVocabularyEdit;
    private int rangeEnd;
    private int appliedWindows;
    private boolean relabelInFlight;
    private boolean relabelAgain;
    private long relabels;

    /**
     * @param fx where results are handed back ({@code Platform::runLater} in the app, a direct executor in tests)
     */
    public AnalysisViewModel(AnalysisJob job, ProjectViewModel project, Executor fx) {
        this.job = job;
        this.project = project;
        this.fx = fx;
        // the object list is the current clip's objects as the project holds them: after an undo,
        // a reopen or a hand-made object it shows what the video and the lanes show
        project.projectProperty().addListener((o, a, p) -> refreshObjects());
        project.clipIdProperty().addListener((o, a, id) -> refreshObjects());
        refreshObjects();
    }

    /** The sound-head probability of the model objects of this session's analyses, by object id. */
    private final java.util.Map<String, Double> soundScores = new java.util.HashMap<>();

    private void refreshObjects() {
        objects.setAll(project.currentClip().map(c -> AnalysisResults.summarise(c, soundScores)).orElse(List.of()));
    }

    /** The latest analysis's end, done or failed (null before the first); the window notifies it. */
    public ReadOnlyObjectProperty<Outcome> outcomeProperty() {
        return outcome.getReadOnlyProperty();
    }

    // ---------------------------------------------------------------- properties

    public BooleanProperty runningProperty() {
        return running;
    }

    /** Fraction of windows done, or -1 (indeterminate) while the model loads or the clip opens. */
    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    public StringProperty etaTextProperty() {
        return etaText;
    }

    /** Last outcome ("12 objects", "Cancelled …", an error) for the panel. */
    public StringProperty messageProperty() {
        return message;
    }

    /** Inference device and precision for the status bar ("CPU · fp32"). */
    public StringProperty deviceTextProperty() {
        return deviceText;
    }

    /** Which bundle is loaded, for the panel ("Model demo-avshapes · CPU"). */
    public StringProperty modelTextProperty() {
        return modelText;
    }

    /**
     * What the user should know about the loaded model ("fp16 needs a CUDA GPU; running fp32 on
     * the CPU"), or "" when nothing; the window shows it in the status bar.
     */
    public StringProperty modelNoteProperty() {
        return modelNote;
    }

    /** Object under the mouse in the object list (the overlay highlights it), or null. */
    public StringProperty hoveredObjectIdProperty() {
        return hoveredObjectId;
    }

    public ObjectProperty<Path> bundleDirProperty() {
        return bundleDir;
    }

    public ObjectProperty<DevicePreference> deviceProperty() {
        return device;
    }

    /** The precision asked for at the next model load (the loaded one is in {@link #deviceTextProperty()}). */
    public ObjectProperty<Precision> precisionProperty() {
        return precision;
    }

    /** Every object of the current clip (model and hand-made), in the clip's order. */
    public ObservableList<AnalysisResults.Summary> objects() {
        return objects;
    }

    public ProjectViewModel project() {
        return project;
    }

    /** True while a relabel runs or another is queued behind it. */
    public boolean relabelPending() {
        return relabelInFlight || relabelAgain;
    }

    /** Number of relabels applied so far (tests and the benchmark read it). */
    public long relabelCount() {
        return relabels;
    }

    /**
     * Windows the segmenter has analysed through this view model, over all runs (a relabel never
     * adds to it).
     */
    /** Per second, the names the audio–text tower heard best (the last "What do I hear?"). */
    private final ObservableList<ovavss.studio.app.HeardNames.Second> heard = FXCollections.observableArrayList();
    private final BooleanProperty hearing = new SimpleBooleanProperty(this, "hearing");
    private final StringProperty hearText = new SimpleStringProperty(this, "hearText",
            "Lists, second by second, the names the model hears (bundles with OpenAVS)");
    private Cancellation hearCancel;

    public ObservableList<ovavss.studio.app.HeardNames.Second> heard() {
        return heard;
    }

    /** True while "What do I hear?" runs. */
    public BooleanProperty hearingProperty() {
        return hearing;
    }

    /** What the hearing section says (its state, or why it cannot run). */
    public StringProperty hearTextProperty() {
        return hearText;
    }

    /**
     * Hears the audio of {@code media}: per second the three best of the vocabulary's names and the
     * bundle's own, in the background. Needs a bundle that offers OpenAVS.
     */
    public void hear(Path media) {
        if (hearing.get()) {
            return;
        }
        hearing.set(true);
        hearText.set("Listening to " + media.getFileName() + "…");
        Cancellation cancel = new Cancellation();
        hearCancel = cancel;
        modelReady().thenCompose(l -> {
            if (!l.methods().contains(ovavss.studio.model.AnalysisMethod.OPENAVS)) {
                throw new IllegalStateException("Bundle " + l.name() + " has no audio-text tower: load one that "
                        + "offers OpenAVS (the demo does)");
            }
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>(
                    AnalysisResults.prompts(project.getProject().vocabulary()));
            names.addAll(l.defaultVocabulary());
            return job.hear(media, List.copyOf(names), 3, cancel);
        }).whenComplete((seconds, e) -> fx.execute(() -> {
            hearing.set(false);
            if (e != null) {
                heard.clear();
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                hearText.set(cause instanceof CancellationException ? "Stopped" : userMessage(cause));
                return;
            }
            heard.setAll(seconds);
            hearText.set(seconds.isEmpty() ? "No audio to hear" : seconds.size() + " second(s) heard · bold: "
                    + "above the OpenAVS prompt threshold · click a name to add it to the vocabulary");
        }));
    }

    /** Stops "What do I hear?" between blocks. */
    public void stopHearing() {
        if (hearCancel != null) {
            hearCancel.cancel();
        }
    }

    /** Fires on every project change (vocabulary edits among them), for views that show vocabulary state. */
    public javafx.beans.Observable projectChanges() {
        return project.projectProperty();
    }

    /** True when the project's vocabulary has a class whose prompt or name is {@code name}. */
    public boolean inVocabulary(String name) {
        return project.getProject().vocabulary().entries().stream()
                .anyMatch(v -> v.prompt().equals(name) || v.name().equals(LabelNames.normalise(name)));
    }

    /** The method the next analysis runs (changing it applies at the next Analyse). */
    public ObjectProperty<ovavss.studio.model.AnalysisMethod> methodProperty() {
        return method;
    }

    /** The loaded bundle's methods (OV-AVSS alone until a bundle that declares others loads). */
    public ObservableList<ovavss.studio.model.AnalysisMethod> methods() {
        return methods;
    }

    public LongProperty windowsInferredProperty() {
        return windowsInferred;
    }

    /** True once a model load was started in this session (the PyTorch runtime is then loaded for good). */
    public boolean loadAttempted() {
        return loadAttempted;
    }

    // ---------------------------------------------------------------- model

    /**
     * Loads a bundle in the background (start-up, Model › Load, a device change), replacing the
     * current one; refused while an analysis runs. A null directory means "no model".
     *
     * @return the load, completing on the model thread
     */
    public CompletableFuture<AnalysisJob.Loaded> chooseModel(Path dir) {
        if (running.get()) {
            message.set("Cancel the running analysis before changing the model.");
            return CompletableFuture.failedFuture(new IllegalStateException("an analysis is running"));
        }
        bundleDir.set(dir);
        // A cached analysis belongs to the model that made it: image and text embeddings of two
        // models do not mix, so vocabulary edits stop relabelling it.
        analysis = null;
        results = null;
        if (dir == null) {
            deviceText.set("no model");
            modelNote.set("");
            modelText.set("No model (Model › Load model…)");
            return CompletableFuture.failedFuture(new IllegalStateException(NO_MODEL));
        }
        return startLoad(dir);
    }

    private static final String NO_MODEL = "No model: choose a bundle with Model › Load model… "
            + "(or start with --model DIR); the demo bundle is models/demo-avshapes.";

    private CompletableFuture<AnalysisJob.Loaded> startLoad(Path dir) {
        deviceText.set("loading model…");
        modelText.set("Loading " + dir.getFileName() + "…");
        modelNote.set("");
        loadAttempted = true;
        loadedDir = dir;
        CompletableFuture<AnalysisJob.Loaded> f = job.load(dir, device.get(), precision.get());
        modelLoad = f;
        f.whenComplete((l, e) -> fx.execute(() -> {
            if (modelLoad != f) {
                return; // a newer load replaced this one
            }
            deviceText.set(e != null ? "no model" : l.runsOn());
            List<ovavss.studio.model.AnalysisMethod> offered = e != null ? List.of(ovavss.studio.model.AnalysisMethod.OVAVSS)
                    : l.methods();
            methods.setAll(offered);
            // (the chooser may have pushed null while its items were replaced)
            if (method.get() == null || !offered.contains(method.get())) {
                if (method.get() != null && e == null) {
                    LOG.warn("bundle {} does not offer {}: the next analysis uses OV-AVSS", l.name(), method.get());
                }
                method.set(ovavss.studio.model.AnalysisMethod.OVAVSS);
            }
            modelText.set(e != null ? "No model (loading " + dir.getFileName() + " failed)"
                    : "Model " + l.name() + " · " + l.defaultVocabulary().size() + " classes · " + l.runsOn());
            String note = e != null || l.precisionNote() == null ? "" : l.precisionNote();
            modelNote.set(note);
            Project p = project.getProject();
            if (e == null && p.vocabulary().size() == 0) {
                // Show the bundle's names in the editor right away (editable before any analysis).
                project.replaceProject(p.withVocabulary(AnalysisResults.defaultVocabulary(l.defaultVocabulary(),
                        l.base(), l.novel(), p.vocabulary().labelSpace())), "Vocabulary of " + l.name());
            }
            if (!running.get()) {
                message.set(e != null ? userMessage(e) : "Model " + l.name() + " loaded on " + l.runsOn()
                        + (note.isEmpty() ? "" : " (" + note + ")"));
            }
        }));
        return f;
    }

    /** The current load when it is for the chosen bundle and did not fail, else a new load. */
    private CompletableFuture<AnalysisJob.Loaded> modelReady() {
        Path dir = bundleDir.get();
        CompletableFuture<AnalysisJob.Loaded> f = modelLoad;
        if (f != null && dir != null && dir.equals(loadedDir) && !f.isCompletedExceptionally()) {
            return f;
        }
        return startLoad(dir);
    }

    // ---------------------------------------------------------------- analyse

    /**
     * Analyses keyframes {@code [first, first + count)} ({@code count < 0}: to the end) of the
     * media, loading the model first when needed. The project gets a clip for the media if it has
     * none, and the bundle's default vocabulary if its vocabulary is empty.
     *
     * @param duration media duration in seconds, width/height its frame size (for a new clip)
     */
    public void analyse(Path media, double duration, int width, int height, int first, int count) {
        if (running.get()) {
            return;
        }
        if (bundleDir.get() == null) {
            message.set(NO_MODEL);
            return;
        }
        running.set(true);
        cancelRequested = false;
        progress.set(-1);
        etaText.set("");
        message.set("");
        progressText.set("Loading model…");
        modelReady().whenComplete((loaded, err) -> fx.execute(() -> {
            if (err != null) {
                fail(err);
                return;
            }
            deviceText.set(loaded.runsOn());
            List<String> names;
            try {
                prepareProject(loaded, media, duration, width, height);
                names = AnalysisResults.prompts(project.getProject().vocabulary());
            } catch (RuntimeException e) {
                fail(e);
                return;
            }
            // Text embeddings run on the inference thread, which a running analysis holds until it
            // ends: encoding the vocabulary first lets partial results be labelled while it runs.
            progressText.set("Encoding the vocabulary…");
            CompletableFuture<?> warm = names.isEmpty() ? CompletableFuture.completedFuture(null)
                    : job.relabel(new ClipAnalysis(0), names);
            warm.whenComplete((x, e) -> fx.execute(() -> {
                if (e != null) {
                    LOG.warn("encoding the vocabulary failed; the analysis goes on", e);
                }
                startRun(media, first, count);
            }));
        }));
    }

    private void startRun(Path media, int first, int count) {
        if (cancelRequested) {
            running.set(false);
            progress.set(0);
            progressText.set("Cancelled");
            message.set("Cancelled before the first window");
            return;
        }
        try {
            // The clip prepared for this media (the user may have opened other media meanwhile).
            int total = project.getProject().clip(clipId).map(Clip::keyframeCount).orElse(0);
            int from = Math.max(0, first);
            rangeEnd = count < 0 ? Math.max(total, from + 1) : from + count;
            results = new AnalysisResults(from);
            appliedWindows = 0;
            requestedWindows = 0;
            progressText.set("Opening " + media.getFileName() + "…");
            run = job.analyse(media, from, count,
                    method.get() == null ? ovavss.studio.model.AnalysisMethod.OVAVSS : method.get());
            analysis = null;
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Requests cooperative cancellation; windows already analysed stay in the project. */
    public void cancel() {
        if (!running.get()) {
            return;
        }
        cancelRequested = true;
        AnalysisJob.Run r = run;
        if (r != null) {
            r.cancel().cancel();
        }
        progressText.set("Cancelling after the current window…");
    }

    /**
     * Samples the running job: progress, ETA, new windows to label, completion. Called by the view
     * every ~150 ms on the FX thread.
     */
    public void poll() {
        AnalysisJob.Run r = run;
        if (r == null) {
            return;
        }
        Progress p = r.progress().get();
        double f = p.fraction();
        progress.set(f);
        if (!r.cancel().isCancelled()) {
            progressText.set(p.total() > 0 ? String.format(Locale.ROOT, "Window %d / %d", p.done(), p.total())
                    : p.message());
        }
        String eta = AnalysisJob.formatEta(r.etaSeconds());
        etaText.set(eta.isEmpty() ? "" : "ETA " + eta);
        if (analysis == null) {
            analysis = r.analysis().get();
        }
        windowsInferred.set(windowsBefore + r.windowsDone().get());
        if (analysis != null && r.windowsDone().get() > requestedWindows) {
            requestRelabel();
        }
        // Finish once every delivered window is labelled (a cancelled run keeps its windows).
        boolean failed = r.result().isCompletedExceptionally() && !r.result().isCancelled()
                && !causedByCancel(r.result());
        if (r.result().isDone() && !relabelInFlight && (failed || r.windowsDone().get() <= requestedWindows)) {
            finish(r);
        }
    }

    private static boolean causedByCancel(CompletableFuture<?> f) {
        try {
            f.getNow(null);
            return false;
        } catch (CancellationException e) {
            return true;
        } catch (CompletionException e) {
            return e.getCause() instanceof CancellationException;
        }
    }

    /** Windows inferred by the runs before the current one. */
    private long windowsBefore;

    private void finish(AnalysisJob.Run r) {
        windowsBefore += r.windowsDone().get();
        windowsInferred.set(windowsBefore);
        run = null;
        running.set(false);
        etaText.set("");
        try {
            r.result().join();
            progress.set(1);
            progressText.set("Done");
            double seconds = (System.nanoTime() - r.startNanos()) / 1e9;
            message.set(String.format(Locale.ROOT, "%d object(s) in %d window(s) on %s, %.1f s", objects.size(),
                    appliedWindows, job.deviceName(), seconds));
            LOG.info("analysed {} window(s) of {} in {} ms", appliedWindows, clipId, Math.round(seconds * 1000));
            outcome.set(new Outcome(false, message.get(), ++outcomes));
        } catch (CancellationException | CompletionException e) {
            Throwable c = ovavss.studio.task.Futures.cause(e);
            if (c instanceof CancellationException) {
                progressText.set("Cancelled");
                message.set("Cancelled after " + appliedWindows + " window(s); their " + objects.size()
                        + " object(s) are kept");
            } else {
                fail(c);
            }
        }
    }

    private void fail(Throwable e) {
        LOG.warn("analysis failed", e);
        if (run != null) {
            windowsBefore += run.windowsDone().get();
            windowsInferred.set(windowsBefore);
        }
        run = null;
        running.set(false);
        progress.set(0);
        etaText.set("");
        progressText.set("Failed");
        message.set(userMessage(e));
        outcome.set(new Outcome(true, message.get(), ++outcomes));
    }

    private static String userMessage(Throwable e) {
        Throwable c = e;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    /** Ensures a project clip for the media (made current) and a vocabulary. */
    private void prepareProject(AnalysisJob.Loaded loaded, Path media, double duration, int width, int height) {
        clipId = project.ensureClip(media, duration, width, height);
        Project p = project.getProject();
        if (p.vocabulary().size() == 0) {
            project.replaceProject(p.withVocabulary(AnalysisResults.defaultVocabulary(loaded.defaultVocabulary(),
                    loaded.base(), loaded.novel(), p.vocabulary().labelSpace())), "Vocabulary of " + loaded.name());
        }
    }

    // ---------------------------------------------------------------- relabel

    /** Labels the cached analysis with the project vocabulary (coalesced: one in flight at a time). */
    /** The relabelling itself, on the model thread; throws RejectedExecutionException once it is shut down. */
    private java.util.concurrent.CompletableFuture<Labelled> relabelOnModelThread(ClipAnalysis a, List<String> names,
            List<String> prompts, AnalysisResults res, int keyframes, int width, int height) {
        return names.isEmpty()
                ? job.onModelThread(() -> {
                    List<WindowAnalysis> ws = a.windows();
                    return new Labelled(ws.size(), covered(ws), new AnalysisResults.Result(List.of(), List.of()));
                })
                : job.relabel(a, prompts).thenApply(l -> {
                    List<WindowAnalysis> ws = new java.util.ArrayList<>();
                    for (int w = 0; w < l.windowCount(); w++) {
                        ws.add(l.window(w));
                    }
                    return new Labelled(l.windowCount(), covered(ws),
                            AnalysisResults.named(res.objects(l, keyframes, width, height), prompts, names));
                });
    }

    private void requestRelabel() {
        if (relabelInFlight) {
            relabelAgain = true;
            return;
        }
        AnalysisJob.Run r = run;
        int upTo = r != null ? r.windowsDone().get() : requestedWindows;
        requestedWindows = Math.max(requestedWindows, upTo);
        ClipAnalysis a = analysis;
        AnalysisResults res = results;
        Clip clip = clipId == null ? null : project.getProject().clip(clipId).orElse(null);
        if (a == null || res == null || clip == null) {
            return;
        }
        List<String> names = AnalysisResults.names(project.getProject().vocabulary());
        List<String> prompts = AnalysisResults.prompts(project.getProject().vocabulary());
        relabelInFlight = true;
        relabelAgain = false;
        int width = clip.width();
        int height = clip.height();
        int keyframes = clip.keyframeCount();
        java.util.concurrent.CompletableFuture<Labelled> f;
        try {
            f = relabelOnModelThread(a, names, prompts, res, keyframes, width, height);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // the model thread is gone: the window is closing, nobody will see this relabelling
            relabelInFlight = false;
            return;
        }
        f.whenComplete((lab, err) -> fx.execute(() -> {
            relabelInFlight = false;
            if (err != null) {
                LOG.warn("relabel failed", err);
                message.set("Relabelling failed: " + userMessage(err));
            } else if (res == results) {
                apply(lab, names);
            }
            if (relabelAgain) {
                requestRelabel();
            } else if (run != null) {
                poll();
            }
        }));
    }

    /**
     * @param coveredKeyframes keyframes of the range the labelled windows cover (windows arrive in order)
     */
    private record Labelled(int windows, int coveredKeyframes, AnalysisResults.Result result) {
    }

    private static int covered(List<WindowAnalysis> ws) {
        int end = 0;
        for (WindowAnalysis w : ws) {
            end = Math.max(end, w.firstKeyframe() + w.realFrames());
        }
        return end;
    }

    private void apply(Labelled lab, List<String> names) {
        Project p = project.getProject();
        Clip clip = clipId == null ? null : p.clip(clipId).orElse(null);
        if (clip == null) {
            return;
        }
        if (!AnalysisResults.names(p.vocabulary()).equals(names)) {
            relabelAgain = true; // the vocabulary changed while labelling; a newer relabel follows
        }
        // Replace earlier model results only where this run has already been: a cancelled re-analysis
        // keeps the old predictions of the keyframes it did not reach.
        int from = results.firstKeyframe();
        Clip merged = AnalysisResults.merge(clip, lab.result().objects(), from,
                Math.min(rangeEnd, from + lab.coveredKeyframes()));
        for (AnalysisResults.Summary s : lab.result().summaries()) {
            soundScores.put(s.id(), s.soundScore());
        }
        if (!merged.equals(clip)) {
            if (p == afterVocabularyEdit) {
                // the relabelling a vocabulary edit caused is part of that edit: one undo step
                project.replaceAmending(p, p.withClip(merged), "Model predictions");
                afterVocabularyEdit = project.getProject();
            } else {
                project.replaceProject(p.withClip(merged), "Model predictions");
            }
        }
        appliedWindows = Math.max(appliedWindows, lab.windows());
        refreshObjects();
        relabels++;
    }

    // ---------------------------------------------------------------- vocabulary

    /** The project vocabulary's entries (the editor lists them). */
    public List<VocabularyEntry> vocabularyEntries() {
        return project.getProject().vocabulary().entries();
    }

    /**
     * Adds a name (tagged base when the model was trained on it, else novel) and relabels.
     *
     * @return false with a message when the name is blank or already present
     */
    public boolean addName(String raw) {
        return editVocabulary(() -> Edits.addClass(entry(LabelNames.normalise(raw), project.getProject().vocabulary().size())));
    }

    /**
     * Renames a class keeping its objects (the model's too, not re-scored: the class keeps its old
     * words as its prompt); the selection stays.
     */
    public boolean renameKeepingObjects(String oldName, String raw) {
        String selected = project.getSelectedObjectId();
        boolean done = editVocabulary(() -> Edits.renameClassKeepingObjects(oldName, raw));
        if (done && selected != null) {
            project.selectObject(selected);
        }
        return done;
    }

    /** Changes what the model is asked for a class: human objects follow, model objects are re-scored. */
    public boolean renameName(String oldName, String raw) {
        return editVocabulary(() -> Edits.renameClass(oldName, raw, entry(LabelNames.normalise(raw), 0).split()));
    }

    /** Removes a class and relabels (its model objects take the next best name or vanish). */
    public boolean removeName(String name) {
        return editVocabulary(() -> Edits.removeClass(name));
    }

    /** Changes a class colour (no relabel needed; overlays redraw from the project). */
    public void setColour(String name, int rgb) {
        project.apply(Edits.setClassColour(name, rgb));
    }

    /** Sets the base/novel tag of a class. */
    public void setSplit(String name, ovavss.studio.annotation.ClassSplit split) {
        project.apply(Edits.setClassSplit(name, split));
    }

    /** Applies a vocabulary edit (one undo step) and relabels; a refusal becomes the panel's message. */
    private boolean editVocabulary(java.util.function.Supplier<EditCommand> make) {
        EditCommand edit;
        try {
            edit = make.get();
            Project before = project.getProject();
            Project after = edit.apply(before);
            if (after == before) {
                return false;
            }
        } catch (AnnotationException e) {
            String m = e.getMessage();
            message.set(m.isEmpty() ? m : Character.toUpperCase(m.charAt(0)) + m.substring(1) + ".");
            return false;
        }
        project.apply(edit);
        afterVocabularyEdit = project.getProject();
        message.set("");
        requestRelabel();
        return true;
    }

    private VocabularyEntry entry(String name, int index) {
        AnalysisJob.Loaded l = job.loaded();
        return AnalysisResults.entry(name, index, l == null ? List.of() : l.base(), l == null ? List.of() : l.novel());
    }

}
