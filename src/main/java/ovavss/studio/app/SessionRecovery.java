package ovavss.studio.app;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import ovavss.studio.annotation.AutosaveService;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.files.FileTrees;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash recovery for one session of the app. The session takes a marker in its own folder under
 * the recovery root, keeps a debounced, atomic copy of the project there while the project has no
 * folder of its own (the copy is an {@link AutosaveService} over a {@link ProjectStore} folder),
 * and removes both on a clean exit. A marker whose process is gone therefore means that session
 * crashed; {@link #begin()} reports what such sessions left:
 * <pre>
 *   &lt;root&gt;/&lt;pid&gt;-&lt;start&gt;-&lt;n&gt;/session.json   pid, process start time, the project folder being edited
 *   &lt;root&gt;/&lt;pid&gt;-&lt;start&gt;-&lt;n&gt;/copy-&lt;k&gt;/       the unsaved project (the highest k is the newest)
 * </pre>
 * Every session has its own folder and only leftovers of dead processes are touched, so two
 * instances of the app never take each other's copy.
 *
 * <p>Threads: {@link #markDirty()}, {@link #projectFolderChanged} and {@link #close()} are called
 * from one thread (the FX thread) and never block. File work runs on {@code io}, which must run
 * tasks one at a time in submission order; the copies are written on the scheduler's thread.
 */
public final class SessionRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRecovery.class);
    public static final String MARKER = "session.json";
    static final String COPY_PREFIX = "copy-";
    /** A session writes its marker right after it starts; a folder without one for this long is a leftover. */
    static final Duration ORPHAN_AGE = Duration.ofMinutes(1);
    /** Process start times are compared with this slack (their clock resolution differs by platform). */
    private static final long START_SLACK_MILLIS = 2000;
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    /**
     * What a crashed session left: either the unsaved project it was editing ({@link #unsaved()},
     * copied at {@code savedAt}), or the project folder it was editing, whose own autosave was
     * last written at {@code savedAt}.
     */
    public record Crashed(Path sessionDir, long pid, Instant started, Project unsaved, Path projectFolder,
                          Instant savedAt) {
        public boolean hasUnsavedCopy() {
            return unsaved != null;
        }
    }

    /** The marker file's content; times in epoch milliseconds, 0 when unknown. */
    record Marker(long pid, long processStartMillis, long startedMillis, String projectFolder) {
    }

    private final Path root;
    private final Path sessionDir;
    private final ProjectStore store;
    private final Executor io;
    private final ScheduledExecutorService scheduler;
    private final Supplier<Project> current;
    private final Duration quiet;
    private final Duration maxLatency;
    private final long startedMillis = System.currentTimeMillis();
    private final AtomicInteger copies = new AtomicInteger();
    private volatile Copy active;
    private volatile Path projectFolder;
    private volatile boolean closed;

    /**
     * @param root       the recovery folder shared by all sessions ({@link #defaultRoot()} in the app)
     * @param io         runs the file work, one task at a time in submission order
     * @param scheduler  writes the copies (see {@link AutosaveService}); the caller's, one task at a time.
     *                   Null: each copy runs a thread of its own (tests)
     * @param current    the project as it is now; read on the scheduler's thread
     * @param quiet      copy after this long without edits ...
     * @param maxLatency ... but no later than this after the first uncopied edit
     */
    public SessionRecovery(Path root, ProjectStore store, Executor io, ScheduledExecutorService scheduler,
                           Supplier<Project> current, Duration quiet, Duration maxLatency) {
        this.root = root.toAbsolutePath();
        this.store = store;
        this.io = io;
        this.scheduler = scheduler;
        this.current = current;
        this.quiet = quiet;
        this.maxLatency = maxLatency;
        long pid = ProcessHandle.current().pid();
        this.sessionDir = this.root.resolve(pid + "-" + startedMillis + "-" + SESSIONS.incrementAndGet());
    }

    /** The autosave timing of project folders: 1 s after the last edit, 750 ms after the first. */
    public SessionRecovery(Path root, ProjectStore store, Executor io, ScheduledExecutorService scheduler,
                           Supplier<Project> current) {
        this(root, store, io, scheduler, current, Duration.ofSeconds(1), Duration.ofMillis(750));
    }

    /** Each copy on a thread of its own (tests). */
    public SessionRecovery(Path root, ProjectStore store, Executor io, Supplier<Project> current, Duration quiet,
                           Duration maxLatency) {
        this(root, store, io, null, current, quiet, maxLatency);
    }

    /** {@code <data dir>/recovery}, see {@link AppDirs#data()}. */
    public static Path defaultRoot() {
        return AppDirs.data().resolve("recovery");
    }

    /** This session's folder (created by {@link #begin()}). */
    public Path sessionDir() {
        return sessionDir;
    }

    /**
     * Takes this session's marker and looks at the other sessions' folders: leftovers of crashed
     * sessions with nothing worth restoring are deleted, the rest are returned newest first.
     * Never fails: a recovery folder that cannot be written only costs the recovery (logged).
     */
    public CompletableFuture<List<Crashed>> begin() {
        return CompletableFuture.supplyAsync(() -> {
            writeMarker(projectFolder);
            return crashedSessions();
        }, io);
    }

    /** Notes an edit of the project while it has no folder; the copy follows within about a second. */
    public void markDirty() {
        if (closed || projectFolder != null) {
            return;
        }
        Copy c = active;
        if (c == null) {
            c = new Copy(sessionDir.resolve(COPY_PREFIX + copies.incrementAndGet()));
            active = c;
        }
        c.autosave.markDirty();
    }

    /**
     * The project now lives in {@code folder} (saved as, opened), or in none again ({@code null},
     * a new or restored project). With a folder the copy is dropped (that folder has its own
     * autosave) and the marker names the folder, so a crash from now on points there.
     */
    public void projectFolderChanged(Path folder) {
        if (closed) {
            return;
        }
        Path f = folder == null ? null : folder.toAbsolutePath();
        projectFolder = f;
        if (f != null) {
            retire(active);
            active = null;
        }
        io.execute(() -> writeMarker(f));
    }

    /** Writes the copy now if it is behind; completes at once when there is none. */
    public CompletableFuture<Void> flush() {
        Copy c = active;
        return c == null ? CompletableFuture.completedFuture(null) : c.autosave.flush();
    }

    /** Deletes what a crashed session left (after it was restored or the user declined it). */
    public CompletableFuture<Void> discard(Crashed crashed) {
        return CompletableFuture.runAsync(() -> deleteTree(crashed.sessionDir()), io);
    }

    /** Clean exit: stops the copy and removes this session's marker and copies. */
    public CompletableFuture<Void> close() {
        closed = true;
        Copy c = active;
        active = null;
        if (c != null) {
            c.frozen = true;
        }
        return CompletableFuture.runAsync(() -> {
            if (c != null) {
                c.stop();
            }
            deleteTree(sessionDir);
        }, io);
    }

    private void retire(Copy c) {
        if (c == null) {
            return;
        }
        c.frozen = true;
        io.execute(() -> {
            c.stop();
            deleteTree(c.dir);
        });
    }

    // ------------------------------------------------------------------ io thread

    private void writeMarker(Path folder) {
        if (closed) {
            return;
        }
        long start = ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        Marker m = new Marker(ProcessHandle.current().pid(), start, startedMillis,
                folder == null ? null : folder.toString());
        try {
            JsonFiles.writeAtomically(sessionDir.resolve(MARKER), m);
        } catch (IOException e) {
            LOG.warn("cannot write the session marker in {}: {}; a crash of this session cannot be recovered",
                    sessionDir, e.toString());
        }
    }

    /** The crashed sessions' leftovers worth offering, newest first. */
    List<Crashed> crashedSessions() {
        List<Crashed> found = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path dir : ds) {
                if (dir.equals(sessionDir)) {
                    continue;
                }
                Optional<Marker> m = readMarker(dir);
                if (m.isPresent() && isAlive(m.get().pid(), m.get().processStartMillis())) {
                    continue; // another instance that is running now
                }
                if (m.isEmpty() && age(dir).compareTo(ORPHAN_AGE) < 0) {
                    continue; // a session that is just starting
                }
                Crashed c = inspect(dir, m.orElse(null));
                if (c == null) {
                    LOG.info("removing {}: a session that ended without a clean exit, with nothing to restore", dir);
                    deleteTree(dir);
                } else {
                    LOG.info("session {} (pid {}) did not exit cleanly; it left {}", dir.getFileName(), c.pid(),
                            c.hasUnsavedCopy() ? "an unsaved project" : "the project folder " + c.projectFolder());
                    found.add(c);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot look for crashed sessions in {}: {}", root, e.toString());
        }
        found.sort(Comparator.comparing(Crashed::savedAt).reversed());
        return found;
    }

    private Crashed inspect(Path dir, Marker m) {
        long pid = m == null ? -1 : m.pid();
        Instant started = Instant.ofEpochMilli(m == null ? 0 : m.startedMillis());
        if (m != null && m.projectFolder() != null) {
            // Its work is in that folder (autosaved); the copies, if any, are older than the folder.
            Path folder = Path.of(m.projectFolder());
            Path manifest = folder.resolve(ProjectStore.MANIFEST);
            return Files.isRegularFile(manifest) ? new Crashed(dir, pid, started, null, folder, modified(manifest))
                    : null;
        }
        List<Path> copyDirs = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, COPY_PREFIX + "*")) {
            ds.forEach(copyDirs::add);
        } catch (IOException e) {
            return null;
        }
        copyDirs.sort(Comparator.comparingLong(SessionRecovery::copyNumber).reversed());
        for (Path copy : copyDirs) {
            try {
                Project p = store.load(copy).project();
                return hasWork(p) ? new Crashed(dir, pid, started, p, null, modified(copy.resolve(ProjectStore.MANIFEST)))
                        : null;
            } catch (RuntimeException e) {
                LOG.warn("recovery copy {} is unreadable ({}); trying an older one", copy, e.getMessage());
            }
        }
        return null;
    }

    private static long copyNumber(Path copy) {
        try {
            return Long.parseLong(copy.getFileName().toString().substring(COPY_PREFIX.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * True when the project holds something worth restoring: an object. Clips come back by
     * opening their media again, the vocabulary by loading the model (which seeds it). The UI
     * asks before closing on the same rule, so what it lets go without asking is what a crash
     * would not have offered back either.
     */
    public static boolean hasWork(Project p) {
        return p.clips().stream().anyMatch(c -> !c.objects().isEmpty());
    }

    /** True when process {@code pid} runs and, when its start time is known, is the same process (pids are reused). */
    static boolean isAlive(long pid, long processStartMillis) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty() || !h.get().isAlive()) {
            return false;
        }
        if (processStartMillis <= 0) {
            return true;
        }
        Optional<Instant> start = h.get().info().startInstant();
        return start.isEmpty() || Math.abs(start.get().toEpochMilli() - processStartMillis) <= START_SLACK_MILLIS;
    }

    static Optional<Marker> readMarker(Path dir) {
        Path f = dir.resolve(MARKER);
        try {
            return Optional.of(JsonFiles.MAPPER.readValue(f.toFile(), Marker.class));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("unreadable session marker {}: {}", f, e.getMessage());
            return Optional.empty();
        }
    }

    static void writeMarker(Path dir, Marker m) throws IOException {
        JsonFiles.writeAtomically(dir.resolve(MARKER), m);
    }

    private static Duration age(Path p) {
        try {
            return Duration.between(Files.getLastModifiedTime(p).toInstant(), Instant.now());
        } catch (IOException e) {
            return Duration.ZERO;
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            // another instance may be cleaning up the same leftover
            LOG.warn("could not delete {} completely: {}", dir, e.toString());
        }
    }

    /** One recovery copy folder and the autosave that writes it. */
    private final class Copy {
        final Path dir;
        final AutosaveService autosave;
        /** Set when the copy is retired, so a save already due writes nothing (its folder is about to go). */
        volatile boolean frozen;
        volatile Project written;

        Copy(Path dir) {
            this.dir = dir;
            // Frozen, the snapshot is the last project written, which AutosaveService skips as unchanged.
            autosave = new AutosaveService(store, dir, () -> frozen ? written : current.get(), scheduler, quiet,
                    maxLatency);
            autosave.setListener(new AutosaveService.Listener() {
                @Override
                public void saved(Project project, long millis) {
                    written = project;
                    LOG.debug("recovery copy written to {} ({} ms)", dir, millis);
                }

                @Override
                public void failed(Exception error) {
                    LOG.warn("cannot write the recovery copy to {}: {}", dir, error.toString());
                }
            });
        }

        /** Waits for a save in progress (the flush queues behind it), then stops the thread. */
        void stop() {
            try {
                autosave.flush().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("recovery copy {} did not settle: {}", dir, e.toString());
            }
            autosave.close();
        }
    }
}
