package ovavss.studio.ui.project;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.EditHistory;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.app.ProjectSession;
import ovavss.studio.app.RecentProjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The annotation project as the UI sees it: the current immutable {@link Project}, the clip,
 * object and keyframe being edited and undo/redo, as properties over a {@link ProjectSession},
 * which owns the files: opening, saving, autosave, crash recovery once {@link #startRecovery}
 * has run, the recent projects and the close flow.
 *
 * <p>All methods are called on the FX thread (or, in tests, on the thread behind the session's
 * owner executor); the session hands its results back there, so nothing here waits on I/O. Every
 * change of the project, including {@link #replaceProject} (used to bring in model predictions),
 * is one undoable step.
 */
public final class ProjectViewModel {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectViewModel.class);
    /** Undo depth, see {@link ProjectSession#HISTORY_LIMIT}. */
    public static final int HISTORY_LIMIT = ProjectSession.HISTORY_LIMIT;

    private final ProjectSession session;
    private final EditHistory history;

    private final ReadOnlyObjectWrapper<Project> project = new ReadOnlyObjectWrapper<>(this, "project");
    private final StringProperty clipId = new SimpleStringProperty(this, "clipId");
    private final StringProperty selectedObjectId = new SimpleStringProperty(this, "selectedObjectId");
    private final IntegerProperty keyframe = new SimpleIntegerProperty(this, "keyframe", 0);
    private final ReadOnlyBooleanWrapper canUndo = new ReadOnlyBooleanWrapper(this, "canUndo");
    private final ReadOnlyBooleanWrapper canRedo = new ReadOnlyBooleanWrapper(this, "canRedo");
    private final ReadOnlyStringWrapper undoText = new ReadOnlyStringWrapper(this, "undoText", "");
    private final ReadOnlyObjectWrapper<Path> projectPath = new ReadOnlyObjectWrapper<>(this, "projectPath");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final BooleanProperty keepObjectsDisjoint = new SimpleBooleanProperty(this, "keepObjectsDisjoint", true);
    private final ReadOnlyObjectWrapper<List<RecentProjects.Entry>> recentProjects =
            new ReadOnlyObjectWrapper<>(this, "recentProjects", List.of());

    /** The view of {@code session}, whose owner executor is the FX thread ({@code Platform::runLater} in the app). */
    public ProjectViewModel(ProjectSession session) {
        this.session = Objects.requireNonNull(session);
        this.history = session.history();
        // The history fires on the editing thread, which is the FX thread for every caller here.
        history.addListener(this::changed);
        clipId.addListener((o, a, id) -> {
            if (selectedObjectId.get() != null && currentClip().flatMap(c -> c.object(selectedObjectId.get())).isEmpty()) {
                selectedObjectId.set(null);
            }
        });
        session.setListener(new ProjectSession.Listener() {
            @Override
            public void replacing() {
                clipId.set(null);
                selectedObjectId.set(null);
                keyframe.set(0);
            }

            @Override
            public void folderChanged(Path folder) {
                projectPath.set(folder);
            }

            @Override
            public void message(String text) {
                message.set(text);
            }

            @Override
            public void recentChanged(List<RecentProjects.Entry> entries) {
                recentProjects.set(entries);
            }
        });
        projectPath.set(session.folder());
        changed(history.current());
    }

    /**
     * A view model over a session of its own (tests): {@code fx} delivers results, {@code io}
     * reads and writes, each autosave runs a thread of its own.
     */
    public ProjectViewModel(Project initial, Executor fx, Executor io, ProjectStore store) {
        this(new ProjectSession(initial, store, io, null, fx));
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

    /** The recent project folders (most recent first), once {@link #useRecentProjects} has read them. */
    public ReadOnlyObjectProperty<List<RecentProjects.Entry>> recentProjectsProperty() {
        return recentProjects.getReadOnlyProperty();
    }

    public Optional<Clip> currentClip() {
        String id = clipId.get();
        return id == null ? Optional.empty() : getProject().clip(id);
    }

    public Optional<SoundingObject> selectedObject() {
        String id = selectedObjectId.get();
        return id == null ? Optional.empty() : currentClip().flatMap(c -> c.object(id));
    }

    // ------------------------------------------------------------------ edits

    /**
     * Applies an edit as one undoable step. A command that does not apply (unknown object, label
     * not in the vocabulary ...) changes nothing; its message goes to {@link #messageProperty()}.
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

    /**
     * Replaces the project by amending the last undo step when the project is still
     * {@code expected}; otherwise makes {@code description} a step of its own.
     */
    public void replaceAmending(Project expected, Project replacement, String description) {
        Objects.requireNonNull(replacement, "replacement");
        if (expected == null || !history.amendLast(expected, EditCommand.of(description, p -> replacement))) {
            replaceProject(replacement, description);
        }
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
        session.newProject(p);
    }

    private void changed(Project p) {
        project.set(p);
        canUndo.set(history.canUndo());
        canRedo.set(history.canRedo());
        undoText.set(history.undoDescription().orElse(""));
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
    }

    // ------------------------------------------------------------------ files

    /** See {@link ProjectSession#saveAs}. */
    public CompletableFuture<Path> saveAs(Path dir) {
        return session.saveAs(dir);
    }

    /** See {@link ProjectSession#open}. */
    public CompletableFuture<Project> open(Path dir) {
        return session.open(dir);
    }

    /** See {@link ProjectSession#flush}. */
    public CompletableFuture<Void> flush() {
        return session.flush();
    }

    /** See {@link ProjectSession#close}. */
    public CompletableFuture<Void> close() {
        return session.close();
    }

    /** See {@link ProjectSession#useRecentProjects}; the entries also go to {@link #recentProjectsProperty()}. */
    public CompletableFuture<List<RecentProjects.Entry>> useRecentProjects(Path file) {
        return session.useRecentProjects(file);
    }

    public void refreshRecentProjects() {
        session.refreshRecentProjects();
    }

    public void clearRecentProjects() {
        session.clearRecentProjects();
    }

    // ------------------------------------------------------------------ closing

    /** See {@link ProjectSession#hasUnsavedWork}. */
    public boolean hasUnsavedWork() {
        return session.hasUnsavedWork();
    }

    /** The window is asked to close: see {@link ProjectSession#closeRequested}, asked with {@code prompt}. */
    public void closeRequested(SaveChangesPrompt prompt, Supplier<Optional<Path>> chooseFolder, Runnable close) {
        session.closeRequested((p, answer) -> prompt.ask(p, choice -> answer.accept(switch (choice) {
            case SAVE -> ProjectSession.CloseChoice.SAVE;
            case DONT_SAVE -> ProjectSession.CloseChoice.DONT_SAVE;
            case CANCEL -> ProjectSession.CloseChoice.CANCEL;
        })), chooseFolder, close);
    }

    // ------------------------------------------------------------------ crash recovery

    /**
     * Starts crash recovery under {@code root} and asks {@code prompt} about what a crashed session
     * left: see {@link ProjectSession#startRecovery}.
     */
    public CompletableFuture<Optional<RecoveryPrompt.Choice>> startRecovery(Path root, RecoveryPrompt prompt) {
        return session.startRecovery(root, (c, answer) -> prompt.ask(c, choice -> answer.accept(switch (choice) {
            case RESTORE -> ProjectSession.RecoveryChoice.RESTORE;
            case DISCARD -> ProjectSession.RecoveryChoice.DISCARD;
            case LATER -> ProjectSession.RecoveryChoice.LATER;
        }))).thenApply(answer -> answer.map(choice -> switch (choice) {
            case RESTORE -> RecoveryPrompt.Choice.RESTORE;
            case DISCARD -> RecoveryPrompt.Choice.DISCARD;
            case LATER -> RecoveryPrompt.Choice.LATER;
        }));
    }

    private void error(String text) {
        LOG.warn(text);
        message.set(text);
    }
}
