package ovavss.studio.ui;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
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
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
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
import javafx.stage.Window;
import javafx.util.StringConverter;
import ovavss.studio.app.playback.MediaSession;
import ovavss.studio.media.MediaInfo;
import org.kordamp.ikonli.javafx.FontIcon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window's content: menu and toolbar, the video, the ruler/waveform/spectrogram panes on
 * one time axis, and the status bar. Owns the AnimationTimer that samples the master clock.
 */
final class MainView extends BorderPane {
    private static final Logger LOG = LoggerFactory.getLogger(MainView.class);
    private static final double GUTTER = 64;

    final TimelineModel timeline = new TimelineModel();
    final PlayerViewModel player;
    final VideoView video = new VideoView();
    final RulerPane ruler = new RulerPane(timeline);
    final WaveformPane waveform;
    final SpectrogramPane spectrogram;
    final StatusBar status = new StatusBar();
    private final FrequencyGutter frequencyGutter;
    private final ScrollBar scroll = new ScrollBar();
    private final Button playButton = iconButton("mdi2p-play", "Play / pause (Space)");
    private final AnimationTimer timer;
    private Consumer<Throwable> errorHandler = this::showError;

    MainView(MediaSession.Opener opener, ExecutorService worker) {
        getStyleClass().add("main-view");
        player = new PlayerViewModel(timeline, opener, javafx.application.Platform::runLater);
        waveform = new WaveformPane(timeline, worker);
        spectrogram = new SpectrogramPane(timeline, worker);
        frequencyGutter = new FrequencyGutter(spectrogram);
        for (TimelinePane p : List.of(ruler, waveform, spectrogram)) {
            p.setSeeker(player::seek);
        }

        setTop(new VBox(menuBar(), toolBar()));
        SplitPane split = new SplitPane(video, timelineGrid());
        split.setOrientation(Orientation.VERTICAL);
        split.setDividerPositions(0.52);
        SplitPane.setResizableWithParent(timelineGridHolder, Boolean.TRUE);
        setCenter(split);
        setBottom(status);

        player.infoProperty().addListener((o, a, info) -> mediaChanged(info));
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

    /** Where open failures go (an alert by default; the screenshot mode prints and exits). */
    void setErrorHandler(Consumer<Throwable> handler) {
        errorHandler = handler;
    }

    /** Installs the keyboard shortcuts on the scene (as a filter, so focused buttons don't eat Space). */
    void installKeys(Scene scene) {
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::key);
    }

    private void key(KeyEvent e) {
        if (e.getTarget() instanceof javafx.scene.control.TextInputControl) {
            return;
        }
        boolean shift = e.isShiftDown();
        KeyCode c = e.getCode();
        switch (c) {
            case SPACE -> player.togglePlay();
            case RIGHT -> {
                if (shift) {
                    player.stepSeconds(1);
                } else {
                    player.stepFrames(1);
                }
            }
            case LEFT -> {
                if (shift) {
                    player.stepSeconds(-1);
                } else {
                    player.stepFrames(-1);
                }
            }
            case PAGE_DOWN, PERIOD -> player.nextKeyframe();
            case PAGE_UP, COMMA -> player.previousKeyframe();
            case HOME -> player.home();
            case END -> player.end();
            case L -> player.toggleLoop();
            case PLUS, EQUALS, ADD -> timeline.zoom(0.5, timeline.playheadProperty().get());
            case MINUS, SUBTRACT -> timeline.zoom(2, timeline.playheadProperty().get());
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void pulse() {
        player.pulse();
        MediaSession s = player.sessionProperty().get();
        if (s != null) {
            video.show(s.latestFrame());
            status.showPosition(player.time(), video.shownFrameProperty().get() >= 0
                    ? video.shownFrameProperty().get() : player.frameIndexProperty().get(), s.frames().count());
        }
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
        }
        waveform.setSource(s.audio());
        spectrogram.setSource(s.audio());
        frequencyGutter.refresh();
        Window w = getScene() == null ? null : getScene().getWindow();
        if (w instanceof javafx.stage.Stage st) {
            st.setTitle(Path.of(info.path()).getFileName() + " — OV-AVSS Studio");
        }
    }

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
        g.getRowConstraints().addAll(fixed, wave, spec, fixed);

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
        g.add(scroll, 1, 3);
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

    private MenuBar menuBar() {
        MenuItem open = new MenuItem("Open…", new FontIcon("mdi2f-folder-open-outline"));
        open.setAccelerator(KeyCombination.keyCombination("Shortcut+O"));
        open.setOnAction(e -> chooseFile());
        MenuItem openClip = new MenuItem("Open AVSBench clip folder…", new FontIcon("mdi2f-folder-image"));
        openClip.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+O"));
        openClip.setOnAction(e -> chooseFolder());
        MenuItem sample = new MenuItem("Open sample clip");
        sample.setOnAction(e -> StudioApp.sampleClip().ifPresent(this::open));
        MenuItem quit = new MenuItem("Quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> javafx.application.Platform.exit());
        Menu file = new Menu("File", null, open, openClip, sample, new SeparatorMenuItem(), quit);

        MenuItem specSettings = new MenuItem("Spectrogram settings…", new FontIcon("mdi2t-tune-vertical"));
        specSettings.setOnAction(e -> SpectrogramSettingsDialog.show(this, spectrogram));
        CheckMenuItem perChannel = new CheckMenuItem("Waveform per channel");
        perChannel.setOnAction(e -> waveform.setPerChannel(perChannel.isSelected()));
        MenuItem fit = new MenuItem("Zoom to fit");
        fit.setOnAction(e -> timeline.setView(0, timeline.durationProperty().get()));
        Menu view = new Menu("View", null, specSettings, perChannel, new SeparatorMenuItem(), fit);

        MenuItem keys = new MenuItem("Keyboard shortcuts");
        keys.setOnAction(e -> {
            Alert a = new Alert(Alert.AlertType.INFORMATION, """
                    Space\tplay / pause
                    ← / →\tprevious / next frame
                    Shift+← / →\t−1 s / +1 s
                    , / .  or  PgUp / PgDn\tprevious / next keyframe
                    Home / End\tfirst / last frame
                    Shift+drag on a pane\tselect a range
                    L\tloop the selection
                    wheel\tzoom (Ctrl: faster); Shift+wheel scrolls
                    """, ButtonType.OK);
            a.setHeaderText("Keyboard shortcuts");
            a.initOwner(getScene().getWindow());
            a.show();
        });
        Menu help = new Menu("Help", null, keys);
        MenuBar bar = new MenuBar(file, view, help);
        bar.setUseSystemMenuBar(true);
        return bar;
    }

    private ToolBar toolBar() {
        Button open = iconButton("mdi2f-folder-open-outline", "Open media…");
        open.setOnAction(e -> chooseFile());
        Button home = iconButton("mdi2s-skip-previous", "First frame (Home)");
        home.setOnAction(e -> player.home());
        Button prevKey = iconButton("mdi2s-skip-backward", "Previous keyframe (,)");
        prevKey.setOnAction(e -> player.previousKeyframe());
        Button back = iconButton("mdi2s-step-backward", "Previous frame (←)");
        back.setOnAction(e -> player.stepFrames(-1));
        playButton.setOnAction(e -> player.togglePlay());
        playButton.getStyleClass().add("play-button");
        Button fwd = iconButton("mdi2s-step-forward", "Next frame (→)");
        fwd.setOnAction(e -> player.stepFrames(1));
        Button nextKey = iconButton("mdi2s-skip-forward", "Next keyframe (.)");
        nextKey.setOnAction(e -> player.nextKeyframe());
        Button end = iconButton("mdi2s-skip-next", "Last frame (End)");
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
        loop.setTooltip(new Tooltip("Loop the selection (L); Shift+drag on the waveform selects"));
        loop.selectedProperty().bindBidirectional(timeline.loopProperty());
        loop.setFocusTraversable(false);

        Button zoomIn = iconButton("mdi2m-magnify-plus-outline", "Zoom in (+, wheel)");
        zoomIn.setOnAction(e -> timeline.zoom(0.5, timeline.playheadProperty().get()));
        Button zoomOut = iconButton("mdi2m-magnify-minus-outline", "Zoom out (−, wheel)");
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
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(new Tooltip(tip));
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

    /** Stops the pulse and releases media; called when the window closes. */
    void dispose() {
        timer.stop();
        player.close();
    }
}
