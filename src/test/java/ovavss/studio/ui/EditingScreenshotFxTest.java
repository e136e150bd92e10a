package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.SoundingObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Makes {@code docs/screenshot-editing.png}: an AV-Shapes clip analysed by the demo bundle, a
 * human mask painted over the sounding ring, its flags set in the sound lane, the review diff
 * shown. Runs only when asked: {@code -Dovavss.editingScreenshot=out.png}.
 */
@ExtendWith(ApplicationExtension.class)
@EnabledIfSystemProperty(named = "ovavss.editingScreenshot", matches = ".+")
class EditingScreenshotFxTest {
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

    @Test
    void editingView(FxRobot robot) throws Exception {
        Path clip = Path.of("models/data/avshapes/v2/avshapes-test-000009_0_10000");
        fx(() -> view.loadModel(Path.of("models/demo-avshapes"))).get(120, TimeUnit.SECONDS);
        fx(() -> view.open(clip)).get(30, TimeUnit.SECONDS);
        fx(() -> {
            view.player.seek(2_000_000);
            return null;
        });
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> view.isFullyDrawn()
                && view.project.getKeyframe() == 2));
        fx(() -> {
            view.analyse();
            return null;
        });
        WaitForAsyncUtils.waitFor(120, TimeUnit.SECONDS, () -> fx(() -> view.analysisIdle()
                && view.project.currentClip().map(c -> !c.objects().isEmpty()).orElse(false)));
        // the sounding model object at keyframe 2 and its box
        int[] bb = fx(() -> {
            for (SoundingObject o : view.project.currentClip().get().objects()) {
                ObjectFrame f = o.frame(2);
                if (f != null && f.sound().isSounding()) {
                    return f.mask().bounds();
                }
            }
            return null;
        });
        double cx = (bb[0] + bb[2]) / 2.0;
        double cy = (bb[1] + bb[3]) / 2.0;
        double r = (bb[2] - bb[0]) / 2.0;
        robot.type(KeyCode.N);
        fx(() -> {
            // the human mask may overlap the model's (the diff is the point here)
            view.project.keepObjectsDisjointProperty().set(false);
            view.editing.editor().brushRadiusProperty().set(Math.round(r * 0.55));
            return null;
        });
        robot.type(KeyCode.B);
        // a slightly offset annotation: the diff shows true, missed and extra pixels
        robot.moveTo(window.screen(cx - r * 0.3, cy - r * 0.4)).press(MouseButton.PRIMARY)
                .moveTo(window.screen(cx + r * 0.5, cy - r * 0.2)).moveTo(window.screen(cx + r * 0.4, cy + r * 0.6))
                .moveTo(window.screen(cx - r * 0.2, cy + r * 0.5)).release(MouseButton.PRIMARY);
        robot.clickOn("#label-choice");
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("orange-ring");
        robot.type(KeyCode.ENTER);
        Point2D a = fx(() -> view.editing.lanes().localToScreen(view.editing.lanes().xOf(1.5),
                view.editing.lanes().laneCentre("o1")));
        Point2D b = fx(() -> view.editing.lanes().localToScreen(view.editing.lanes().xOf(4.5),
                view.editing.lanes().laneCentre("o1")));
        robot.moveTo(a).press(MouseButton.PRIMARY).moveTo(b).release(MouseButton.PRIMARY);
        robot.type(KeyCode.D);
        robot.moveTo(window.screen(cx + r * 2.2, cy + r * 1.2));
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> fx(() -> view.isFullyDrawn()
                && !view.editing.lanes().suggestions().isEmpty()));
        WaitForAsyncUtils.sleep(500, TimeUnit.MILLISECONDS);
        Path out = Path.of(System.getProperty("ovavss.editingScreenshot"));
        fx(() -> {
            StudioApp.writeSnapshot(view.getScene(), out);
            return null;
        });
        assertTrue(Files.size(out) > 0);
    }
}
