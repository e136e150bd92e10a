package ovavss.studio.ui;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import ovavss.studio.task.NamedThreads;

/**
 * Every worker thread of the main window, created and shut down in one place by the composition
 * root ({@link StudioApp}, or a test's window fixture); views and view models are handed the one
 * they need and never make their own. Each is named, daemon and bounded.
 *
 * @param analysis waveform peaks and spectrogram tiles (two threads: the two panes fill in at once)
 * @param jobs long user-started jobs such as an export (one at a time)
 * @param onsets audio onset suggestions of the open media (one thread; a newer request supersedes)
 */
record WindowExecutors(ExecutorService analysis, ExecutorService jobs, ExecutorService onsets) {
    /** New executors, each with its own named daemon threads. */
    public static WindowExecutors create() {
        return new WindowExecutors(
                Executors.newFixedThreadPool(2, NamedThreads.numbered("analysis")),
                Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-jobs")),
                Executors.newSingleThreadExecutor(NamedThreads.named("ovavss-onsets")));
    }

    /**
     * Stops them all without waiting (never blocks the FX thread): running work is interrupted;
     * jobs that build beside their destination leave nothing half-written.
     */
    public void shutdownNow() {
        for (ExecutorService e : List.of(analysis, jobs, onsets)) {
            e.shutdownNow();
        }
    }
}
