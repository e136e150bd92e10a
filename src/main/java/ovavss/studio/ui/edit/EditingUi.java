package ovavss.studio.ui.edit;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.LongConsumer;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.KeyframeTimes;
import ovavss.studio.audio.OnsetDetector;
import ovavss.studio.app.AudioSuggestions;
import ovavss.studio.app.playback.MediaSession;
import ovavss.studio.task.Cancellation;
import ovavss.studio.ui.timeline.TimelineModel;
import ovavss.studio.ui.export.ExportDialog;
import ovavss.studio.ui.keys.CheatSheet;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.lanes.SoundLanesPane;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.FolderDialogs;
import ovavss.studio.ui.project.ProjectViewModel;
import ovavss.studio.ui.project.RecentProjectsMenu;
import ovavss.studio.ui.review.KeyframeList;
import ovavss.studio.ui.review.ReviewPanel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything for correcting annotations, built once for the main window: the mask editor on the
 * overlay with its toolbar, the sound lanes under the spectrogram, the keyframe list and the
 * review panel (as tabs), audio onset suggestions and the shortcut registry with its cheat sheet.
 * The main window only places {@link #toolBar()}, {@link #lanes()} and {@link #sidePanel()}.
 */
public final class EditingUi {
    private static final Logger LOG = LoggerFactory.getLogger(EditingUi.class);

    private final ProjectViewModel vm;
    private final TimelineModel timeline;
    private final LongConsumer seek;
    private final Shortcuts shortcuts = new Shortcuts();
    private final Preferences prefs;
    private final MaskEditor editor;
    private final EditToolBar toolBar;
    private final SoundLanesPane lanes;
    private final KeyframeList keyframes;
    private final ReviewPanel review;
    private final TabPane side;
    private final RecentProjectsMenu recent;
    private final ExecutorService onsets;
    private final Executor jobs;
    /** The onset search of the open media, cancelled when other media opens. */
    private final java.util.concurrent.atomic.AtomicReference<Cancellation> onsetRun =
            new java.util.concurrent.atomic.AtomicReference<>();
    private ExportDialog exportDialog;
    /** Chooses a folder given the dialog's title; null: the platform dialogs ({@link #setFolderChooser}). */
    private java.util.function.Function<String, java.util.Optional<java.nio.file.Path>> folderChooser;

    /**
     * @param seek sends the player to a media time in microseconds
     * @param prefs where rebound shortcuts are kept ({@link Shortcuts#node()} in the app)
     * @param onsets finds audio onset suggestions (owned by the composition root)
     * @param jobs runs exports (owned by the composition root)
     */
    public EditingUi(ProjectViewModel vm, MaskOverlay overlay, TimelineModel timeline, LongConsumer seek,
                     Preferences prefs, ExecutorService onsets, Executor jobs) {
        this.vm = vm;
        this.onsets = onsets;
        this.jobs = jobs;
        this.timeline = timeline;
        this.seek = seek;
        this.prefs = prefs;
        shortcuts.load(prefs);
        editor = new MaskEditor(vm, overlay);
        toolBar = new EditToolBar(vm, editor, shortcuts);
        lanes = new SoundLanesPane(vm, timeline);
        lanes.setSeeker(seek);
        keyframes = new KeyframeList(vm, shortcuts);
        keyframes.setOnGoTo(this::goToKeyframe);
        review = new ReviewPanel(vm, overlay, shortcuts);
        recent = new RecentProjectsMenu(vm);
        review.setOnGoTo((clipId, k) -> {
            if (clipId.equals(vm.getClipId())) {
                goToKeyframe(k);
            } else {
                vm.showMessage("The worst frame is in clip " + clipId + ", keyframe " + k + ": open its media to see it");
            }
        });
        Tab kf = new Tab("Keyframes", keyframes);
        Tab rv = new Tab("Review", review);
        kf.setClosable(false);
        rv.setClosable(false);
        side = new TabPane(kf, rv);
        side.setId("editing-side");
        side.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (t == rv) {
                review.refreshIfStale();
            }
        });
        editor.registerActions(shortcuts);
        shortcuts.on("object.label", toolBar::editLabel);
        shortcuts.on("keyframe.reviewed", keyframes::toggleReviewed);
        shortcuts.on("review.diff", () -> {
            review.showDiffProperty().set(!review.showDiffProperty().get());
            side.getSelectionModel().select(rv);
        });
        shortcuts.on("object.propagate", this::propagate);
        shortcuts.on("suggestion.next", () -> suggestion(1));
        shortcuts.on("suggestion.previous", () -> suggestion(-1));
        shortcuts.on("help", () -> CheatSheet.show(toolBar, shortcuts, prefs));
    }

    public Shortcuts shortcuts() {
        return shortcuts;
    }

    public MaskEditor editor() {
        return editor;
    }

    public EditToolBar toolBar() {
        return toolBar;
    }

    public SoundLanesPane lanes() {
        return lanes;
    }

    public KeyframeList keyframes() {
        return keyframes;
    }

    public ReviewPanel review() {
        return review;
    }

    /** File › Open recent; keeps no list until {@link RecentProjectsMenu#use} is called. */
    public RecentProjectsMenu recentProjects() {
        return recent;
    }

    /** Keyframe list and review as tabs. */
    public Node sidePanel() {
        return side;
    }

    private ZoomPane zoom;

    /** Wraps the video view for wheel zoom and pan (tools stay pixel-exact); Ctrl+0 fits again. */
    public ZoomPane zoomable(javafx.scene.layout.Region video) {
        zoom = new ZoomPane(video);
        shortcuts.on("view.fit", zoom::reset);
        return zoom;
    }

    /** Installs every shortcut on the scene. */
    public void installKeys(Scene scene) {
        shortcuts.install(scene);
    }

    /** Shows the F1 sheet. */
    public void showCheatSheet() {
        CheatSheet.show(toolBar, shortcuts, prefs);
    }

    private void goToKeyframe(int k) {
        vm.currentClip().ifPresent(c -> {
            if (k >= 0 && k < c.keyframeCount()) {
                seek.accept(Math.round(c.mediaKeyframes().time(k) * 1e6));
            }
        });
    }

    /** Propagates over the keyframes inside the timeline selection, else onto the next keyframe. */
    private void propagate() {
        Clip c = vm.currentClip().orElse(null);
        if (c == null) {
            return;
        }
        int k = vm.getKeyframe();
        int k0 = k + 1;
        int k1 = k + 1;
        if (timeline.hasSelection()) {
            // the keyframes at or after the selection start and before its end
            KeyframeTimes kt = c.mediaKeyframes();
            k0 = kt.atOrAfter(timeline.selectionStartProperty().get() / 1e6);
            k1 = kt.atOrAfter(timeline.selectionEndProperty().get() / 1e6) - 1;
        }
        if (k1 < k0 || k0 >= c.keyframeCount()) {
            vm.showMessage("No keyframe to propagate to");
            return;
        }
        editor.propagate(k0, Math.min(k1, c.keyframeCount() - 1));
    }

    private void suggestion(int dir) {
        double t = timeline.playheadProperty().get() / 1e6;
        List<OnsetDetector.Suggestion> s = lanes.suggestions();
        OnsetDetector.Suggestion x = dir > 0 ? OnsetDetector.next(s, t) : OnsetDetector.previous(s, t);
        if (x == null) {
            vm.showMessage(s.isEmpty() ? "No audio suggestions (no audio, or still analysing)"
                    : "No audio suggestion " + (dir > 0 ? "after" : "before") + " the playhead");
        } else {
            seek.accept(Math.round(x.seconds() * 1e6));
            vm.showMessage(String.format(java.util.Locale.ROOT, "Audio %s at %.2f s",
                    x.kind() == OnsetDetector.Kind.ONSET ? "onset" : "offset", x.seconds()));
        }
    }

    /**
     * Finds onset/offset suggestions for the audio of {@code media} in the background, once its
     * decoder has finished; null clears them. A newer call cancels the one before.
     */
    public void setAudio(MediaSession media) {
        Cancellation previous = onsetRun.getAndSet(null);
        if (previous != null) {
            previous.cancel();
        }
        lanes.setSuggestions(List.of());
        if (media == null || media.audio() == null) {
            return;
        }
        Cancellation run = new Cancellation();
        onsetRun.set(run);
        onsets.execute(() -> {
            try {
                media.awaitAudio();
                List<OnsetDetector.Suggestion> found = AudioSuggestions.find(media.audio(), run);
                Platform.runLater(() -> {
                    if (!run.isCancelled()) {
                        lanes.setSuggestions(found);
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.CancellationException e) {
                // superseded by newer media
            }
        });
    }

    /** Stops the onset work of this window (the executors belong to the composition root). */
    public void dispose() {
        Cancellation run = onsetRun.getAndSet(null);
        if (run != null) {
            run.cancel();
        }
    }

    // ------------------------------------------------------------------ project files

    /** File › Export AVSBench…: the export dialog, made on first use and kept (it remembers its settings). */
    public ExportDialog exportDialog() {
        if (exportDialog == null) {
            exportDialog = new ExportDialog(toolBar.getScene() == null ? null : toolBar.getScene().getWindow(), vm, jobs);
            if (folderChooser != null) {
                exportDialog.setFolderChooser(folderChooser);
            }
        }
        return exportDialog;
    }

    /** File menu entries: open (also a recent one) / save the project folder, export to AVSBench. */
    public List<javafx.scene.control.MenuItem> fileMenuItems() {
        javafx.scene.control.MenuItem open = new javafx.scene.control.MenuItem("Open project…");
        open.setOnAction(e -> (folderChooser != null ? folderChooser.apply("Open project folder")
                : FolderDialogs.existingFolder(window(), "Open project folder")).ifPresent(vm::open));
        javafx.scene.control.MenuItem save = new javafx.scene.control.MenuItem("Save project as…");
        shortcuts.bindAccelerator(save, "project.saveAs");
        save.setOnAction(e -> chooseSaveFolder().ifPresent(vm::saveAs));
        javafx.scene.control.MenuItem export = new javafx.scene.control.MenuItem("Export AVSBench…");
        export.setId("menu-export");
        export.setOnAction(e -> exportDialog().show());
        return List.of(open, recent.menu(), save, export);
    }

    /**
     * Save project as: a save dialog where the project folder's name is typed (it is created), also
     * used when closing asks to save first; empty when cancelled.
     */
    public java.util.Optional<java.nio.file.Path> chooseSaveFolder() {
        if (folderChooser != null) {
            return folderChooser.apply("Save project as");
        }
        java.nio.file.Path current = vm.getProjectPath();
        String name = vm.getProject().name().isBlank() ? "Untitled" : vm.getProject().name();
        return FolderDialogs.newFolder(window(), "Save project as (a folder of this name is made)",
                current == null ? null : current.getParent(), name);
    }

    private javafx.stage.Window window() {
        return toolBar.getScene() == null ? null : toolBar.getScene().getWindow();
    }

    /**
     * Replaces the directory chooser of the File menu entries, given the chooser's title (UI
     * tests: the platform's chooser cannot be driven headless).
     */
    public void setFolderChooser(java.util.function.Function<String, java.util.Optional<java.nio.file.Path>> chooser) {
        folderChooser = java.util.Objects.requireNonNull(chooser);
        if (exportDialog != null) {
            exportDialog.setFolderChooser(chooser);
        }
    }

}
