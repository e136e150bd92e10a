package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.ButtonBase;
import javafx.scene.control.Slider;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Playback and editing keys do only what they are bound to, whatever control has the focus: a
 * focused Slider acts on Home/End *released*, so consuming the press alone let End seek to the
 * last frame and drag the mask opacity to 1 at once.
 */
@ExtendWith(ApplicationExtension.class)
class KeyFocusFxTest {
    private MainWindowFixture window;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1280, 800);
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private void openSample() throws Exception {
        Path sample = SampleClip.path();
        WaitForAsyncUtils.asyncFx(() -> window.view.open(sample)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
    }

    @Test
    void endAndHomeSeekWithoutMovingAFocusedSlider(FxRobot robot) throws Exception {
        openSample();
        Slider opacity = fx(() -> (Slider) window.view.lookup("#mask-opacity"));
        fx(() -> {
            opacity.requestFocus();
            return null;
        });
        double before = fx(opacity::getValue);
        robot.press(KeyCode.END).release(KeyCode.END);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(249, fx(() -> window.view.player.frameIndexProperty().get()), "End seeks to the last frame");
        assertEquals(before, fx(opacity::getValue), "End leaves the focused slider alone");
        robot.press(KeyCode.HOME).release(KeyCode.HOME);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, fx(() -> window.view.player.frameIndexProperty().get()));
        assertEquals(before, fx(opacity::getValue), "Home leaves the focused slider alone");
    }

    @Test
    void aPanelButtonHandsTheKeyboardBackToTheVideo(FxRobot robot) throws Exception {
        openSample();
        robot.clickOn("#analyse-button");
        WaitForAsyncUtils.waitForFxEvents();
        Node focus = fx(() -> window.stage.getScene().getFocusOwner());
        assertFalse(focus instanceof ButtonBase, "focus stayed on " + focus);
        robot.clickOn("#mask-opacity");
        WaitForAsyncUtils.waitForFxEvents();
        Node afterSlider = fx(() -> window.stage.getScene().getFocusOwner());
        assertFalse(afterSlider instanceof Slider, "focus stayed on " + afterSlider);
    }

    @Test
    void ctrlYRedoesAsCtrlShiftZDoes(FxRobot robot) throws Exception {
        openSample();
        fx(() -> window.view.project.apply(ovavss.studio.annotation.Edits.addClass("trumpet")));
        robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertFalse(fx(() -> window.view.project.getProject().vocabulary().get("trumpet").isPresent()));
        robot.press(KeyCode.CONTROL, KeyCode.Y).release(KeyCode.Y, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(fx(() -> window.view.project.getProject().vocabulary().get("trumpet").isPresent()), "Ctrl+Y redid");
    }
}
