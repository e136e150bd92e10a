package ovavss.studio.ui.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.app.SessionRecovery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery through the project view model, without a toolkit (one single-thread executor
 * stands in for the FX thread): an unsaved project is copied, a crashed session's copy is offered
 * and restored unsaved, declined, or kept for later.
 */
class ProjectRecoveryTest {
    @TempDir
    Path root;

    private ProjectViewModelFixture fixture;
    private ProjectViewModel vm;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new ProjectViewModelFixture();
        vm = fixture.vm;
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private <T> T onFx(Callable<T> c) throws Exception {
        return fixture.onFx(c);
    }

    private static void waitFor(BooleanSupplier done, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out: " + what);
            }
            Thread.sleep(20);
        }
    }

    static Project work(String name) {
        TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
        frames.put(0, ObjectFrame.human(MaskOps.polygon(40, 30, new double[] {2, 2, 20, 2, 20, 20}), SoundFlag.SOUNDING));
        Clip c = Clip.of("clip", "media.mp4", 3, 40, 30).withObject(new SoundingObject("o1", "dog", 0, frames));
        return new Project(name, Vocabulary.empty(), List.of(c), Map.of());
    }

    /** Leaves a crashed session's copy of {@code p} under the root, as a killed app would. */
    private Path crashedSessionWith(Project p) throws Exception {
        ExecutorService own = Executors.newSingleThreadExecutor();
        try {
            SessionRecovery dead = new SessionRecovery(root, new ProjectStore(false), own, () -> p,
                    Duration.ofMillis(10), Duration.ofMillis(20));
            dead.begin().get(10, TimeUnit.SECONDS);
            dead.markDirty();
            dead.flush().get(10, TimeUnit.SECONDS);
            // Its pid is ours; a start time of 1970 makes it another (dead) process that had our pid.
            Path marker = dead.sessionDir().resolve(SessionRecovery.MARKER);
            Files.writeString(marker, Files.readString(marker).replaceAll("\"processStartMillis\"\\s*:\\s*\\d+",
                    "\"processStartMillis\" : 1000"));
            return dead.sessionDir();
        } finally {
            own.shutdown();
        }
    }

    private static boolean hasCopy(Path sessionDir) {
        try (Stream<Path> s = Files.list(sessionDir)) {
            return s.anyMatch(p -> Files.isRegularFile(p.resolve(ProjectStore.MANIFEST)));
        } catch (Exception e) {
            return false;
        }
    }

    private Path ownSession() throws Exception {
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> p.getFileName().toString().startsWith(ProcessHandle.current().pid() + "-"))
                    .filter(ProjectRecoveryTest::hasCopy).findFirst().orElse(null);
        }
    }

    @Test
    void restoreMakesTheCrashedWorkCurrentAndUnsaved() throws Exception {
        Path crashed = crashedSessionWith(work("lost"));
        AtomicReference<SessionRecovery.Crashed> asked = new AtomicReference<>();
        RecoveryPrompt prompt = (c, answer) -> {
            asked.set(c);
            answer.accept(RecoveryPrompt.Choice.RESTORE);
        };
        Optional<RecoveryPrompt.Choice> choice = onFx(() -> vm.startRecovery(root, prompt)).get(20, TimeUnit.SECONDS);
        assertEquals(Optional.of(RecoveryPrompt.Choice.RESTORE), choice);
        assertTrue(asked.get().hasUnsavedCopy());
        assertTrue(RecoveryPrompt.question(asked.get()).startsWith("Restore the unsaved work from "),
                RecoveryPrompt.question(asked.get()));

        assertEquals(work("lost"), onFx(vm::getProject));
        assertNull(onFx(vm::getProjectPath), "still unsaved: Save as asks where");
        assertFalse(onFx(() -> vm.canUndoProperty().get()), "a fresh history");
        assertTrue(onFx(() -> vm.messageProperty().get()).startsWith("Restored the unsaved work"));
        waitFor(() -> !Files.exists(crashed), "the crashed copy goes once ours is written");
        Path mine = ownSession();
        assertTrue(mine != null && hasCopy(mine), "this session holds the work now");
    }

    @Test
    void discardDeletesTheCopyAndKeepsTheProject() throws Exception {
        Path crashed = crashedSessionWith(work("lost"));
        Optional<RecoveryPrompt.Choice> choice = onFx(() -> vm.startRecovery(root,
                RecoveryPrompt.answering(RecoveryPrompt.Choice.DISCARD))).get(20, TimeUnit.SECONDS);
        assertEquals(Optional.of(RecoveryPrompt.Choice.DISCARD), choice);
        assertFalse(Files.exists(crashed));
        assertEquals(Project.empty("Untitled"), onFx(vm::getProject));
    }

    @Test
    void laterKeepsTheCopyForTheNextStart() throws Exception {
        Path crashed = crashedSessionWith(work("lost"));
        onFx(() -> vm.startRecovery(root, RecoveryPrompt.answering(RecoveryPrompt.Choice.LATER))).get(20, TimeUnit.SECONDS);
        assertTrue(hasCopy(crashed));
        assertEquals(Project.empty("Untitled"), onFx(vm::getProject));
    }

    @Test
    void nothingToAskAboutAndEditsAreCopiedUntilSavedThenCleanExit(@TempDir Path projects) throws Exception {
        RecoveryPrompt never = (c, a) -> {
            throw new AssertionError("nothing crashed, nothing to ask");
        };
        assertEquals(Optional.empty(), onFx(() -> vm.startRecovery(root, never)).get(20, TimeUnit.SECONDS));
        onFx(() -> vm.replaceProject(work("new"), "Predict"));
        waitFor(() -> {
            try {
                return ownSession() != null;
            } catch (Exception e) {
                return false;
            }
        }, "the unsaved edit is copied");
        Path mine = ownSession();

        Path dir = projects.resolve("p");
        onFx(() -> vm.saveAs(dir)).get(20, TimeUnit.SECONDS);
        waitFor(() -> !hasCopy(mine), "saved: the folder has its own autosave");
        onFx(() -> vm.apply(EditCommand.of("rename", p -> new Project("renamed", p.vocabulary(), p.clips(),
                p.properties()))));
        onFx(vm::flush).get(20, TimeUnit.SECONDS);
        assertFalse(hasCopy(mine));
        assertEquals("renamed", new ProjectStore().load(dir).project().name());

        onFx(vm::close).get(20, TimeUnit.SECONDS);
        assertFalse(Files.exists(mine), "clean exit: marker gone");
    }
}
