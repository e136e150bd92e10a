package ovavss.studio.ui;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import ovavss.studio.task.NamedThreads;

/**
 * Every worker thread of the main window, created and shut down in one place by the composition
 * root ({@link StudioApp}, or a test's window fixture); views, view models and use cases are handed
 * the one they need and never make their own. Each is named, daemon and bounded.
 *
 * @param analysis waveform peaks and spectrogram tiles (two threads: the two panes fill in at once)
 * @param jobs long user-started jobs such as an export (one at a time)
 * @param onsets audio onset suggestions of the open media (one thread; a newer request supersedes)
 * @param projectIo the project's loads and saves (one thread: they run in submission order)
 * @param autosave the debounced saves of the project folder and the recovery copy (one thread)
 */
record WindowExecutors(ExecutorService analysis, ExecutorService jobs, ExecutorService onsets,
                       ExecutorService projectIo, ScheduledExecutorService autosave) {
    /** New executors, each with its own named daemon threads. */
    static WindowExecutors create() {
        ScheduledThreadPoolExecutor autosave = new ScheduledThreadPoolExecutor(1, NamedThreads.named("ovavss-autosave"));
        // A save still scheduled at exit has been flushed by the project's close(); it need not run.
        autosave.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return new WindowExecutors(
                Executors.newFixedThreadPool(2, NamedThreads.numbered("analysis")),
                Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-jobs")),
                Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-onsets")),
                Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-project-io")),
                autosave);
    }

    /**
     * Stops the window's work at once, without waiting (never blocks the FX thread): running work
     * is interrupted; an export builds beside its destination, so it leaves nothing half-written.
     */
    void stopWork() {
        for (ExecutorService e : List.of(analysis, jobs, onsets)) {
            e.shutdownNow();
        }
    }

    /**
     * Stops the project's threads once the work already given to them has run (call after the
     * project's close has been submitted: its last save must not be cut off).
     */
    void stopProjectThreads() {
        projectIo.shutdown();
        autosave.shutdown();
    }

    /** Both of the above. */
    void shutdownNow() {
        stopWork();
        stopProjectThreads();
    }
}
