package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.cli.StudioCli;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * File › Export AVSBench through the real window: the same files as {@code export --project} on the
 * same project, byte for byte, for a clip opened from a video file; Cancel leaves no output folder.
 */
@ExtendWith(ApplicationExtension.class)
class ExportFxTest {
    private MainWindowFixture window;
    private MainView view;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1280, 800);
        view = window.view;
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private static String statusText(FxRobot robot) {
        return robot.lookup("#export-status").queryAs(Label.class).getText();
    }

    private static void openExportDialog(FxRobot robot) {
        robot.clickOn("File");
        robot.clickOn("Export AVSBench…");
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void windowExportOfAVideoClipEqualsTheCommandLineExport(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path sample = SampleClip.path();
        fx(() -> view.open(sample)).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.video.shownFrameProperty().get() == 0
                && view.project.currentClip().isPresent() && view.overlay.compositor() != null));
        // an object with a brush stroke, sounding at keyframe 0
        robot.type(KeyCode.N);
        robot.type(KeyCode.B);
        robot.moveTo(window.screen(60.5, 60.5)).press(MouseButton.PRIMARY).moveTo(window.screen(150.5, 80.5))
                .release(MouseButton.PRIMARY);
        Point2D cell = fx(() -> view.editing.lanes().localToScreen(view.editing.lanes().xOf(0.6),
                view.editing.lanes().laneCentre("o1")));
        robot.clickOn(cell);
        WaitForAsyncUtils.waitForFxEvents();
        Path projectDir = tmp.resolve("project");
        fx(() -> view.project.saveAs(projectDir)).get(20, TimeUnit.SECONDS);

        Path fromWindow = tmp.resolve("window-export");
        openExportDialog(robot);
        robot.clickOn("#export-destination").write(fromWindow.toString());
        robot.clickOn("#export-start");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> statusText(robot).startsWith("Exported")
                || statusText(robot).startsWith("Export failed"));
        assertTrue(statusText(robot).startsWith("Exported 1 clip(s)"), statusText(robot));

        Path fromCli = tmp.resolve("cli-export");
        assertEquals(0, StudioCli.run("export", "--project", projectDir.toString(), "--out", fromCli.toString()));

        List<Path> files = tree(fromWindow);
        assertEquals(tree(fromCli), files);
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("frames/0.jpg")), "frames decoded: " + files);
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("audio.wav")), "audio written: " + files);
        assertTrue(files.stream().anyMatch(f -> f.toString().endsWith("labels_semantic/0.png")), files.toString());
        assertTrue(files.contains(Path.of("metadata.csv")) && files.contains(Path.of("label2idx.json")));
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(fromCli.resolve(f)), Files.readAllBytes(fromWindow.resolve(f)),
                    "same bytes: " + f);
        }
    }

    @Test
    void cancelMidExportLeavesNoOutputFolder(FxRobot robot, @TempDir Path tmp) throws Exception {
        String media = SampleClip.path().toAbsolutePath().toString();
        Project many = Project.empty("many");
        for (int i = 0; i < 300; i++) {
            many = many.withClip(Clip.of("clip" + i, media, 10, 320, 240));
        }
        Project p = many;
        fx(() -> {
            view.project.newProject(p);
            return null;
        });
        Path out = tmp.resolve("export");
        openExportDialog(robot);
        robot.clickOn("#export-destination").write(out.toString());
        fx(() -> {
            robot.lookup("#export-threads").queryAs(Spinner.class).getValueFactory().setValue(1);
            return null;
        });
        robot.clickOn("#export-start");
        ProgressBar bar = robot.lookup("#export-progress").queryAs(ProgressBar.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> bar.getProgress() > 0 && bar.getProgress() < 1);
        robot.clickOn("#export-cancel");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> statusText(robot).startsWith("Cancelled"));
        assertFalse(Files.exists(out), "no output folder after Cancel");
        try (Stream<Path> s = Files.list(tmp)) {
            assertEquals(List.of(), s.toList(), "no staging folder left beside it");
        }
    }

    private static List<Path> tree(Path root) throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(Files::isRegularFile).map(root::relativize).sorted().forEach(files::add);
        }
        return files;
    }
}
