package ovavss.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The project session without a toolkit: file work and delivery on the test's thread (direct
 * executors), debounced saves on one scheduler thread as in the app. Open, save as, autosave,
 * the {@code .bak} fallback, recent projects, the close flow and crash recovery.
 */
class ProjectSessionTest {
    private static final Executor DIRECT = Runnable::run;

    @TempDir
    Path tmp;

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final ProjectStore store = new ProjectStore(false);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private ProjectSession session;

    @BeforeEach
    void setUp() {
        session = new ProjectSession(Project.empty("Untitled"), store, DIRECT, scheduler, DIRECT);
        session.setListener(new ProjectSession.Listener() {
            @Override
            public void replacing() {
                events.add("replacing");
            }

            @Override
            public void folderChanged(Path folder) {
                events.add("folder " + folder);
            }

            @Override
            public void message(String text) {
                events.add("message " + text);
            }

            @Override
            public void recentChanged(List<RecentProjects.Entry> entries) {
                events.add("recent " + entries.stream().map(e -> e.folder().getFileName() + (e.exists() ? "" : "?"))
                        .toList());
            }
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        session.close().get(10, TimeUnit.SECONDS);
        scheduler.shutdownNow();
    }

    private static Project work(String name) {
        return SessionRecoveryTest.edited(name, 1);
    }

    private void edit(String name) {
        session.history().apply(EditCommand.of("rename", p -> new Project(name, p.vocabulary(), p.clips(),
                p.properties())));
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

    private static <T> Throwable failure(CompletableFuture<T> f) {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void saveAsMakesTheFolderCurrentAndEditsAreAutosavedThere() throws Exception {
        session.history().apply(EditCommand.of("Predict", p -> work("p")));
        Path dir = tmp.resolve("p");
        assertEquals(dir, session.saveAs(dir).get(10, TimeUnit.SECONDS));
        assertEquals(dir, session.folder());
        assertEquals(List.of("folder " + dir, "message Saved " + dir), events);
        assertEquals(work("p"), store.load(dir).project());

        edit("debounced");
        waitFor(() -> events.stream().anyMatch(e -> e.startsWith("message Autosaved (")), "the debounced autosave");
        assertEquals("debounced", store.load(dir).project().name());
        edit("flushed");
        session.flush().get(10, TimeUnit.SECONDS);
        assertEquals("flushed", store.load(dir).project().name());
        assertTrue(Files.isRegularFile(dir.resolve(ProjectStore.BACKUP)), "the previous save is kept");
    }

    @Test
    void openReplacesTheProjectAndFallsBackToTheLastGoodSave() throws Exception {
        Path dir = tmp.resolve("p");
        store.save(work("good"), dir);
        store.save(work("newer"), dir);
        Files.writeString(dir.resolve(ProjectStore.MANIFEST), "{ damaged");
        edit("before");

        Project opened = session.open(dir).get(10, TimeUnit.SECONDS);
        assertEquals(work("good"), opened);
        assertEquals(opened, session.project());
        assertFalse(session.history().canUndo(), "a fresh history");
        assertEquals(dir, session.folder());
        assertEquals("replacing", events.get(0), "selections end before the project changes");
        assertEquals("folder " + dir, events.get(1));
        assertTrue(events.get(2).startsWith("message Restored the last good save of " + dir), events.get(2));

        // autosave follows the opened folder
        edit("after");
        session.flush().get(10, TimeUnit.SECONDS);
        assertEquals("after", store.load(dir).project().name());
    }

    @Test
    void aFailedOpenOrSaveChangesNothingAndSaysWhy() throws Exception {
        edit("mine");
        Throwable e = failure(session.open(tmp.resolve("nothing-here")));
        assertTrue(events.get(0).startsWith("message Could not open the project "), events.get(0));
        assertEquals("mine", session.project().name());

        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        failure(session.saveAs(notAFolder.resolve("p")));
        assertTrue(events.get(1).startsWith("message Could not save the project to "), events.get(1));
        assertNull(session.folder());
        assertEquals(2, events.size(), e.toString());
    }

    @Test
    void newProjectStartsOverWithoutAFolder() throws Exception {
        session.saveAs(tmp.resolve("p")).get(10, TimeUnit.SECONDS);
        edit("x");
        session.newProject(Project.empty("fresh"));
        assertNull(session.folder());
        assertEquals(Project.empty("fresh"), session.project());
        assertFalse(session.history().canUndo());
    }

    @Test
    void recentProjectsFollowOpenAndSaveAs() throws Exception {
        Path file = tmp.resolve("config").resolve(RecentProjects.FILE_NAME);
        RecentProjects seed = RecentProjects.load(file);
        seed.add(tmp.resolve("gone"));
        seed.save();
        List<RecentProjects.Entry> shown = session.useRecentProjects(file).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new RecentProjects.Entry(tmp.resolve("gone"), false)), shown);
        assertEquals(List.of("recent [gone?]"), events);

        Path a = tmp.resolve("a");
        session.saveAs(a).get(10, TimeUnit.SECONDS);
        assertTrue(events.contains("recent [a, gone?]"), events.toString());
        Path b = tmp.resolve("b");
        store.save(work("b"), b);
        session.open(b).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(b, a, tmp.resolve("gone")), RecentProjects.load(file).folders(), "stored, newest first");

        session.clearRecentProjects();
        assertEquals("recent []", events.get(events.size() - 1));
        assertEquals(List.of(), RecentProjects.load(file).folders());
    }

    // ------------------------------------------------------------------ closing

    private final AtomicInteger closes = new AtomicInteger();
    private final List<Project> asked = new ArrayList<>();

    private ProjectSession.CloseQuestion answering(ProjectSession.CloseChoice choice) {
        return (p, answer) -> {
            asked.add(p);
            answer.accept(choice);
        };
    }

    private static Supplier<Optional<Path>> noChooser() {
        return () -> {
            throw new AssertionError("no folder should be asked for");
        };
    }

    @Test
    void onlyUnsavedWorkIsAskedAbout() throws Exception {
        assertFalse(session.hasUnsavedWork(), "no object: nothing a crash would have offered back");
        session.closeRequested(answering(ProjectSession.CloseChoice.CANCEL), noChooser(), closes::incrementAndGet);
        assertEquals(1, closes.get());

        session.history().apply(EditCommand.of("Predict", p -> work("w")));
        assertTrue(session.hasUnsavedWork());
        session.closeRequested(answering(ProjectSession.CloseChoice.CANCEL), noChooser(), closes::incrementAndGet);
        assertEquals(1, closes.get(), "Cancel keeps the window");
        assertEquals(List.of(work("w")), asked);
        session.closeRequested(answering(ProjectSession.CloseChoice.DONT_SAVE), noChooser(), closes::incrementAndGet);
        assertEquals(2, closes.get());

        session.saveAs(tmp.resolve("p")).get(10, TimeUnit.SECONDS);
        assertFalse(session.hasUnsavedWork(), "autosaved into its folder");
        session.closeRequested(answering(ProjectSession.CloseChoice.CANCEL), noChooser(), closes::incrementAndGet);
        assertEquals(3, closes.get());
        assertEquals(2, asked.size(), "not asked with a folder");
    }

    @Test
    void saveClosesOnlyOnceTheSaveSucceededAndOneQuestionAtATime() throws Exception {
        session.history().apply(EditCommand.of("Predict", p -> work("w")));
        ProjectSession.CloseQuestion save = answering(ProjectSession.CloseChoice.SAVE);
        session.closeRequested(save, Optional::empty, closes::incrementAndGet);
        assertEquals(0, closes.get(), "chooser cancelled: the window stays");
        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        session.closeRequested(save, () -> Optional.of(notAFolder.resolve("p")), closes::incrementAndGet);
        assertEquals(0, closes.get(), "save failed: the window stays");
        assertTrue(session.hasUnsavedWork());

        List<java.util.function.Consumer<ProjectSession.CloseChoice>> pending = new ArrayList<>();
        session.closeRequested((p, answer) -> pending.add(answer), noChooser(), closes::incrementAndGet);
        session.closeRequested((p, answer) -> pending.add(answer), noChooser(), closes::incrementAndGet);
        assertEquals(1, pending.size(), "one question at a time");
        Path dir = tmp.resolve("saved");
        session.closeRequested(save, () -> Optional.of(dir), closes::incrementAndGet);
        assertEquals(0, closes.get(), "ignored while the first is answered");
        pending.get(0).accept(ProjectSession.CloseChoice.CANCEL);

        session.closeRequested(save, () -> Optional.of(dir), closes::incrementAndGet);
        assertEquals(1, closes.get());
        assertEquals(dir, session.folder());
        assertEquals(work("w"), store.load(dir).project());
    }

    // ------------------------------------------------------------------ crash recovery

    /** What a killed session leaves: a marker naming a process that is gone (our pid, started in 1970). */
    private Path crashedSession(Path root, Project unsaved, Path projectFolder) throws Exception {
        Path dir = Files.createDirectories(root.resolve(ProcessHandle.current().pid() + "-1000-1"));
        Files.writeString(dir.resolve(SessionRecovery.MARKER), "{\"pid\": " + ProcessHandle.current().pid()
                + ", \"processStartMillis\": 1000, \"startedMillis\": 1000, \"projectFolder\": "
                + (projectFolder == null ? "null" : "\"" + projectFolder.toString().replace("\\", "\\\\") + "\"")
                + "}");
        if (unsaved != null) {
            store.save(unsaved, dir.resolve("copy-1"));
        }
        return dir;
    }

    private static ProjectSession.RecoveryQuestion answering(ProjectSession.RecoveryChoice choice) {
        return (c, answer) -> answer.accept(choice);
    }

    @Test
    void restoreMakesAnUnsavedCopyCurrentWithoutAFolder() throws Exception {
        Path root = tmp.resolve("recovery");
        Path crashed = crashedSession(root, work("lost"), null);
        session.saveAs(tmp.resolve("mine")).get(10, TimeUnit.SECONDS);
        events.clear();

        Optional<ProjectSession.RecoveryChoice> choice = session.startRecovery(root,
                answering(ProjectSession.RecoveryChoice.RESTORE)).get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of(ProjectSession.RecoveryChoice.RESTORE), choice);
        assertEquals(work("lost"), session.project());
        assertNull(session.folder(), "still unsaved: Save as asks where");
        assertFalse(session.history().canUndo());
        assertEquals(List.of("folder null", "replacing"), events.subList(0, 2));
        assertTrue(events.get(2).startsWith("message Restored the unsaved work from "), events.get(2));
        waitFor(() -> !Files.exists(crashed), "the crashed copy goes once ours is written");
    }

    @Test
    void restoreOpensTheProjectFolderACrashedSessionWasEditing() throws Exception {
        Path root = tmp.resolve("recovery");
        Path folder = tmp.resolve("edited");
        store.save(work("autosaved"), folder);
        Path crashed = crashedSession(root, null, folder);

        session.startRecovery(root, (c, answer) -> {
            assertFalse(c.hasUnsavedCopy());
            assertEquals(folder, c.projectFolder());
            answer.accept(ProjectSession.RecoveryChoice.RESTORE);
        }).get(10, TimeUnit.SECONDS);
        assertEquals(work("autosaved"), session.project());
        assertEquals(folder, session.folder());
        waitFor(() -> !Files.exists(crashed), "the leftover goes once the folder is open");
    }

    @Test
    void discardDeletesLaterKeepsAndNothingCrashedAsksNothing() throws Exception {
        Path root = tmp.resolve("recovery");
        Path crashed = crashedSession(root, work("lost"), null);
        session.startRecovery(root, answering(ProjectSession.RecoveryChoice.LATER)).get(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(crashed), "Later keeps it for the next start");
        assertEquals(Project.empty("Untitled"), session.project());
        session.close().get(10, TimeUnit.SECONDS);

        session = new ProjectSession(Project.empty("Untitled"), store, DIRECT, scheduler, DIRECT);
        session.startRecovery(root, answering(ProjectSession.RecoveryChoice.DISCARD)).get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(crashed));
        assertEquals(Project.empty("Untitled"), session.project());
        session.close().get(10, TimeUnit.SECONDS);

        session = new ProjectSession(Project.empty("Untitled"), store, DIRECT, scheduler, DIRECT);
        assertEquals(Optional.empty(), session.startRecovery(root, (c, a) -> {
            throw new AssertionError("nothing crashed, nothing to ask");
        }).get(10, TimeUnit.SECONDS));
        assertThrows(IllegalStateException.class, () -> session.startRecovery(root, answering(
                ProjectSession.RecoveryChoice.LATER)));
    }

    @Test
    void unsavedEditsAreCopiedUntilSavedAndACleanCloseRemovesTheSession() throws Exception {
        Path root = tmp.resolve("recovery");
        session.startRecovery(root, answering(ProjectSession.RecoveryChoice.LATER)).get(10, TimeUnit.SECONDS);
        try (var s = Files.list(root)) {
            assertEquals(1, s.count(), "this session's marker");
        }
        session.history().apply(EditCommand.of("Predict", p -> work("w")));
        Path mine;
        try (var s = Files.list(root)) {
            mine = s.findFirst().orElseThrow();
        }
        waitFor(() -> Files.isRegularFile(mine.resolve("copy-1").resolve(ProjectStore.MANIFEST)), "the copy");

        session.saveAs(tmp.resolve("p")).get(10, TimeUnit.SECONDS);
        waitFor(() -> !Files.exists(mine.resolve("copy-1")), "saved: the folder has its own autosave");
        session.close().get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(mine), "clean exit: marker gone");
    }
}
