package ovavss.studio.ui.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Closing with or without unsaved work, through the project view model without a toolkit (one
 * single-thread executor stands in for the FX thread): only a project without a folder that holds
 * an object is asked about, and the window closes only when the answer and its save allow it.
 */
class CloseRequestTest {
    @TempDir
    Path tmp;

    private ProjectViewModelFixture fixture;
    private ProjectViewModel vm;
    private final AtomicInteger closes = new AtomicInteger();
    private final List<Project> asked = new ArrayList<>();

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

    private SaveChangesPrompt answering(SaveChangesPrompt.Choice choice) {
        return (p, answer) -> {
            asked.add(p);
            answer.accept(choice);
        };
    }

    /** Asks to close on the fx thread and waits for what that request started (a save) to settle. */
    private void requestClose(SaveChangesPrompt prompt, Supplier<Optional<Path>> folder) throws Exception {
        onFx(() -> {
            vm.closeRequested(prompt, folder, closes::incrementAndGet);
            return null;
        });
        // A save runs on io and completes on fx: drain both, in that order.
        fixture.io.submit(() -> { }).get(20, TimeUnit.SECONDS);
        onFx(() -> null);
    }

    private void makeWork() throws Exception {
        onFx(() -> vm.replaceProject(ProjectRecoveryTest.work("Untitled"), "Predict"));
    }

    private static Supplier<Optional<Path>> noChooser() {
        return () -> {
            throw new AssertionError("no folder should be asked for");
        };
    }

    @Test
    void aProjectWithAFolderClosesWithoutAsking() throws Exception {
        makeWork();
        onFx(() -> vm.saveAs(tmp.resolve("p"))).get(20, TimeUnit.SECONDS);
        assertFalse(onFx(vm::hasUnsavedWork), "autosaved into its folder");
        requestClose(answering(SaveChangesPrompt.Choice.CANCEL), noChooser());
        assertEquals(1, closes.get());
        assertTrue(asked.isEmpty(), "not asked");
    }

    @Test
    void aProjectWithoutObjectsClosesWithoutAsking() throws Exception {
        assertFalse(onFx(vm::hasUnsavedWork), "nothing a crash would have offered back");
        requestClose(answering(SaveChangesPrompt.Choice.CANCEL), noChooser());
        assertEquals(1, closes.get());
        assertTrue(asked.isEmpty());
    }

    @Test
    void cancelKeepsTheWindowAndDontSaveCloses() throws Exception {
        makeWork();
        assertTrue(onFx(vm::hasUnsavedWork));
        requestClose(answering(SaveChangesPrompt.Choice.CANCEL), noChooser());
        assertEquals(0, closes.get());
        assertEquals(List.of(ProjectRecoveryTest.work("Untitled")), asked, "asked about the project as it is");
        requestClose(answering(SaveChangesPrompt.Choice.DONT_SAVE), noChooser());
        assertEquals(1, closes.get());
    }

    @Test
    void saveClosesOnlyAfterTheSaveCompleted() throws Exception {
        makeWork();
        requestClose(answering(SaveChangesPrompt.Choice.SAVE), Optional::empty);
        assertEquals(0, closes.get(), "chooser cancelled: the window stays");

        Path notAFolder = Files.writeString(tmp.resolve("file"), "x");
        requestClose(answering(SaveChangesPrompt.Choice.SAVE), () -> Optional.of(notAFolder.resolve("p")));
        assertEquals(0, closes.get(), "save failed: the window stays");
        assertNull(onFx(vm::getProjectPath));
        assertTrue(onFx(vm::hasUnsavedWork));

        Path dir = tmp.resolve("saved");
        requestClose(answering(SaveChangesPrompt.Choice.SAVE), () -> Optional.of(dir));
        assertEquals(1, closes.get());
        assertEquals(dir, onFx(vm::getProjectPath));
        assertEquals(ProjectRecoveryTest.work("Untitled"), new ProjectStore().load(dir).project());
    }

    @Test
    void aSecondRequestWhileTheFirstIsAnsweredIsIgnored() throws Exception {
        makeWork();
        List<java.util.function.Consumer<SaveChangesPrompt.Choice>> pending = new ArrayList<>();
        SaveChangesPrompt later = (p, answer) -> pending.add(answer);
        requestClose(later, noChooser());
        requestClose(later, noChooser());
        assertEquals(1, pending.size(), "one question at a time");
        onFx(() -> {
            pending.get(0).accept(SaveChangesPrompt.Choice.DONT_SAVE);
            return null;
        });
        assertEquals(1, closes.get());
    }
}
