package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Hyperlink;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.app.HeardNames;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.model.AnalysisMethod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The three methods in the real main window with the demo bundle: the method chooser offers the
 * bundle's methods, SeAC and OpenAVS analyses stream objects into the project like OV-AVSS's, and
 * "What do I hear?" lists names per second, a click adding one to the vocabulary.
 */
@ExtendWith(ApplicationExtension.class)
class MethodsFxTest {
    static final Path DEMO = Path.of("models/demo-avshapes");
    static final Path SAMPLE = Path.of("models/samples/avshapes-test-0.mp4");

    private MainView view;
    private WindowExecutors worker;

    @Start
    void start(Stage stage) {
        System.setProperty("ovavss.audio", "off");
        worker = WindowExecutors.create();
        view = new MainView(MediaOpener::open, worker);
        stage.setScene(StudioApp.createScene(view, 1280, 800));
        stage.show();
    }

    @AfterEach
    void tearDown() throws Exception {
        WaitForAsyncUtils.asyncFx(view::dispose).get(5, TimeUnit.SECONDS);
        worker.shutdownNow();
    }

    private static void waitUntil(int seconds, Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void seacAndOpenAvsAnalyseAndWhatDoIHearAddsAName(FxRobot robot) throws Exception {
        fx(() -> view.loadModel(DEMO));
        WaitForAsyncUtils.asyncFx(() -> view.open(SAMPLE)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        waitUntil(60, () -> fx(() -> view.analysis.methods().contains(AnalysisMethod.OPENAVS)));
        ComboBox<AnalysisMethod> chooser = robot.lookup("#analyse-method").queryAs(ComboBox.class);
        assertEquals(java.util.List.of(AnalysisMethod.OVAVSS, AnalysisMethod.SEAC, AnalysisMethod.OPENAVS),
                fx(() -> java.util.List.copyOf(chooser.getItems())));
        assertFalse(fx(chooser::isDisabled), "a bundle with three methods lets the user choose");

        for (AnalysisMethod m : new AnalysisMethod[] {AnalysisMethod.SEAC, AnalysisMethod.OPENAVS}) {
            fx(() -> {
                chooser.setValue(m);
                return null;
            });
            robot.clickOn("#analyse-button");
            waitUntil(90, () -> fx(view::analysisIdle));
            assertEquals("Done", fx(() -> view.analysis.progressTextProperty().get()),
                    fx(() -> view.analysis.messageProperty().get()));
            Clip clip = fx(() -> view.project.currentClip().orElseThrow());
            assertTrue(clip.objects().stream().anyMatch(o -> o.frames().values().stream()
                    .anyMatch(f -> f.provenance() == Provenance.MODEL)), m + " found sounding objects");
        }

        // "What do I hear?" (its tab beside Keyframes and Review): ten seconds, three names each, best first
        fx(() -> {
            javafx.scene.control.TabPane tabs = robot.lookup("#editing-side").queryAs(javafx.scene.control.TabPane.class);
            tabs.getSelectionModel().select(tabs.getTabs().stream().filter(t -> "hear-tab".equals(t.getId()))
                    .findFirst().orElseThrow());
            return null;
        });
        robot.clickOn("#hear-button");
        waitUntil(60, () -> fx(() -> !view.analysis.hearingProperty().get() && !view.analysis.heard().isEmpty()));
        assertEquals(10, fx(() -> view.analysis.heard().size()), "a 10-s clip, one line per second");
        for (HeardNames.Second s : fx(() -> java.util.List.copyOf(view.analysis.heard()))) {
            assertEquals(3, s.names().size());
            assertTrue(s.names().get(0).score() >= s.names().get(2).score(), "best first");
        }
        // a heard name is in the vocabulary (its link disabled); taken out, its link adds it back
        String name = fx(() -> view.analysis.heard().get(0).names().get(0).name());
        waitUntil(10, () -> !robot.lookup("#heard-list").lookup((Hyperlink h) -> h.getText().startsWith(name + " "))
                .queryAll().isEmpty());
        Hyperlink link = robot.lookup("#heard-list").lookup((Hyperlink h) -> h.getText().startsWith(name + " "))
                .queryAs(Hyperlink.class);
        assertTrue(fx(link::isDisabled), "a name already in the vocabulary cannot be added again");
        assertTrue(fx(() -> view.analysis.removeName(name)));
        assertFalse(fx(() -> view.analysis.inVocabulary(name)));
        waitUntil(10, () -> fx(() -> robot.lookup("#heard-list").lookup((Hyperlink h) -> h.getText().startsWith(name + " "))
                .queryAll().stream().anyMatch(h -> !((Hyperlink) h).isDisabled())));
        // the cell is rebuilt on every vocabulary change: find and fire the link in one go on the FX thread
        fx(() -> {
            ((Hyperlink) robot.lookup("#heard-list").lookup((Hyperlink h) -> h.getText().startsWith(name + " ")
                    && !h.isDisabled()).query()).fire();
            return null;
        });
        waitUntil(10, () -> fx(() -> view.analysis.inVocabulary(name)));
    }
}
