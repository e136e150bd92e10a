package ovavss.studio.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.animation.AnimationTimer;
import javafx.beans.binding.Bindings;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.DragEvent;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.RowConstraints;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.StringConverter;
import ovavss.studio.annotation.Clip;
import ovavss.studio.app.AnalysisJob;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.app.playback.MediaSession;
import ovavss.studio.app.playback.PlaybackStats;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.task.NamedThreads;
import ovavss.studio.ui.analysis.AnalysisPanel;
import ovavss.studio.ui.analysis.AnalysisViewModel;
import ovavss.studio.ui.edit.EditingUi;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;
import ovavss.studio.ui.project.RecoveryPrompt;
import ovavss.studio.ui.project.SaveChangesPrompt;
import ovavss.studio.ui.project.SilentClipPrompt;
import ovavss.studio.ui.settings.BundlesDialog;
import ovavss.studio.ui.settings.ModelSettings;
import ovavss.studio.ui.settings.ModelSettingsDialog;
import ovavss.studio.ui.timeline.TimelineModel;
import org.controlsfx.control.Notifications;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window's content: menu and toolbar, the video with the mask overlay, the
 * ruler/waveform/spectrogram panes on one time axis, the analysis panel docked at the right and
 * the status bar. Owns the AnimationTimer that samples the master clock and keeps the project's
 * current keyframe at the playhead.
 */
final class MainView extends BorderPane {
    private static final Logger LOG = LoggerFactory.getLogger(MainView.class);
    /** The timeline's left column: pane names, frequencies, and the names of the sound lanes. */
    private static final double GUTTER = 104;

    final TimelineModel timeline = new TimelineModel();
    final PlayerViewModel player;
    final VideoView video = new VideoView();
    final RulerPane ruler = new RulerPane(timeline);
    final WaveformPane waveform;
    final SpectrogramPane spectrogram;
    final MediaStatusBar status = new MediaStatusBar();
    private final FrequencyGutter frequencyGutter;
    private final ScrollBar scroll = new ScrollBar();
    private final Button playButton = iconButton("mdi2p-play", (Tooltip) null);
    private final AnimationTimer timer;
    private Consumer<Throwable> errorHandler = this::showError;
    /** Until {@link #guardClose}: Quit exits without asking (tests, screenshot runs). */
    private SaveChangesPrompt savePrompt;
    private Runnable closeAction = javafx.application.Platform::exit;
    /** Off until the app turns it on: tests and --screenshot runs show no notifications. */
    private boolean notifications;

    /** The annotation project (model predictions land here as sounding objects). */
    final ProjectViewModel project;
    final AnalysisViewModel analysis;
    final AnalysisPanel analysisPanel;
    /** Masks of the current keyframe over the video. */
    final MaskOverlay overlay;
    /** Mask tools, sound lanes, keyframe list, review and shortcuts. */
    final ovavss.studio.ui.edit.EditingUi editing;
    private final AnalysisJob job;
    private final boolean ownsModel;
    private ModelSettings modelSettings = ModelSettings.DEFAULTS;
    /** Runs user-started jobs (a bundle import); owned by the composition root. */
    private final java.util.concurrent.ExecutorService jobs;
    private BundleLibrary bundleLibrary;
    private BundlesDialog bundlesDialog;
    private PlaybackStats playbackStats = new PlaybackStats();
    private MediaSession playbackStatsOf;
    /** The dock (main | side), the main split (video / timeline) and the side split (analysis / tabs). */
    private final List<SplitPane> splitPanes;
    private SilentClipPrompt silentClipPrompt =
            SilentClipPrompt.dialog(() -> getScene() == null ? null : getScene().getWindow());

    /**
     * A window with its own project and model job (tests); no model is loaded until asked. Its
     * project runs on the project threads of {@code workers}, as {@link StudioApp} composes it.
     */
    MainView(MediaSession.Opener opener, WindowExecutors workers) {
        this(opener, workers, new AnalysisJob(), StudioApp.projectViewModel(workers.projectIo(), workers.autosave()),
                true);
    }

    /**
     * @param job the model job (loads bundles, analyses); closed by {@link #dispose()} only when {@code ownsModel}
     * @param project the annotation project
     */
    MainView(MediaSession.Opener opener, WindowExecutors workers, AnalysisJob job, ProjectViewModel project,
             boolean ownsModel) {
        getStyleClass().add("main-view");
        this.job = job;
        this.ownsModel = ownsModel;
        this.project = project;
        this.jobs = workers.jobs();
        analysis = new AnalysisViewModel(job, project, javafx.application.Platform::runLater);
        analysisPanel = new AnalysisPanel(analysis, this::analyse, this::hear);
        overlay = new MaskOverlay(project);
        overlay.setId("mask-overlay");
        overlay.fillOpacityProperty().bind(analysisPanel.maskOpacityProperty());
        // Hover links both ways: a row under the mouse highlights its mask, a mask its row.
        overlay.highlightedProperty().bind(analysis.hoveredObjectIdProperty());
        overlay.hoveredProperty().addListener((o, a, id) -> analysis.hoveredObjectIdProperty().set(id));
        video.setOverlay(overlay);
        status.deviceTextProperty().bind(analysis.deviceTextProperty());
        // why the model runs at another precision than asked (fp16 on a CPU, a bundle without fp16 graphs)
        analysis.modelNoteProperty().addListener((o, a, note) -> status.showDeviceNote(note));
        // what the project did (saved, exported, opened, undid ...) is confirmed in the status bar
        project.messageProperty().addListener((o, a, text) -> {
            if (text != null && !text.isBlank()) {
                status.showNotice(text);
            }
        });
        // A running analysis shows in the status bar too (indeterminate until its first window).
        status.progressProperty().bind(Bindings.when(analysis.runningProperty())
                .then(Bindings.when(analysis.progressProperty().greaterThan(0)).then(analysis.progressProperty())
                        .otherwise(-1))
                .otherwise(0));
        player = new PlayerViewModel(timeline, opener, javafx.application.Platform::runLater);
        waveform = new WaveformPane(timeline, workers.analysis());
        spectrogram = new SpectrogramPane(timeline, workers.analysis());
        frequencyGutter = new FrequencyGutter(spectrogram);
        for (TimelinePane p : List.of(ruler, waveform, spectrogram)) {
            p.setSeeker(player::seek);
            p.setScrubber(player::scrub, player::endScrub);
        }
        editing = new ovavss.studio.ui.edit.EditingUi(project, overlay, timeline, player::seek,
                ovavss.studio.ui.keys.Shortcuts.node(), workers.onsets(), workers.jobs());
        registerPlayerActions(editing.shortcuts());
        editing.lanes().setSoundScores(id -> analysis.objects().stream().filter(x -> x.id().equals(id))
                .mapToDouble(ovavss.studio.app.AnalysisResults.Summary::soundScore).findFirst().orElse(Double.NaN));
        analysis.objects().addListener((javafx.collections.ListChangeListener<ovavss.studio.app.AnalysisResults.Summary>)
                c -> editing.lanes().paint());

        menuBar = menuBar();
        setTop(new VBox(menuBar, toolBar(), editing.toolBar()));
        SplitPane split = new SplitPane(editing.zoomable(video), timelineGrid());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.52);
        SplitPane.setResizableWithParent(timelineGridHolder, Boolean.TRUE);
        if (editing.sidePanel() instanceof javafx.scene.control.TabPane tabs) {
            javafx.scene.control.Tab hearTab = new javafx.scene.control.Tab("Hear", analysisPanel.hearingPane());
            hearTab.setId("hear-tab");
            hearTab.setClosable(false);
            tabs.getTabs().add(hearTab);
        }
        SplitPane right = new SplitPane(analysisPanel, editing.sidePanel());
        right.setOrientation(Orientation.VERTICAL);
        right.setDividerPositions(0.6);
        SplitPane dock = new SplitPane(split, right);
        dock.setOrientation(Orientation.HORIZONTAL);
        dock.setDividerPositions(0.74);
        SplitPane.setResizableWithParent(right, Boolean.FALSE);
        splitPanes = List.of(dock, split, right);
        setCenter(dock);
        setBottom(status);

        player.infoProperty().addListener((o, a, info) -> mediaChanged(info));
        analysis.outcomeProperty().addListener((o, a, r) -> notifyFinished(r));
        player.playingProperty().addListener((o, a, p) -> ((FontIcon) playButton.getGraphic())
                .setIconLiteral(p ? "mdi2p-pause" : "mdi2p-play"));
        wireScrollBar();
        setOnDragOver(this::dragOver);
        setOnDragDropped(this::dragDropped);

        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pulse();
            }
        };
        timer.start();
    }

    /** One divider position per split pane, in the order {@link #setDividerPositions} takes them. */
    List<Double> dividerPositions() {
        return splitPanes.stream().map(p -> p.getDividerPositions()[0]).toList();
    }

    /** Restores {@link #dividerPositions()}; a list of another length (another layout version) is ignored. */
    void setDividerPositions(List<Double> positions) {
        if (positions.size() != splitPanes.size()) {
            return;
        }
        for (int i = 0; i < positions.size(); i++) {
            splitPanes.get(i).setDividerPositions(positions.get(i));
        }
    }

    /**
     * Offers what a crashed session left under {@code root} (see
     * {@link ProjectViewModel#startRecovery}), then opens media: {@code requested} when given, else
     * the current clip's media of a restored project, else {@code fallback}. Nothing here waits;
     * the future completes with the opened media, or null when there was none to open.
     */
    CompletableFuture<MediaInfo> recoverThenOpen(Path root, RecoveryPrompt prompt, Path requested,
                                                 Supplier<Optional<Path>> fallback) {
        return recoverThenOpen(root, prompt, requested, null, fallback);
    }

    /**
     * Like {@link #recoverThenOpen(Path, RecoveryPrompt, Path, Supplier)}; with no media asked for and
     * nothing restored, {@code lastProject} (the most recent project folder, or null) is reopened
     * as it was saved, with its clip's media, before {@code fallback} is considered.
     */
    CompletableFuture<MediaInfo> recoverThenOpen(Path root, RecoveryPrompt prompt, Path requested, Path lastProject,
                                                 Supplier<Optional<Path>> fallback) {
        return project.startRecovery(root, prompt).exceptionally(e -> {
            LOG.warn("crash recovery failed: {}", e.toString());
            return Optional.empty();
        }).thenCompose(choice -> {
            boolean restored = choice.orElse(null) == RecoveryPrompt.Choice.RESTORE;
            if (requested == null && !restored && lastProject != null) {
                return project.open(lastProject).handle((p, e) -> e == null)
                        .thenCompose(ok -> openMedia(ok ? null : requested, ok, fallback));
            }
            return openMedia(requested, restored, fallback);
        });
    }

    private CompletableFuture<MediaInfo> openMedia(Path requested, boolean fromProject, Supplier<Optional<Path>> fallback) {
        Path media = requested;
        if (media == null && fromProject) {
            media = project.currentClip().flatMap(MainView::mediaPath).orElse(null);
        }
        if (media == null) {
            media = fallback.get().orElse(null);
        }
        return media == null ? CompletableFuture.completedFuture(null) : open(media);
    }

    private static Optional<Path> mediaPath(Clip c) {
        try {
            return Optional.of(Path.of(c.media()));
        } catch (java.nio.file.InvalidPathException e) {
            return Optional.empty();
        }
    }

    /**
     * From now on closing {@code stage} and File › Quit go through
     * {@link ProjectViewModel#closeRequested}: unsaved work is asked about with {@code prompt}
     * (Save… uses the folder chooser of Save project as), and {@code close} ends the app.
     */
    void guardClose(Stage stage, SaveChangesPrompt prompt, Runnable close) {
        savePrompt = prompt;
        closeAction = close;
        stage.setOnCloseRequest(e -> {
            // The window stays until the answer says otherwise; closeAction closes it.
            e.consume();
            requestClose();
        });
    }

    private void requestClose() {
        if (savePrompt == null) {
            closeAction.run();
        } else {
            project.closeRequested(savePrompt, editing::chooseSaveFolder, closeAction);
        }
    }

    /** Turns the notifications of finished analyses on or off (off by default). */
    void setNotificationsEnabled(boolean on) {
        notifications = on;
    }

    /**
     * A ControlsFX notification in the window's bottom-right corner when an analysis ends (it may
     * have run for minutes behind other work). It is a popup owned by the window: it takes no
     * focus, fades by itself, and a failure to show it is only logged.
     */
    void notifyFinished(AnalysisViewModel.Outcome r) {
        Window w = getScene() == null ? null : getScene().getWindow();
        if (!notifications || r == null || w == null || !w.isShowing()) {
            return;
        }
        try {
            Notifications n = Notifications.create().owner(w).position(Pos.BOTTOM_RIGHT).darkStyle()
                    .title(r.failed() ? "Analysis failed" : "Analysis finished").text(r.message())
                    .hideAfter(javafx.util.Duration.seconds(r.failed() ? 12 : 6));
            if (r.failed()) {
                n.showError();
            } else {
                n.showInformation();
            }
        } catch (RuntimeException e) {
            LOG.warn("analysis notification not shown: {}", e.toString());
        }
    }

    /** Where open failures go (an alert by default; the screenshot mode prints and exits). */
    void setErrorHandler(Consumer<Throwable> handler) {
        errorHandler = handler;
    }

    /** Installs the keyboard shortcuts on the scene (as a filter, so focused buttons don't eat Space). */
    /**
     * The window title: "clip.mp4 — project (folder) — OV-AVSS Studio", "(not saved)" before the
     * project's first save.
     */
    javafx.beans.binding.StringBinding titleBinding() {
        return Bindings.createStringBinding(() -> {
            String name = project.getProject().name();
            java.nio.file.Path folder = project.getProjectPath();
            String media = mediaName.get().isEmpty() ? "" : mediaName.get() + " \u2014 ";
            return media + (name == null || name.isBlank() ? "Untitled" : name)
                    + (folder == null ? " (not saved)" : " (" + folder + ")") + " \u2014 OV-AVSS Studio";
        }, project.projectProperty(), project.projectPathProperty(), mediaName);
    }

    void installKeys(Scene scene) {
        editing.installKeys(scene);
        // a button of the panels or toolbars hands the keyboard back to the video once used, so
        // the next key is a playback or editing key, not that button's (or a slider's) own
        addEventHandler(javafx.event.ActionEvent.ACTION, e -> {
            if (e.getTarget() instanceof javafx.scene.control.ButtonBase) {
                javafx.application.Platform.runLater(video::requestFocus);
            }
        });
        addEventFilter(javafx.scene.input.MouseEvent.MOUSE_RELEASED, e -> {
            if (e.getTarget() instanceof javafx.scene.Node n && insideSlider(n)) {
                javafx.application.Platform.runLater(video::requestFocus);
            }
        });
    }

    private static boolean insideSlider(javafx.scene.Node n) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.Slider) {
                return true;
            }
        }
        return false;
    }

    /** Playback keys live in the same rebindable registry as the editing keys. */
    private void registerPlayerActions(ovavss.studio.ui.keys.Shortcuts k) {
        k.on("play", player::togglePlay);
        k.on("frame.next", () -> player.stepFrames(1));
        k.on("frame.previous", () -> player.stepFrames(-1));
        k.on("second.next", () -> player.stepSeconds(1));
        k.on("second.previous", () -> player.stepSeconds(-1));
        // The keyframe keys visit the open clip's own keyframes (the default grid without a clip).
        player.setKeyframes(() -> project.currentClip().map(Clip::mediaKeyframes).orElse(null));
        k.on("keyframe.next", player::nextKeyframe);
        k.on("keyframe.previous", player::previousKeyframe);
        k.on("home", player::home);
        k.on("end", player::end);
        k.on("loop", player::toggleLoop);
        k.on("zoom.in", () -> timeline.zoom(0.5, timeline.playheadProperty().get()));
        k.on("zoom.out", () -> timeline.zoom(2, timeline.playheadProperty().get()));
    }

    private void pulse() {
        player.pulse();
        MediaSession s = player.sessionProperty().get();
        if (s != null) {
            video.show(s.latestFrame());
            int onScreen = video.shownFrameProperty().get();
            status.showPosition(player.time(), onScreen >= 0 ? onScreen : player.frameIndexProperty().get(),
                    s.frames().count(), onScreen >= 0 && onScreen != player.frameIndexProperty().get()
                            && !player.playingProperty().get());
            countPlayback(s, onScreen);
            syncKeyframe();
        }
    }

    /** Dropped frames and the picture's lag while playing; said in the status bar and the log at each pause. */
    private void countPlayback(MediaSession s, int onScreen) {
        if (s != playbackStatsOf) {
            playbackStatsOf = s;
            playbackStats = new PlaybackStats();
        }
        int due = player.frameIndexProperty().get();
        var frames = s.frames();
        boolean known = due >= 0 && due < frames.count() && onScreen >= 0 && onScreen < frames.count();
        if (playbackStats.pulse(player.playingProperty().get(), known ? due : -1, known ? frames.timeMicros(due) : 0,
                known ? onScreen : -1, known ? frames.timeMicros(onScreen) : 0)) {
            String summary = playbackStats.summary();
            LOG.info("playback of {}: {}", s.info().path(), summary);
            status.showPlayback(summary);
        }
    }

    /** The overlay shows the nearest keyframe at or before the playhead (property changes only on a new keyframe). */
    private void syncKeyframe() {
        Clip c = project.currentClip().orElse(null);
        if (c == null || c.keyframeCount() == 0) {
            return;
        }
        // before the first keyframe: the first
        int k = Math.max(0, c.mediaKeyframes().atOrBefore(timeline.playheadProperty().get() / 1e6));
        if (project.getKeyframe() != k) {
            project.keyframeProperty().set(k);
        }
    }

    // ---- model and analysis -------------------------------------------------------------------

    /** Loads a bundle in the background (null: none found, "no model" is shown). */
    CompletableFuture<AnalysisJob.Loaded> loadModel(Path bundle) {
        return analysis.chooseModel(bundle);
    }

    /** Settings read at start-up: the device and precision for every load from now on. */
    void setModelSettings(ModelSettings s) {
        modelSettings = s;
        analysis.deviceProperty().set(s.device());
        analysis.precisionProperty().set(s.precision());
    }

    /**
     * Analyse: the open media, or the keyframes inside the selected range (keyframe k is the frame
     * at k s; a range [a, b) takes the keyframes with a ≤ k < b).
     */
    /** "What do I hear?" on the open media's audio. */
    void hear() {
        MediaInfo info = player.infoProperty().get();
        if (info == null || !info.hasAudio()) {
            analysis.hearTextProperty().set(info == null ? "Open a clip first." : "The open media has no audio.");
            return;
        }
        analysis.hear(Path.of(info.path()));
    }

    void analyse() {
        MediaInfo info = player.infoProperty().get();
        if (info == null || !info.hasVideo()) {
            analysis.messageProperty().set(info == null ? "Open a clip first." : "The open media has no video to analyse.");
            return;
        }
        int first = 0;
        int count = -1;
        if (timeline.hasSelection()) {
            // the media's keyframes, as the analysis counts them
            ovavss.studio.annotation.KeyframeTimes kt =
                    ovavss.studio.annotation.KeyframeTimes.onePerSecond(info.durationMicros() / 1e6);
            first = kt.atOrAfter(timeline.selectionStartProperty().get() / 1e6);
            count = kt.atOrAfter(timeline.selectionEndProperty().get() / 1e6) - first;
            if (count <= 0) {
                analysis.messageProperty().set("The selection holds no keyframe (one per second); "
                        + "select at least one whole second or clear the selection.");
                return;
            }
        }
        int from = first;
        int n = count;
        if (!info.hasAudio()) {
            silentClipPrompt.ask(Path.of(info.path()).getFileName().toString(), yes -> {
                if (yes) {
                    analysis.analyse(Path.of(info.path()), info.durationMicros() / 1e6, info.width(), info.height(),
                            from, n);
                } else {
                    analysis.messageProperty().set("Not analysed: the clip has no audio.");
                }
            });
            return;
        }
        analysis.analyse(Path.of(info.path()), info.durationMicros() / 1e6, info.width(), info.height(), first, count);
    }

    /** What Analyse asks before analysing a clip without audio (a dialog unless replaced). */
    void setSilentClipPrompt(SilentClipPrompt prompt) {
        silentClipPrompt = prompt;
    }

    /** True when no analysis is running (the screenshot waits for it). */
    boolean analysisIdle() {
        return !analysis.runningProperty().get();
    }

    /** The bundles Model › Bundles shows (the user's own unless a test gives another). */
    void setBundleLibrary(BundleLibrary library) {
        bundleLibrary = library;
        bundlesDialog = null;
    }

    /** Model › Bundles (made on first use). */
    BundlesDialog bundlesDialog() {
        if (bundlesDialog == null) {
            if (bundleLibrary == null) {
                bundleLibrary = BundleLibrary.standard();
            }
            bundlesDialog = new BundlesDialog(getScene() == null ? null : getScene().getWindow(), bundleLibrary, jobs,
                    this::loadModel);
        }
        return bundlesDialog;
    }

    private void chooseModel() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Model bundle folder (bundle.json)");
        Path cur = analysis.bundleDirProperty().get();
        if (cur != null && cur.getParent() != null && java.nio.file.Files.isDirectory(cur.getParent())) {
            dc.setInitialDirectory(cur.getParent().toFile());
        }
        File f = dc.showDialog(getScene().getWindow());
        if (f != null) {
            loadModel(f.toPath());
        }
    }

    private void showModelSettings() {
        ModelSettingsDialog.show(this, modelSettings, status.device.getText(), analysis.loadAttempted())
                .ifPresent(r -> {
                    modelSettings = r.settings();
                    r.settings().save(ModelSettings.node());
                    analysis.deviceProperty().set(r.settings().device());
                    analysis.precisionProperty().set(r.settings().precision());
                    if (!analysis.loadAttempted()) {
                        r.settings().applyRuntimeOptions();
                    }
                    if (r.reloadNow()) {
                        loadModel(analysis.bundleDirProperty().get());
                    }
                });
    }

    /** Opens media in the background; errors go to the error handler, the current media stays. */
    CompletableFuture<MediaInfo> open(Path path) {
        status.file.setText("Opening " + path.getFileName() + " …");
        CompletableFuture<MediaInfo> f = player.open(path);
        f.whenComplete((info, err) -> {
            if (err != null) {
                MediaInfo cur = player.infoProperty().get();
                if (cur != null) {
                    status.showMedia(cur);
                } else {
                    status.file.setText("No media");
                }
                errorHandler.accept(err);
            }
        });
        return f;
    }

    private void mediaChanged(MediaInfo info) {
        MediaSession s = player.sessionProperty().get();
        status.showMedia(info);
        status.showNotice(ovavss.studio.media.MediaOpener.noticeFor(info));
        if (!info.hasVideo()) {
            video.showMessage(info.hasAudio() ? "Audio only" : "No streams");
            project.clipIdProperty().set(null);
        } else {
            // The open media becomes (or finds) its project clip, so overlays and analysis refer to it.
            project.ensureClip(Path.of(info.path()), info.durationMicros() / 1e6, info.width(), info.height());
        }
        waveform.setSource(s.audio());
        spectrogram.setSource(s.audio());
        editing.setAudio(s);
        frequencyGutter.refresh();
        mediaName.set(String.valueOf(Path.of(info.path()).getFileName()));
    }

    /** The open media's file name, for the window title. */
    private final javafx.beans.property.StringProperty mediaName = new javafx.beans.property.SimpleStringProperty("");

    private void showError(Throwable err) {
        LOG.warn("open failed", err);
        Alert a = new Alert(Alert.AlertType.ERROR, err.getMessage() == null ? err.toString() : err.getMessage(),
                ButtonType.OK);
        a.setHeaderText("Cannot open media");
        if (getScene() != null) {
            a.initOwner(getScene().getWindow());
        }
        a.show();
    }

    // ---- layout -------------------------------------------------------------------------------

    private Pane timelineGridHolder;

    private Node timelineGrid() {
        GridPane g = new GridPane();
        g.getStyleClass().add("timeline-grid");
        ColumnConstraints gutter = new ColumnConstraints(GUTTER, GUTTER, GUTTER);
        ColumnConstraints main = new ColumnConstraints();
        main.setHgrow(Priority.ALWAYS);
        main.setFillWidth(true);
        g.getColumnConstraints().addAll(gutter, main);
        RowConstraints fixed = new RowConstraints();
        fixed.setVgrow(Priority.NEVER);
        RowConstraints wave = new RowConstraints();
        wave.setVgrow(Priority.ALWAYS);
        wave.setPercentHeight(-1);
        RowConstraints spec = new RowConstraints();
        spec.setVgrow(Priority.ALWAYS);
        g.getRowConstraints().addAll(fixed, wave, spec, fixed, fixed);

        Label corner = new Label("time");
        corner.getStyleClass().add("gutter-label");
        Label waveLabel = new Label("wave");
        waveLabel.getStyleClass().add("gutter-label");
        g.add(corner, 0, 0);
        g.add(ruler, 1, 0);
        g.add(waveLabel, 0, 1);
        g.add(waveform, 1, 1);
        g.add(frequencyGutter, 0, 2);
        g.add(spectrogram, 1, 2);
        g.add(editing.lanes().namesGutter(), 0, 3);
        g.add(editing.lanes(), 1, 3);
        g.add(scroll, 1, 4);
        waveform.setPrefHeight(110);
        spectrogram.setPrefHeight(170);
        for (Region r : List.of(corner, waveLabel, frequencyGutter)) {
            r.setMaxSize(Double.MAX_VALUE, Double.MAX_VALUE);
        }
        for (Region r : List.of(ruler, waveform, spectrogram, scroll)) {
            r.setMaxWidth(Double.MAX_VALUE);
            GridPane.setHgrow(r, Priority.ALWAYS);
        }
        waveform.setMaxHeight(Double.MAX_VALUE);
        spectrogram.setMaxHeight(Double.MAX_VALUE);
        timelineGridHolder = g;
        g.setMinHeight(200);
        return g;
    }

    private void wireScrollBar() {
        scroll.setMin(0);
        scroll.setMax(1);
        Runnable fromModel = () -> {
            double d = Math.max(1, timeline.durationProperty().get());
            double span = timeline.span();
            scroll.setMax(Math.max(0, d - span));
            scroll.setVisibleAmount(span);
            scroll.setBlockIncrement(span * 0.9);
            scroll.setUnitIncrement(span * 0.1);
            scroll.setValue(timeline.viewStart());
        };
        timeline.viewStartProperty().addListener(o -> fromModel.run());
        timeline.viewEndProperty().addListener(o -> fromModel.run());
        scroll.valueProperty().addListener((o, a, v) -> {
            if (Math.abs(v.doubleValue() - timeline.viewStart()) > 0.5) {
                timeline.setView(v.doubleValue(), v.doubleValue() + timeline.span());
            }
        });
    }

    /** The menu bar; every accelerator is bound to an action of {@link EditingUi#shortcuts()}. */
    final MenuBar menuBar;

    private MenuBar menuBar() {
        Shortcuts k = editing.shortcuts();
        MenuItem open = new MenuItem("Open…", new FontIcon("mdi2f-folder-open-outline"));
        open.setId("menu-open");
        k.bindAccelerator(open, "file.open");
        open.setOnAction(e -> chooseFile());
        MenuItem openClip = new MenuItem("Open AVSBench clip folder…", new FontIcon("mdi2f-folder-image"));
        k.bindAccelerator(openClip, "file.openClip");
        openClip.setOnAction(e -> chooseFolder());
        MenuItem sample = new MenuItem("Open sample clip");
        sample.setOnAction(e -> StudioApp.sampleClip().ifPresent(this::open));
        MenuItem quit = new MenuItem("Quit");
        k.bindAccelerator(quit, "file.quit");
        quit.setOnAction(e -> requestClose());
        Menu file = new Menu("File", null, open, openClip, sample, new SeparatorMenuItem());
        file.getItems().addAll(editing.fileMenuItems());
        file.getItems().addAll(new SeparatorMenuItem(), quit);

        MenuItem specSettings = new MenuItem("Spectrogram settings…", new FontIcon("mdi2t-tune-vertical"));
        specSettings.setOnAction(e -> SpectrogramSettingsDialog.show(this, spectrogram));
        CheckMenuItem perChannel = new CheckMenuItem("Waveform per channel");
        perChannel.setOnAction(e -> waveform.setPerChannel(perChannel.isSelected()));
        MenuItem fit = new MenuItem("Zoom to fit");
        fit.setOnAction(e -> timeline.setView(0, timeline.durationProperty().get()));
        Menu view = new Menu("View", null, specSettings, perChannel, new SeparatorMenuItem(), fit);

        MenuItem analyseItem = new MenuItem("Analyse", new FontIcon("mdi2b-brain"));
        analyseItem.setId("menu-analyse");
        k.bindAccelerator(analyseItem, "analyse");
        analyseItem.setOnAction(e -> analyse());
        analyseItem.disableProperty().bind(analysis.runningProperty());
        MenuItem cancelItem = new MenuItem("Cancel analysis");
        cancelItem.setOnAction(e -> analysis.cancel());
        cancelItem.disableProperty().bind(analysis.runningProperty().not());
        MenuItem loadModel = new MenuItem("Load model…", new FontIcon("mdi2f-folder-cog-outline"));
        loadModel.setOnAction(e -> chooseModel());
        MenuItem reload = new MenuItem("Reload model");
        reload.setOnAction(e -> loadModel(analysis.bundleDirProperty().get()));
        MenuItem bundles = new MenuItem("Bundles…", new FontIcon("mdi2p-package-variant"));
        bundles.setId("menu-bundles");
        bundles.setOnAction(e -> bundlesDialog().show());
        MenuItem settings = new MenuItem("Inference settings…", new FontIcon("mdi2c-cog-outline"));
        settings.setOnAction(e -> showModelSettings());
        Menu model = new Menu("Model", null, analyseItem, cancelItem, new SeparatorMenuItem(), bundles, loadModel,
                reload, settings);

        MenuItem keys = new MenuItem("Keyboard shortcuts…");
        keys.setId("menu-shortcuts");
        // The registry's F1 handler runs first (scene filter); the accelerator only shows the keys.
        k.bindAccelerator(keys, "help");
        keys.setOnAction(e -> editing.showCheatSheet());
        MenuItem playKeys = new MenuItem("Timeline mouse help");
        playKeys.setOnAction(e -> {
            Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.OK);
            a.setTitle("Timeline keys and mouse");
            // two columns: what to press, what it does (tab-separated text ran together)
            javafx.scene.layout.GridPane grid = new javafx.scene.layout.GridPane();
            grid.setHgap(16);
            grid.setVgap(3);
            javafx.beans.binding.StringBinding lines = k.hint("""
                    {play}\tplay / pause
                    {frame.previous}, {frame.next}\tprevious / next frame
                    {second.previous}, {second.next}\t−1 s / +1 s
                    {keyframe.previous}, {keyframe.next}\tprevious / next keyframe
                    {home}, {end}\tfirst / last frame
                    Shift+drag on a pane\tselect a range
                    {loop}\tloop the selection
                    {zoom.in}, {zoom.out}, wheel\tzoom (Ctrl: faster); Shift+wheel scrolls
                    """);
            Runnable fill = () -> {
                grid.getChildren().clear();
                int row = 0;
                for (String line : lines.get().split("\n")) {
                    String[] cols = line.split("\t", 2);
                    Label key = new Label(cols[0]);
                    key.setStyle("-fx-font-weight: bold;");
                    grid.addRow(row++, key, new Label(cols.length > 1 ? cols[1] : ""));
                }
            };
            fill.run();
            lines.addListener(o -> fill.run());
            a.getDialogPane().setContent(grid);
            a.headerTextProperty().bind(k.hint("Timeline keys and mouse (all keys: {help})"));
            a.initOwner(getScene().getWindow());
            a.show();
        });
        MenuItem undo = new MenuItem("Undo");
        undo.textProperty().bind(Bindings.createStringBinding(() -> project.undoTextProperty().get().isEmpty()
                ? "Undo" : "Undo " + project.undoTextProperty().get(), project.undoTextProperty()));
        undo.disableProperty().bind(project.canUndoProperty().not());
        k.bindAccelerator(undo, "undo");
        undo.setOnAction(e -> project.undo());
        MenuItem redo = new MenuItem("Redo");
        redo.disableProperty().bind(project.canRedoProperty().not());
        k.bindAccelerator(redo, "redo");
        redo.setOnAction(e -> project.redo());
        // one place for every setting: keys (rebindable in the sheet), inference, spectrogram
        MenuItem prefKeys = new MenuItem("Keyboard shortcuts…");
        prefKeys.setOnAction(e -> editing.showCheatSheet());
        MenuItem prefModel = new MenuItem("Inference settings…");
        prefModel.setOnAction(e -> showModelSettings());
        MenuItem prefSpectrogram = new MenuItem("Spectrogram settings…");
        prefSpectrogram.setOnAction(e -> specSettings.fire());
        Menu preferences = new Menu("Preferences", new FontIcon("mdi2c-cog-outline"), prefKeys, prefModel,
                prefSpectrogram);
        preferences.setId("menu-preferences");
        Menu edit = new Menu("Edit", null, undo, redo, new SeparatorMenuItem(), preferences);
        Menu help = new Menu("Help", null, keys, playKeys);
        MenuBar bar = new MenuBar(file, edit, view, model, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private ToolBar toolBar() {
        Shortcuts k = editing.shortcuts();
        Button open = iconButton("mdi2f-folder-open-outline", k.tooltip("Open media… ({file.open})"));
        open.setId("toolbar-open");
        open.setOnAction(e -> chooseFile());
        Button home = iconButton("mdi2s-skip-previous", k.tooltip("First frame ({home})"));
        home.setOnAction(e -> player.home());
        Button prevKey = iconButton("mdi2s-skip-backward", k.tooltip("Previous keyframe ({keyframe.previous})"));
        prevKey.setOnAction(e -> player.previousKeyframe());
        Button back = iconButton("mdi2s-step-backward", k.tooltip("Previous frame ({frame.previous})"));
        back.setOnAction(e -> player.stepFrames(-1));
        playButton.setTooltip(k.tooltip("Play / pause ({play})"));
        playButton.setOnAction(e -> player.togglePlay());
        playButton.getStyleClass().add("play-button");
        Button fwd = iconButton("mdi2s-step-forward", k.tooltip("Next frame ({frame.next})"));
        fwd.setOnAction(e -> player.stepFrames(1));
        Button nextKey = iconButton("mdi2s-skip-forward", k.tooltip("Next keyframe ({keyframe.next})"));
        nextKey.setOnAction(e -> player.nextKeyframe());
        Button end = iconButton("mdi2s-skip-next", k.tooltip("Last frame ({end})"));
        end.setOnAction(e -> player.end());

        ComboBox<Double> speed = new ComboBox<>();
        speed.getItems().addAll(0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0);
        speed.setValue(1.0);
        speed.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                return v == null ? "" : (v == Math.rint(v) ? String.valueOf(v.intValue()) : String.valueOf(v)) + "×";
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace("×", ""));
            }
        });
        speed.setTooltip(new Tooltip("Playback speed"));
        speed.valueProperty().addListener((o, a, v) -> player.rateProperty().set(v));
        speed.setFocusTraversable(false);

        ToggleButton loop = new ToggleButton(null, new FontIcon("mdi2r-repeat"));
        loop.setTooltip(k.tooltip("Loop the selection ({loop}); Shift+drag on the waveform selects"));
        loop.selectedProperty().bindBidirectional(timeline.loopProperty());
        loop.setFocusTraversable(false);

        Button zoomIn = iconButton("mdi2m-magnify-plus-outline", k.tooltip("Zoom in ({zoom.in}, wheel)"));
        zoomIn.setOnAction(e -> timeline.zoom(0.5, timeline.playheadProperty().get()));
        Button zoomOut = iconButton("mdi2m-magnify-minus-outline", k.tooltip("Zoom out ({zoom.out}, wheel)"));
        zoomOut.setOnAction(e -> timeline.zoom(2, timeline.playheadProperty().get()));
        Button fit = iconButton("mdi2a-arrow-expand-horizontal", "Zoom to fit");
        fit.setOnAction(e -> timeline.setView(0, timeline.durationProperty().get()));
        Button specSettings = iconButton("mdi2t-tune-vertical", "Spectrogram settings…");
        specSettings.setOnAction(e -> SpectrogramSettingsDialog.show(this, spectrogram));

        Label time = new Label();
        time.getStyleClass().add("time-display");
        time.textProperty().bind(Bindings.createStringBinding(
                () -> Format.time(timeline.playheadProperty().get(), true), timeline.playheadProperty()));
        Label clock = new Label();
        clock.getStyleClass().add("clock-source");
        clock.textProperty().bind(player.clockSourceProperty());
        javafx.scene.control.Tooltip clockTip = new javafx.scene.control.Tooltip();
        clockTip.textProperty().bind(Bindings.createStringBinding(() -> "audio clock".equals(clock.getText())
                ? "Playback follows the sound card, so picture and sound stay together"
                : "Playback is timed by the computer's clock: no sound is playing (no audio, or no audio output)",
                clock.textProperty()));
        clock.setTooltip(clockTip);
        Region grow = new Region();
        javafx.scene.layout.HBox.setHgrow(grow, Priority.ALWAYS);

        ToolBar bar = new ToolBar(open, new javafx.scene.control.Separator(),
                home, prevKey, back, playButton, fwd, nextKey, end, new javafx.scene.control.Separator(),
                speed, loop, new javafx.scene.control.Separator(), zoomIn, zoomOut, fit, specSettings,
                grow, clock, time);
        bar.getStyleClass().add("main-toolbar");
        return bar;
    }

    private static Button iconButton(String icon, String tip) {
        return iconButton(icon, new Tooltip(tip));
    }

    private static Button iconButton(String icon, Tooltip tip) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(tip);
        b.setFocusTraversable(false);
        b.getStyleClass().add("icon-button");
        b.setAlignment(Pos.CENTER);
        return b;
    }

    private void chooseFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open media");
        fc.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter("Media", "*.mp4", "*.mkv", "*.webm", "*.avi", "*.mov",
                        "*.wav", "*.mp3", "*.flac", "*.ogg", "*.m4a"),
                new FileChooser.ExtensionFilter("All files", "*.*"));
        File f = fc.showOpenDialog(getScene().getWindow());
        if (f != null) {
            open(f.toPath());
        }
    }

    private void chooseFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open AVSBench clip folder (frames/, audio.wav)");
        File f = dc.showDialog(getScene().getWindow());
        if (f != null) {
            open(f.toPath());
        }
    }

    private void dragOver(DragEvent e) {
        if (e.getDragboard().hasFiles()) {
            e.acceptTransferModes(TransferMode.COPY, TransferMode.LINK);
        }
        e.consume();
    }

    private void dragDropped(DragEvent e) {
        List<File> files = e.getDragboard().getFiles();
        boolean ok = files != null && !files.isEmpty();
        if (ok) {
            open(files.get(0).toPath());
        }
        e.setDropCompleted(ok);
        e.consume();
    }

    /**
     * True when media is open, laid out, the frame at the playhead is on screen and the waveform
     * and spectrogram of the visible range are complete (the screenshot waits for this).
     */
    boolean isFullyDrawn() {
        MediaSession s = player.sessionProperty().get();
        if (s == null || player.openingProperty().get() || getWidth() < 1 || spectrogram.getWidth() < 1) {
            return false;
        }
        boolean frameShown = s.frames().count() == 0
                || video.shownFrameProperty().get() == player.frameIndexProperty().get();
        return frameShown && waveform.isComplete() && spectrogram.isViewComplete();
    }

    /**
     * Stops the pulse and releases media; called when the window closes. With its own project
     * (tests) the project is closed too: the future completes when its last save has run.
     */
    CompletableFuture<Void> dispose() {
        timer.stop();
        editing.dispose();
        player.close();
        analysis.cancel();
        if (!ownsModel) {
            return CompletableFuture.completedFuture(null);
        }
        // Closing waits for the model thread: never on the FX thread.
        NamedThreads.start("ovavss-model-close", job::close);
        return project.close();
    }
}
