package ovavss.studio.app;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import ovavss.studio.annotation.AutosaveService;
import ovavss.studio.annotation.EditHistory;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project session: one annotation project as the user works on it. It holds the edit
 * history, the project folder and its autosave, keeps crash recovery ({@link SessionRecovery})
 * while the project has no folder, keeps the recent projects ({@link RecentProjects}) and decides
 * the close flow. Opening, saving as and recovery run here once, for the window and for tests.
 *
 * <p>Threads: every method is called on one thread, the owner (the FX thread in the app; in tests
 * any thread, with a direct executor). File work runs on {@code io}, which runs one task at a time
 * in submission order; the debounced saves run on {@code scheduler}. Results come back through
 * {@code owner}: the {@link Listener} is told there and futures complete there, after the
 * session's state has changed. Nothing here waits on I/O.
 */
public final class ProjectSession {
    private static final Logger LOG = LoggerFactory.getLogger(ProjectSession.class);
    /** Undo depth: projects share unchanged masks, so a long history is cheap (see {@code bench ui}). */
    public static final int HISTORY_LIMIT = 10_000;

    /** Told about the session's changes, on the owner thread. Every method does nothing by default. */
    public interface Listener {
        /** The whole project is about to be replaced by an opened or restored one: selections in it end. */
        default void replacing() {
        }

        /** The project folder is {@code folder} now; null when the project has none. */
        default void folderChanged(Path folder) {
        }

        /** A status line: saved, opened, autosaved, or a failure (also logged). */
        default void message(String text) {
        }

        /** The recent projects, most recent first, each looked up on disk. */
        default void recentChanged(List<RecentProjects.Entry> entries) {
        }
    }

    /** The answer to "Save the project before closing?". */
    public enum CloseChoice { SAVE, DONT_SAVE, CANCEL }

    /** Asks what to do with unsaved work before closing; answers once, on the owner thread. */
    @FunctionalInterface
    public interface CloseQuestion {
        void ask(Project unsaved, Consumer<CloseChoice> answer);
    }

    /** Restore what a crashed session left, delete it, or keep it and ask again at the next start. */
    public enum RecoveryChoice { RESTORE, DISCARD, LATER }

    /** Asks what to do with a crashed session's work; answers once, on the owner thread. */
    @FunctionalInterface
    public interface RecoveryQuestion {
        void ask(SessionRecovery.Crashed crashed, Consumer<RecoveryChoice> answer);
    }

    private static final Listener NONE = new Listener() {
    };

    private final ProjectStore store;
    private final Executor io;
    private final ScheduledExecutorService scheduler;
    private final Executor owner;
    private final EditHistory history;

    // owner thread only
    private Listener listener = NONE;
    private Path folder;
    private AutosaveService autosave;
    /** Set when the autosave above is retired, so its last flush writes the old project, not a newly opened one. */
    private AtomicReference<Project> autosaveFrozen;
    /** Null until {@link #startRecovery} (tests and screenshot runs go without). */
    private SessionRecovery recovery;
    /** True while a close request is being answered or its save runs. */
    private boolean closing;
    /** Null until {@link #useRecentProjects}: tests and screenshot runs keep no list. */
    private volatile RecentProjects recent;

    /**
     * @param initial   the project to start with, without a folder
     * @param io        reads and writes files, one task at a time in submission order
     * @param scheduler runs the debounced saves of the folder and of the recovery copy, one task at a
     *                  time; null gives each autosave a thread of its own (tests)
     * @param owner     where results are delivered ({@code Platform::runLater} in the app)
     */
    public ProjectSession(Project initial, ProjectStore store, Executor io, ScheduledExecutorService scheduler,
                          Executor owner) {
        this.store = Objects.requireNonNull(store);
        this.io = Objects.requireNonNull(io);
        this.scheduler = scheduler;
        this.owner = Objects.requireNonNull(owner);
        this.history = new EditHistory(Objects.requireNonNull(initial), HISTORY_LIMIT);
        // The history fires on the editing thread, which is the owner thread.
        history.addListener(p -> changed());
    }

    /** The one listener (the view model); replaces the previous one. */
    public void setListener(Listener l) {
        listener = l == null ? NONE : l;
    }

    /** The edits of the project, undoable; every change is autosaved (with a folder) or copied (without). */
    public EditHistory history() {
        return history;
    }

    public Project project() {
        return history.current();
    }

    /** The project folder that saves and autosave go to; null until saved or opened. */
    public Path folder() {
        return folder;
    }

    private void changed() {
        AutosaveService a = autosave;
        if (a != null) {
            a.markDirty();
        } else if (recovery != null && folder == null) {
            recovery.markDirty();
        }
    }

    // ------------------------------------------------------------------ files

    /** Starts over with {@code p} and no history and no project folder (File › New). */
    public void newProject(Project p) {
        stopAutosave();
        setFolder(null);
        if (recovery != null) {
            recovery.projectFolderChanged(null);
        }
        history.reset(p);
    }

    /**
     * Saves the current project into folder {@code dir} on the I/O executor, then makes it the
     * project folder and autosaves there from now on. A failure is reported (message) and leaves
     * the folder as it was.
     */
    public CompletableFuture<Path> saveAs(Path dir) {
        Project snapshot = history.current();
        CompletableFuture<Path> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                store.save(snapshot, dir);
                owner.execute(() -> {
                    setFolder(dir);
                    startAutosave(dir);
                    if (recovery != null) {
                        recovery.projectFolderChanged(dir);
                    }
                    listener.message("Saved " + dir);
                    result.complete(dir);
                });
            } catch (Exception e) {
                owner.execute(() -> {
                    fail("Could not save the project to " + dir + ": " + e.getMessage());
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
        CompletableFuture<Project> result = new CompletableFuture<>();
        io.execute(() -> {
            try {
                ProjectStore.Loaded loaded = store.load(dir);
                owner.execute(() -> {
                    stopAutosave();
                    if (recovery != null) {
                        // before the reset below, so the opened project is not copied as unsaved work
                        recovery.projectFolderChanged(dir);
                    }
                    listener.replacing();
                    history.reset(loaded.project());
                    setFolder(dir);
                    startAutosave(dir);
                    listener.message(loaded.recoveredFromBackup()
                            ? "Restored the last good save of " + dir + " (" + loaded.problem() + ")"
                            : "Opened " + dir);
                    result.complete(loaded.project());
                });
            } catch (Exception e) {
                owner.execute(() -> {
                    fail("Could not open the project " + dir + ": " + e.getMessage());
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
     * exiting app can wait for it off the owner thread and then shut its executors down.
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

    private void setFolder(Path dir) {
        boolean moved = !Objects.equals(folder, dir);
        folder = dir;
        listener.folderChanged(dir);
        if (moved && dir != null) {
            remember(dir);
        }
    }

    private void startAutosave(Path dir) {
        stopAutosave();
        AtomicReference<Project> frozen = new AtomicReference<>();
        AutosaveService a = new AutosaveService(store, dir, () -> {
            Project f = frozen.get();
            return f != null ? f : history.current();
        }, scheduler);
        autosaveFrozen = frozen;
        a.setListener(new AutosaveService.Listener() {
            @Override
            public void saved(Project p, long millis) {
                owner.execute(() -> listener.message("Autosaved (" + millis + " ms)"));
            }

            @Override
            public void failed(Exception e) {
                owner.execute(() -> fail("Autosave failed: " + e.getMessage()));
            }
        });
        autosave = a;
    }

    private void stopAutosave() {
        AutosaveService a = autosave;
        autosave = null;
        if (a != null) {
            autosaveFrozen.set(history.current());
            // close() flushes and may wait for disk: never on the owner thread.
            io.execute(a::close);
        }
    }

    private void fail(String text) {
        LOG.warn(text);
        listener.message(text);
    }

    // ------------------------------------------------------------------ closing

    /**
     * True when closing now would lose work: the project has no folder (so no autosave) and holds
     * what crash recovery would offer back ({@link SessionRecovery#hasWork}).
     */
    public boolean hasUnsavedWork() {
        return folder == null && SessionRecovery.hasWork(history.current());
    }

    /**
     * The window is asked to close (its close button, File › Quit). A project with a folder is
     * autosaved, so {@code close} runs at once; so it does when there is no unsaved work.
     * Otherwise {@code question} asks: Save takes a folder from {@code chooseFolder} and closes
     * once the save has completed (a cancelled chooser or a failed save keeps the window),
     * Don't save closes, Cancel keeps the window. A request while one is being answered or
     * saved is ignored. Never waits: {@code close} runs later on the owner thread when it has to.
     */
    public void closeRequested(CloseQuestion question, Supplier<Optional<Path>> chooseFolder, Runnable close) {
        if (closing) {
            return;
        }
        if (!hasUnsavedWork()) {
            close.run();
            return;
        }
        closing = true;
        question.ask(history.current(), choice -> {
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
                    // saveAs completes on the owner and reports a failure itself; the window then stays, work and all.
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
     * if there is any, asks {@code question} about the newest and carries out the answer. The
     * future completes (on the owner) with the answer once it is carried out, or empty when there
     * was nothing to ask about.
     */
    public CompletableFuture<Optional<RecoveryChoice>> startRecovery(Path root, RecoveryQuestion question) {
        if (recovery != null) {
            throw new IllegalStateException("crash recovery is already running");
        }
        SessionRecovery r = new SessionRecovery(root, store, io, scheduler, history::current);
        recovery = r;
        if (folder != null) {
            r.projectFolderChanged(folder);
        } else if (history.canUndo()) {
            r.markDirty();
        }
        CompletableFuture<Optional<RecoveryChoice>> result = new CompletableFuture<>();
        r.begin().whenComplete((crashed, err) -> owner.execute(() -> {
            if (err != null || crashed.isEmpty()) {
                if (err != null) {
                    LOG.warn("cannot look for crashed sessions: {}", err.toString());
                }
                result.complete(Optional.empty());
                return;
            }
            SessionRecovery.Crashed c = crashed.get(0);
            question.ask(c, choice -> carryOut(r, c, choice).whenComplete((v, e) -> owner.execute(() -> {
                if (e != null) {
                    result.completeExceptionally(e);
                } else {
                    result.complete(Optional.of(choice));
                }
            })));
        }));
        return result;
    }

    private CompletableFuture<?> carryOut(SessionRecovery r, SessionRecovery.Crashed c, RecoveryChoice choice) {
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
        setFolder(null);
        r.projectFolderChanged(null);
        listener.replacing();
        history.reset(c.unsaved());
        listener.message("Restored the unsaved work from " + when(c.savedAt())
                + "; use Save project as\u2026 to keep it");
        // The crashed session's copy goes only once this session's own copy of the work is on disk.
        r.flush().thenCompose(v -> r.discard(c)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.warn("the recovered copy in {} stays: {}", c.sessionDir(), e.toString());
            }
        });
        return CompletableFuture.completedFuture(c.unsaved());
    }

    /** A time of day for today, else date and time, in the user's locale and zone. */
    public static String when(Instant t) {
        ZonedDateTime z = t.atZone(ZoneId.systemDefault());
        DateTimeFormatter f = z.toLocalDate().equals(LocalDate.now())
                ? DateTimeFormatter.ofLocalizedTime(FormatStyle.SHORT)
                : DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT);
        return z.format(f);
    }

    // ------------------------------------------------------------------ recent projects

    /**
     * Reads the recent projects from {@code file} and keeps them there from now on: every folder
     * the project moves to (Open, Save as) goes first. Completes (on the owner) with the entries,
     * after the listener has them; a file that cannot be read is an empty list and a message.
     */
    public CompletableFuture<List<RecentProjects.Entry>> useRecentProjects(Path file) {
        CompletableFuture<List<RecentProjects.Entry>> shown = new CompletableFuture<>();
        io.execute(() -> {
            RecentProjects r = RecentProjects.load(file);
            List<RecentProjects.Entry> entries = r.check();
            owner.execute(() -> {
                recent = r;
                r.problem().ifPresent(listener::message);
                listener.recentChanged(entries);
                shown.complete(entries);
            });
        });
        return shown;
    }

    /** Looks the recent folders up on disk again (they come and go: USB disks). */
    public void refreshRecentProjects() {
        RecentProjects r = recent;
        if (r != null) {
            io.execute(() -> {
                List<RecentProjects.Entry> entries = r.check();
                owner.execute(() -> listener.recentChanged(entries));
            });
        }
    }

    /** Forgets every recent folder (and stores the empty list). */
    public void clearRecentProjects() {
        RecentProjects r = recent;
        if (r == null) {
            return;
        }
        io.execute(() -> {
            r.clear();
            store(r);
            owner.execute(() -> listener.recentChanged(List.of()));
        });
    }

    private void remember(Path dir) {
        RecentProjects r = recent;
        if (r == null) {
            return;
        }
        io.execute(() -> {
            r.add(dir);
            store(r);
            List<RecentProjects.Entry> entries = r.check();
            owner.execute(() -> listener.recentChanged(entries));
        });
    }

    private static void store(RecentProjects r) {
        try {
            r.save();
        } catch (IOException e) {
            LOG.warn("cannot store the recent projects in {}: {}", r.file(), e.toString());
        }
    }
}
