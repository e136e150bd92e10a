package ovavss.studio.app;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;

/**
 * Child process of {@link SessionRecoveryTest}: a session that edits an unsaved project, prints
 * {@code COPIED} once the recovery copy is on disk, then waits to be killed.
 */
public final class RecoveryChild {
    private RecoveryChild() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        ExecutorService io = Executors.newSingleThreadExecutor();
        AtomicReference<Project> current = new AtomicReference<>(Project.empty("child"));
        SessionRecovery session = new SessionRecovery(root, new ProjectStore(), io, current::get,
                Duration.ofMillis(20), Duration.ofMillis(50));
        session.begin().get(30, TimeUnit.SECONDS);
        current.set(SessionRecoveryTest.edited("child", 3));
        session.markDirty();
        session.flush().get(30, TimeUnit.SECONDS);
        System.out.println("COPIED " + ProcessHandle.current().pid());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
