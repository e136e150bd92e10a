package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.util.concurrent.TimeUnit;
import javafx.scene.control.Control;
import javafx.scene.control.MenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import ovavss.studio.ui.keys.Shortcuts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Menus and tooltips take their keys from the shortcut registry and follow a rebinding at once. */
@ExtendWith(ApplicationExtension.class)
class ShortcutHintsFxTest {
    private MainWindowFixture window;
    private MainView view;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1100, 720);
        view = window.view;
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private MenuItem menuItem(String id) {
        return view.menuBar.getMenus().stream().flatMap(m -> m.getItems().stream())
                .filter(i -> id.equals(i.getId())).findFirst().orElseThrow();
    }

    private static String tooltip(FxRobot robot, String query) {
        return robot.lookup(query).queryAs(Control.class).getTooltip().getText();
    }

    @Test
    void rebindingUpdatesMenuAcceleratorsAndTooltips(FxRobot robot) throws Exception {
        Shortcuts keys = view.editing.shortcuts();
        KeyCombination ctrlO = KeyCombination.keyCombination("Shortcut+O");
        assertEquals(ctrlO, fx(() -> menuItem("menu-open").getAccelerator()));
        assertTrue(fx(() -> tooltip(robot, "#toolbar-open")).contains(ctrlO.getDisplayText()));
        assertTrue(fx(() -> tooltip(robot, "#tool-brush")).endsWith("(B)"));

        KeyCombination ctrlShiftK = new KeyCodeCombination(KeyCode.K, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN);
        assertTrue(fx(() -> keys.rebind("file.open", ctrlShiftK)).ok());
        assertTrue(fx(() -> keys.rebind("tool.brush", new KeyCodeCombination(KeyCode.J))).ok());

        assertEquals(ctrlShiftK, fx(() -> menuItem("menu-open").getAccelerator()));
        String open = fx(() -> tooltip(robot, "#toolbar-open"));
        assertEquals("Open media… (" + ctrlShiftK.getDisplayText() + ")", open);
        assertTrue(fx(() -> tooltip(robot, "#tool-brush")).endsWith("(J)"));

        // The rebound accelerator works: Analyse without media says so.
        KeyCombination ctrlShiftY = new KeyCodeCombination(KeyCode.Y, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN);
        assertTrue(fx(() -> keys.rebind("analyse", ctrlShiftY)).ok());
        assertEquals(ctrlShiftY, fx(() -> menuItem("menu-analyse").getAccelerator()));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Y).release(KeyCode.SHIFT, KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> fx(() -> view.analysis.messageProperty().get()).equals("Open a clip first."));

        fx(() -> {
            keys.resetAll();
            return null;
        });
        assertEquals(ctrlO, fx(() -> menuItem("menu-open").getAccelerator()));
        assertTrue(fx(() -> tooltip(robot, "#tool-brush")).endsWith("(B)"));
    }
}
