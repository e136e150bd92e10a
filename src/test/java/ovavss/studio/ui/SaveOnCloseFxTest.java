package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.scene.control.DialogPane;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.media.SampleClip;
import ovavss.studio.ui.project.SaveChangesPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * "Save the project before closing?" through the real window (headless): an object in a project
 * without a folder, the window's close request asks; Cancel keeps the window and the work, Save…
 * writes the folder (the chooser is answered by the test) and then closes; with a folder, closing
 * asks nothing.
 */
@ExtendWith(ApplicationExtension.class)
class SaveOnCloseFxTest {
    private MainWindowFixture window;
    private MainView view;
    private Stage stage;
    /** Stands in for Platform.exit, which would end the toolkit for the other tests. */
    private final AtomicInteger closes = new AtomicInteger();
    private final List<String> chooserTitles = new ArrayList<>();

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1100, 720);
        view = window.view;
        this.stage = stage;
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private void fireCloseRequest() throws Exception {
        fx(() -> {
            stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST));
            return null;
        });
    }

    private DialogPane awaitQuestion(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#save-changes-dialog").tryQuery().isPresent());
        return robot.lookup("#save-changes-dialog").query();
    }

    private SoundingObject object() throws Exception {
        return fx(() -> view.project.currentClip().flatMap(c -> c.object("o1")).orElse(null));
    }

    @Test
    void closingAsksCancelKeepsTheWorkSaveWritesTheFolderThenCloses(FxRobot robot, @TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("project");
        fx(() -> {
            view.guardClose(stage, SaveChangesPrompt.dialog(() -> stage), closes::incrementAndGet);
            view.editing.setFolderChooser(title -> {
                chooserTitles.add(title);
                return Optional.of(dir);
            });
            return view.open(SampleClip.path());
        }).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.project.currentClip().isPresent()
                && view.overlay.compositor() != null));
        robot.type(KeyCode.N);
        assertNotNull(object(), "N made an object in the unsaved project");

        fireCloseRequest();
        DialogPane question = awaitQuestion(robot);
        assertEquals("Save the project before closing?", fx(question::getHeaderText));
        robot.clickOn("Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, closes.get(), "Cancel keeps the window");
        assertTrue(fx(stage::isShowing));
        assertNotNull(object(), "and the work");
        assertTrue(chooserTitles.isEmpty());

        fireCloseRequest();
        awaitQuestion(robot);
        robot.clickOn("Save\u2026");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> closes.get() == 1);
        assertEquals(List.of("Save project as"), chooserTitles, "the chooser of Save project as");
        assertEquals(dir, fx(view.project::getProjectPath));
        assertTrue(Files.isRegularFile(dir.resolve(ProjectStore.MANIFEST)));
        SoundingObject saved = new ProjectStore().load(dir).project().clips().get(0).object("o1").orElse(null);
        assertNotNull(saved, "the folder loads back with the object");
        assertEquals(object(), saved);

        // Now it has a folder (autosaved): closing asks nothing.
        fireCloseRequest();
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(2, closes.get());
        assertTrue(robot.lookup("#save-changes-dialog").tryQuery().isEmpty(), "no question");
    }
}
