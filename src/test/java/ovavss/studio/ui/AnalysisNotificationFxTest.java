package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.stage.Popup;
import javafx.stage.Stage;
import javafx.stage.Window;
import ovavss.studio.ui.analysis.AnalysisViewModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A finished analysis shows a notification only when the app turned them on, and it takes no focus. */
@ExtendWith(ApplicationExtension.class)
class AnalysisNotificationFxTest {
    private MainWindowFixture window;
    private MainView view;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1000, 700);
        view = window.view;
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private static List<Popup> popups() {
        return Window.getWindows().stream().filter(w -> w instanceof Popup && w.isShowing()).map(w -> (Popup) w)
                .toList();
    }

    private static boolean shows(Node n, String text) {
        if (n instanceof Label l && text.equals(l.getText())) {
            return true;
        }
        return n instanceof Parent p && p.getChildrenUnmodifiable().stream().anyMatch(c -> shows(c, text));
    }

    @Test
    void notifiesWithoutTakingFocusOnlyWhenEnabled() throws Exception {
        Node focused = fx(() -> {
            view.overlay.requestFocus();
            return window.stage.getScene().getFocusOwner();
        });
        fx(() -> {
            view.notifyFinished(new AnalysisViewModel.Outcome(false, "2 object(s)", 1));
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), fx(AnalysisNotificationFxTest::popups), "off by default (tests, --screenshot)");

        fx(() -> {
            view.setNotificationsEnabled(true);
            view.notifyFinished(new AnalysisViewModel.Outcome(false, "2 object(s)", 2));
            view.notifyFinished(new AnalysisViewModel.Outcome(true, "the model failed", 3));
            return null;
        });
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> popups().size() == 2));
        assertTrue(fx(() -> popups().stream().anyMatch(p -> p.getContent().stream()
                .anyMatch(n -> shows(n, "Analysis finished")))));
        assertTrue(fx(() -> popups().stream().anyMatch(p -> p.getContent().stream()
                .anyMatch(n -> shows(n, "Analysis failed")))));
        assertTrue(fx(() -> window.stage.isFocused()), "the window keeps the focus");
        assertSame(focused, fx(() -> window.stage.getScene().getFocusOwner()));
    }
}
