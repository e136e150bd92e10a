package ovavss.studio.ui.project;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.app.ProjectSession;

/**
 * A project view model without a toolkit: one single-thread executor stands in for the FX
 * thread, another is its I/O thread, a third its autosave thread (as the app composes them).
 * Made in {@code @BeforeEach}, closed in {@code @AfterEach}.
 */
final class ProjectViewModelFixture implements AutoCloseable {
    final ExecutorService fx = Executors.newSingleThreadExecutor();
    final ExecutorService io = Executors.newSingleThreadExecutor();
    final ScheduledExecutorService autosave = Executors.newSingleThreadScheduledExecutor();
    /** An empty "Untitled" project without a folder; saves skip fsync. */
    final ProjectViewModel vm;

    ProjectViewModelFixture() throws Exception {
        vm = onFx(() -> new ProjectViewModel(new ProjectSession(Project.empty("Untitled"), new ProjectStore(false), io,
                autosave, fx)));
    }

    /** Runs {@code c} on the stand-in FX thread and returns its result, waiting 20 s at most. */
    <T> T onFx(Callable<T> c) throws Exception {
        return fx.submit(c).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        fx.shutdownNow();
        io.shutdownNow();
        autosave.shutdownNow();
    }
}
