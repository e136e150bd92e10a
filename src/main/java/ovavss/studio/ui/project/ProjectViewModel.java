package ovavss.studio.ui.project;

import ovavss.studio.task.NamedThreads;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.AutosaveService;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.EditHistory;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.app.SessionRecovery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation project as the UI sees it: the current immutable {@link Project}, the clip,
 * object and keyframe being edited, undo/redo, and the project folder with autosave. Once
 * {@link #startRecovery} has run, a project without a folder is kept in a crash-recovery copy.
 *
 * <p>All methods are called on the FX thread (or, in tests, on the thread behind the {@code fx}
 * executor). Loading and saving run on a background executor and hand their result back through
 * {@code fx}, so nothing here waits on I/O. Every change of the project, including
 * {@link #replaceProject} (used to bring in model predictions), is one undoable step.
 */
public final class ProjectViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectViewModel.class);
    /** Undo depth: projects share unchanged masks, so a long history is cheap (see {@code bench ui}). */
    public static final int HISTORY_LIMIT = 10_000;

    private final Executor fx;
    private final Executor io;
    private final ProjectStore store;
    private final EditHistory history;

    private final ReadOnlyObjectWrapper<Project> project = new ReadOnlyObjectWrapper<>(this, "project");
    private final StringProperty clipId = new SimpleStringProperty(this, "clipId");
    private final StringProperty selectedObjectId = new SimpleStringProperty(this, "selectedObjectId");
    private final IntegerProperty keyframe = new SimpleIntegerProperty(this, "keyframe", 0);
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "");
    private final ReadOnlyStringWrapper redoText = new ReadOnlyStringWrapper(this, "redoText", "");
    private final ReadOnlyObjectWrapper<Path> projectPath = new ReadOnlyObjectWrapper<>(this, "projectPath");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final BooleanProperty keepObjectsDisjoint = new SimpleBooleanProperty(this, "keepObjectsDisjoint", true);
    private final ObjectProperty<Consumer<String>> errorHandler = new SimpleObjectProperty<>(this, "errorHandler");

    private AutosaveService autosave;
    /** Null until {@link #startRecovery} (tests and screenshot runs go without). */
    private SessionRecovery recovery;
    /** True while a close request is being answered or its save runs. */
    private boolean closing;
    /** Set when the autosave above is retired, so its last flush writes the old project, not a newly opened one. */
    private java.util.concurrent.atomic.AtomicReference<Project> autosaveFrozen;

    /**
     * @param fx where results and property changes are delivered ({@code Platform::runLater} in the app)
     * @param io where project files are read and written
     */
    public ProjectViewModel(Project initial, Executor fx, Executor io, ProjectStore store) {
        this.fx = Objects.requireNonNull(fx);
        this.io = Objects.requireNonNull(io);
        this.store = Objects.requireNonNull(store);
        this.history = new EditHistory(initial, HISTORY_LIMIT);
        // The history fires on the editing thread, which is the FX thread for every caller here.
        history.addListener(this::changed);
        clipId.addListener((o, a, id) -> {
            if (selectedObjectId.get() != null && currentClip().flatMap(c -> c.object(selectedObjectId.get())).isEmpty()) {
                selectedObjectId.set(null);
            }
        });
        changed(initial);
    }

    /** The app's view model: FX delivery, one named daemon I/O thread, fsync'ed saves. */
    public static ProjectViewModel create(Project initial) {
        ExecutorService io = Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-project-io"));
        return new ProjectViewModel(initial, Platform::runLater, io, new ProjectStore());
    }

    /** Where file work runs (one task at a time); for the project's own helpers, e.g. the recent-projects menu. */
    Executor io() {
        return io;
    }

    /** Where results are delivered. */
    Executor fx() {
        return fx;
    }

    // ------------------------------------------------------------------ state

    public ReadOnlyObjectProperty<Project> projectProperty() {
        return project.getReadOnlyProperty();
    }

    public Project getProject() {
        return project.get();
    }

    /** Id of the clip being edited; follows the first clip when unset or removed. */
    public StringProperty clipIdProperty() {
        return clipId;
    }

    public String getClipId() {
        return clipId.get();
    }

    /** Id of the selected object of the current clip, or null. */
    public StringProperty selectedObjectIdProperty() {
        return selectedObjectId;
    }

    public String getSelectedObjectId() {
        return selectedObjectId.get();
    }

    public void selectObject(String id) {
        selectedObjectId.set(id);
    }

    /** Index of the current keyframe of the current clip. */
    public IntegerProperty keyframeProperty() {
        return keyframe;
    }

    public int getKeyframe() {
        return keyframe.get();
    }

    /** Brush and polygon edits leave other objects' pixels alone when true (AVSBench masks are disjoint). */
    public BooleanProperty keepObjectsDisjointProperty() {
        return keepObjectsDisjoint;
    }

    public ReadOnlyBooleanProperty canUndoProperty() {
        return canUndo.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canRedoProperty() {
        return canRedo.getReadOnlyProperty();
    }

    /** "Undo Paint mask" style menu text, empty when there is nothing to undo. */
    public ReadOnlyStringProperty undoTextProperty() {
        return undoText.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty redoTextProperty() {
        return redoText.getReadOnlyProperty();
    }

    /** Project folder that saves and autosave go to; null until saved or opened. */
    public ReadOnlyObjectProperty<Path> projectPathProperty() {
        return projectPath.getReadOnlyProperty();
    }

    public Path getProjectPath() {
        return projectPath.get();
    }

    /** Last status line (saved, autosaved, failed edit ...), for the status bar. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** Shows a transient status line. */
    public void showMessage(String text) {
        message.set(text);
    }

    /** True while a load or save runs in the background. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Receives user-facing error messages (e.g. shown in a dialog); they also go to {@link #messageProperty()}. */
    public ObjectProperty<Consumer<String>> errorHandlerProperty() {
        return errorHandler;
    }

    public Optional<Clip> currentClip() {
        String id = clipId.get();
        return id == null ? Optional.empty() : getProject().clip(id);
    }

    public Optional<SoundingObject> selectedObject() {
        String id = selectedObjectId.get();
        return id == null ? Optional.empty() : currentClip().flatMap(c -> c.object(id));
    }

    /** The selected object's entry at the current keyframe, if any. */
    public Optional<ObjectFrame> selectedFrame() {
        return selectedObject().map(o -> o.frame(keyframe.get()));
    }

    // ------------------------------------------------------------------ edits

    /**
     * Applies an edit as one undoable step. A command that does not apply (unknown object, label
     * not in the vocabulary ...) changes nothing; its message goes to the error handler.
     *
     * @return true when the project changed
     */
    public boolean apply(EditCommand cmd) {
        Project before = history.current();
        try {
            return history.apply(cmd) != before;
        } catch (AnnotationException e) {
            error(cmd.description() + ": " + e.getMessage());
            return false;
        }
    }

    /** Replaces the whole project in one undoable step (e.g. to bring in model predictions). */
    public boolean replaceProject(Project replacement, String description) {
        Objects.requireNonNull(replacement, "replacement");
        return apply(EditCommand.of(description, p -> replacement));
    }

    public boolean undo() {
        String d = history.undoDescription().orElse("");
        boolean done = history.undo();
        if (done) {
            message.set("Undid " + d);
        }
        return done;
    }

    public boolean redo() {
        String d = history.redoDescription().orElse("");
        boolean done = history.redo();
        if (done) {
            message.set("Redid " + d);
        }
        return done;
    }

    /**
     * Makes the clip of {@code media} current, adding a clip for it (one undoable step) when the
     * project has none; a clip matches when its media path resolves to the same file.
     *
     * @return the clip id
     */
    public String ensureClip(Path media, double durationSeconds, int width, int height) {
        String ref = media.toAbsolutePath().normalize().toString();
        Project p = getProject();
        Optional<Clip> found = p.clips().stream().filter(c -> sameMedia(c, ref)).findFirst();
        String id;
        if (found.isPresent()) {
            id = found.get().id();
        } else {
            String base = media.getFileName() == null ? "clip" : media.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            String candidate = base.isBlank() ? "clip" : base;
            for (int i = 2; p.clip(candidate).isPresent(); i++) {
                candidate = base + "-" + i;
            }
            id = candidate;
            Clip c = Clip.of(id, ref, durationSeconds, Math.max(1, width), Math.max(1, height));
            apply(EditCommand.of("Add clip " + id, q -> q.withClip(c)));
        }
        clipId.set(id);
        return id;
    }

    private static boolean sameMedia(Clip c, String ref) {
        try {
            return Path.of(c.media()).toAbsolutePath().normalize().toString().equals(ref);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Starts over with {@code p} and no history and no project folder (File › New). */
    public void newProject(Project p) {
        stopAutosave();
        projectPath.set(null);
        if (recovery != null) {
            recovery.projectFolderChanged(null);
        }
        history.reset(p);
    }

    private void changed(Project p) {
        project.set(p);
        canUndo.set(history.canUndo());
        canRedo.set(history.canRedo());
        undoText.set(history.undoDescription().orElse(""));
        redoText.set(history.redoDescription().orElse(""));
        if (clipId.get() == null || p.clip(clipId.get()).isEmpty()) {
            clipId.set(p.clips().isEmpty() ? null : p.clips().get(0).id());
        }
        Optional<Clip> c = currentClip();
        if (selectedObjectId.get() != null && c.flatMap(cl -> cl.object(selectedObjectId.get())).isEmpty()) {
            selectedObjectId.set(null);
        }
        if (c.isPresent() && keyframe.get() >= c.get().keyframeCount()) {
            keyframe.set(Math.max(0, c.get().keyframeCount() - 1));
        }
        AutosaveService a = autosave;
        if (a != null) {
            a.markDirty();
        } else if (recovery != null && projectPath.get() == null) {
            recovery.markDirty();
        }
    }

    // ------------------------------------------------------------------ files

    /**
     * Saves the current project into folder {@code dir} on the I/O executor, then makes it the
     * project folder and autosaves there from now on.
     */
    public CompletableFuture<Path> saveAs(Path dir) {
        Project snapshot = history.current();
        busy.set(true);
        CompletableFuture<Path> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                store.save(snapshot, dir);
                fx.execute(() -> {
                    busy.set(false);
                    projectPath.set(dir);
                    startAutosave(dir);
                    if (recovery != null) {
                        recovery.projectFolderChanged(dir);
                    }
                    message.set("Saved " + dir);
                    result.complete(dir);
                });
            } catch (Exception e) {
                fx.execute(() -> {
                    busy.set(false);
                    error("Could not save the project to " + dir + ": " + e.getMessage());
                    result.completeExceptionally(e);
                });
            }
        });
        return result;
    }

    /**
     * Opens the project folder {@code dir} on the I/O executor; on success it replaces the current
     * project (history cleared) and autosave moves there. When the main manifest was damaged the
     * last good save ({@code .bak}) is restored and the message says so.
     */
    public CompletableFuture<Project> open(Path dir) {
        busy.set(true);
        CompletableFuture<Project> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                ProjectStore.Loaded loaded = store.load(dir);
                fx.execute(() -> {
                    busy.set(false);
                    stopAutosave();
                    if (recovery != null) {
                        // before the reset below, so the opened project is not copied as unsaved work
                        recovery.projectFolderChanged(dir);
                    }
                    clipId.set(null);
                    selectedObjectId.set(null);
                    keyframe.set(0);
                    history.reset(loaded.project());
                    projectPath.set(dir);
                    startAutosave(dir);
                    message.set(loaded.recoveredFromBackup()
                            ? "Restored the last good save of " + dir + " (" + loaded.problem() + ")"
                            : "Opened " + dir);
                    result.complete(loaded.project());
                });
            } catch (Exception e) {
                fx.execute(() -> {
                    busy.set(false);
                    error("Could not open the project " + dir + ": " + e.getMessage());
                    result.completeExceptionally(e);
                });
            }
        });
        return result;
    }

    /** Writes pending edits now (autosave thread); completes at once when there is no project folder. */
    public CompletableFuture<Void> flush() {
        AutosaveService a = autosave;
        return a == null ? CompletableFuture.completedFuture(null) : a.flush();
    }

    /**
     * Stops autosave after a last save and ends the recovery session cleanly (its copy is
     * removed). The work runs on the I/O executor; the future completes when it is done, so an
     * exiting app can wait for it off the FX thread.
     */
    public CompletableFuture<Void> close() {
        stopAutosave();
        SessionRecovery r = recovery;
        recovery = null;
        try {
            if (r != null) {
                return r.close();
            }
            return CompletableFuture.runAsync(() -> { }, io);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(null);
        }
    }

    // ------------------------------------------------------------------ closing

    /**
     * True when closing now would lose work: the project has no folder (so no autosave) and holds
     * what crash recovery would offer back ({@link SessionRecovery#hasWork}).
     */
    public boolean hasUnsavedWork() {
        return projectPath.get() == null && SessionRecovery.hasWork(getProject());
    }

    /**
     * The window is asked to close (its close button, File › Quit). A project with a folder is
     * autosaved, so {@code close} runs at once; so it does when there is no unsaved work.
     * Otherwise {@code prompt} asks: Save… takes a folder from {@code chooseFolder} and closes
     * once the save has completed (a cancelled chooser or a failed save keeps the window),
     * Don't save closes, Cancel keeps the window. A request while one is being answered or
     * saved is ignored. Never waits: {@code close} runs later on {@code fx} when it has to.
     */
    public void closeRequested(SaveChangesPrompt prompt, Supplier<Optional<Path>> chooseFolder, Runnable close) {
        if (closing) {
            return;
        }
        if (!hasUnsavedWork()) {
            close.run();
            return;
        }
        closing = true;
        prompt.ask(getProject(), choice -> {
            switch (choice) {
                case DONT_SAVE -> {
                    closing = false;
                    close.run();
                }
                case CANCEL -> closing = false;
                case SAVE -> {
                    Optional<Path> dir = chooseFolder.get();
                    if (dir.isEmpty()) {
                        closing = false;
                        return;
                    }
                    // saveAs completes on fx and reports a failure itself; the window then stays, work and all.
                    saveAs(dir.get()).whenComplete((saved, e) -> {
                        closing = false;
                        if (e == null) {
                            close.run();
                        }
                    });
                }
            }
        });
    }

    // ------------------------------------------------------------------ crash recovery

    /**
     * Starts crash recovery under {@code root} (see {@link SessionRecovery}): from now on a project
     * without a folder is copied there, debounced. Then looks for work a crashed session left and,
     * if there is any, asks {@code prompt} about the newest and carries out the answer. The future
     * completes (on {@code fx}) with the answer once it is carried out, or empty when there was
     * nothing to ask about.
     */
    public CompletableFuture<Optional<RecoveryPrompt.Choice>> startRecovery(Path root, RecoveryPrompt prompt) {
        if (recovery != null) {
            throw new IllegalStateException("crash recovery is already running");
        }
        SessionRecovery r = new SessionRecovery(root, store, io, history::current);
        recovery = r;
        if (projectPath.get() != null) {
            r.projectFolderChanged(projectPath.get());
        } else if (history.canUndo()) {
            r.markDirty();
        }
        CompletableFuture<Optional<RecoveryPrompt.Choice>> result = new CompletableFuture<>();
        r.begin().whenComplete((crashed, err) -> fx.execute(() -> {
            if (err != null || crashed.isEmpty()) {
                if (err != null) {
                    LOG.warn("cannot look for crashed sessions: {}", err.toString());
                }
                result.complete(Optional.empty());
                return;
            }
            SessionRecovery.Crashed c = crashed.get(0);
            prompt.ask(c, choice -> carryOut(r, c, choice).whenComplete((v, e) -> fx.execute(() -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(Optional.of(choice));
                }
            })));
        }));
        return result;
    }

    private CompletableFuture<?> carryOut(SessionRecovery r, SessionRecovery.Crashed c, RecoveryPrompt.Choice choice) {
        return switch (choice) {
            case RESTORE -> restoreRecovered(r, c);
            case DISCARD -> r.discard(c);
            case LATER -> CompletableFuture.completedFuture(null);
        };
    }

    /**
     * Makes a crashed session's work current: its unsaved project (history cleared, still without
     * a folder, so saving asks where), or its project folder opened again.
     */
    private CompletableFuture<Project> restoreRecovered(SessionRecovery r, SessionRecovery.Crashed c) {
        if (!c.hasUnsavedCopy()) {
            return open(c.projectFolder()).thenApply(p -> {
                r.discard(c);
                return p;
            });
        }
        stopAutosave();
        projectPath.set(null);
        r.projectFolderChanged(null);
        clipId.set(null);
        selectedObjectId.set(null);
        keyframe.set(0);
        history.reset(c.unsaved());
        message.set("Restored the unsaved work from " + RecoveryPrompt.when(c.savedAt())
                + "; use Save project as… to keep it");
        // The crashed session's copy goes only once this session's own copy of the work is on disk.
        r.flush().thenCompose(v -> r.discard(c)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("the recovered copy in {} stays: {}", c.sessionDir(), e.toString());
            }
        });
        return CompletableFuture.completedFuture(c.unsaved());
    }

    private void startAutosave(Path dir) {
        stopAutosave();
        java.util.concurrent.atomic.AtomicReference<Project> frozen = new java.util.concurrent.atomic.AtomicReference<>();
        AutosaveService a = new AutosaveService(store, dir, () -> {
            Project f = frozen.get();
            return f != null ? f : history.current();
        });
        autosaveFrozen = frozen;
        a.setListener(new AutosaveService.Listener() {
            @Override
            public void saved(Project p, long millis) {
                fx.execute(() -> message.set("Autosaved (" + millis + " ms)"));
            }

            @Override
            public void failed(Exception e) {
                fx.execute(() -> error("Autosave failed: " + e.getMessage()));
            }
        });
        autosave = a;
    }

    private void stopAutosave() {
        AutosaveService a = autosave;
        autosave = null;
        if (a != null) {
            autosaveFrozen.set(history.current());
            // close() flushes and may wait for disk: never on the FX thread.
            io.execute(a::close);
        }
    }

    private void error(String text) {
        LOG.warn(text);
        message.set(text);
        Consumer<String> h = errorHandler.get();
        if (h != null) {
            h.accept(text);
        }
    }
}
