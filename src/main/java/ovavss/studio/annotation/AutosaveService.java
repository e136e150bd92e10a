package ovavss.studio.annotation;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import ovavss.studio.task.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debounced background saving. {@link #markDirty()} is cheap and never blocks on I/O: it records
 * the edit time and makes sure a save is scheduled on the scheduler. A save runs once edits have
 * been quiet for {@code quiet} (default 1 s), but never later than {@code maxLatency} (default
 * 750 ms) after the first unsaved edit, so continuous editing cannot starve it and, with the save
 * itself, at most about the last second of edits is ever unsaved.
 *
 * <p>The scheduler belongs to whoever composes the service (the app's one autosave thread, shared
 * by every autosave) and must run one task at a time; {@link #close()} leaves it running. Without
 * one (tests, tools) the service runs a daemon thread of its own, which {@link #close()} stops.
 */
public final class AutosaveService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AutosaveService.class);

    /** Told about every finished save attempt, on the autosave thread. */
    public interface Listener {
        void saved(Project project, long millis);

        void failed(Exception error);
    }

    private final ProjectStore store;
    private final Path dir;
    private final Supplier<Project> snapshot;
    private final long quietNanos;
    private final long maxLatencyNanos;
    private final ScheduledExecutorService executor;
    private final boolean ownsExecutor;
    private volatile Listener listener;
    /** Set by {@link #close()}: a save still scheduled then does nothing, a later edit is not scheduled. */
    private volatile boolean closed;

    // guarded by "this"; held only for bookkeeping, never during I/O
    private long firstDirty;
    private long lastEdit;
    private boolean dirty;
    private boolean scheduled;
    private Project lastSaved;

    /**
     * @param snapshot   returns the project to save (e.g. {@code history::current}); called on the autosave thread
     * @param scheduler  runs the saves, one task at a time; the caller's, left running by {@link #close()}.
     *                   Null: a thread of the service's own (tests, tools), stopped by {@link #close()}
     * @param quiet      save after this long without edits
     * @param maxLatency ... but no later than this after the first unsaved edit
     */
    public AutosaveService(ProjectStore store, Path dir, Supplier<Project> snapshot, ScheduledExecutorService scheduler,
                           Duration quiet, Duration maxLatency) {
        this.store = store;
        this.dir = dir;
        this.snapshot = snapshot;
        this.quietNanos = quiet.toNanos();
        this.maxLatencyNanos = maxLatency.toNanos();
        this.ownsExecutor = scheduler == null;
        this.executor = scheduler != null ? scheduler
                : Executors.newSingleThreadScheduledExecutor(NamedThreads.named("ovavss-autosave"));
    }

    /** Default timing: save 1 s after the last edit, at most 750 ms after the first unsaved one. */
    public AutosaveService(ProjectStore store, Path dir, Supplier<Project> snapshot, ScheduledExecutorService scheduler) {
        this(store, dir, snapshot, scheduler, Duration.ofSeconds(1), Duration.ofMillis(750));
    }

    /** On a thread of its own (tests, tools). */
    public AutosaveService(ProjectStore store, Path dir, Supplier<Project> snapshot, Duration quiet, Duration maxLatency) {
        this(store, dir, snapshot, null, quiet, maxLatency);
    }

    /** On a thread of its own (tests, tools), default timing. */
    public AutosaveService(ProjectStore store, Path dir, Supplier<Project> snapshot) {
        this(store, dir, snapshot, null);
    }

    /** Convenience (tests, tools): autosave every change of an edit history, on a thread of its own. */
    public static AutosaveService attach(EditHistory history, ProjectStore store, Path dir) {
        AutosaveService s = new AutosaveService(store, dir, history::current);
        history.addListener(p -> s.markDirty());
        return s;
    }

    public void setListener(Listener l) {
        this.listener = l;
    }

    /** Notes an edit; schedules a save if none is pending. Returns immediately. */
    public void markDirty() {
        if (closed) {
            LOG.warn("edit after autosave was closed; not scheduled");
            return;
        }
        long now = System.nanoTime();
        boolean schedule;
        synchronized (this) {
            lastEdit = now;
            if (!dirty) {
                dirty = true;
                firstDirty = now;
            }
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            try {
                // the first look comes at the earlier of the two deadlines: with a latency bound shorter
                // than the quiet period, waiting for quiet first would overrun the bound
                executor.schedule(this::tick, Math.min(quietNanos, maxLatencyNanos), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.warn("edit after autosave was closed; not scheduled");
            }
        }
    }

    private void tick() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        long due;
        synchronized (this) {
            if (!dirty) {
                scheduled = false;
                return;
            }
            due = Math.min(lastEdit + quietNanos, firstDirty + maxLatencyNanos);
            if (now < due) {
                executor.schedule(this::tick, due - now, TimeUnit.NANOSECONDS);
                return;
            }
            dirty = false;
            scheduled = false;
        }
        saveNow();
    }

    /** Runs on the autosave thread. Edits made during the save mark the service dirty again. */
    private void saveNow() {
        Project p = snapshot.get();
        if (p == lastSaved) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            store.save(p, dir);
            lastSaved = p;
            Listener l = listener;
            if (l != null) {
                l.saved(p, (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (Exception e) {
            LOG.error("autosave to {} failed: {}", dir, e.toString());
            synchronized (this) {
                dirty = true; // retry on the next edit or flush
            }
            Listener l = listener;
            if (l != null) {
                l.failed(e);
            }
        }
    }

    /** Saves now on the autosave thread if anything is unsaved; the future completes after the save. */
    public CompletableFuture<Void> flush() {
        return CompletableFuture.runAsync(() -> {
            synchronized (this) {
                dirty = false;
            }
            saveNow();
        }, executor);
    }

    /**
     * Flushes pending edits (waiting at most 10 s) and stops: saves still scheduled do nothing,
     * and the service's own thread, if it has one, ends. Never call it on the scheduler's thread.
     */
    @Override
    public void close() {
        try {
            boolean pending;
            synchronized (this) {
                pending = dirty;
            }
            if (pending) {
                flush().get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.error("final autosave failed: {}", e.toString());
        } finally {
            closed = true;
            if (ownsExecutor) {
                executor.shutdown();
            }
        }
    }
}
