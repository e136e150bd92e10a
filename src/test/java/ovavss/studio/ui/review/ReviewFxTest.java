package ovavss.studio.ui.review;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.KeyframeStatus;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Review panel and keyframe list over a project with a model prediction and a human mask. */
@ExtendWith(ApplicationExtension.class)
class ReviewFxTest {
    private ProjectViewModel vm;
    private ReviewPanel review;
    private KeyframeList list;
    private final int[] went = {-1};

    private static Mask rect(int x0, int y0, int x1, int y1) {
        return MaskOps.polygon(40, 30, new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
    }

    @Start
    void start(Stage stage) {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("dog", 0xE69F00));
        SoundingObject human = SoundingObject.of("h", "dog")
                .withFrame(0, ObjectFrame.human(rect(0, 0, 10, 10), SoundFlag.SOUNDING))
                .withFrame(2, ObjectFrame.human(rect(0, 0, 10, 10), SoundFlag.SOUNDING));
        SoundingObject model = SoundingObject.of("m-1", "dog")
                .withFrame(0, ObjectFrame.model(rect(0, 0, 10, 10), SoundFlag.SOUNDING, 0.9))
                .withFrame(2, ObjectFrame.model(rect(5, 0, 15, 10), SoundFlag.SOUNDING, 0.9))
                .withFrame(3, ObjectFrame.model(rect(5, 0, 15, 10), SoundFlag.SOUNDING, 0.9));
        Clip c = Clip.of("c", "m.mp4", 4, 40, 30).withObject(human).withObject(model);
        vm = new ProjectViewModel(new Project("p", v, List.of(c), Map.of()), Runnable::run, Runnable::run,
                new ProjectStore());
        MaskOverlay overlay = new MaskOverlay(vm);
        review = new ReviewPanel(vm, overlay);
        review.setOnGoTo((clip, k) -> went[0] = k);
        list = new KeyframeList(vm);
        list.setOnGoTo(k -> vm.keyframeProperty().set(k));
        stage.setScene(new Scene(new BorderPane(overlay, null, list, review, null), 900, 500));
        stage.show();
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    @Test
    void diffShowsTrueMissedExtraAndScoresPerClass(FxRobot robot) throws Exception {
        fx(() -> {
            vm.keyframeProperty().set(2);
            review.showDiffProperty().set(true);
            return null;
        });
        // keyframe 2: human x 0..10, model x 5..15 -> 50 true, 50 missed, 50 extra
        assertArrayEquals(new int[] {50, 50, 50}, fx(review::shownCounts));
        ReviewPanel.ClassRow dog = fx(() -> review.rows().get(0));
        assertEquals("dog", dog.name());
        assertEquals(50.0 / 150, dog.frameIoU(), 1e-9);
        assertEquals((1 + 50.0 / 150) / 2, dog.clipIoU(), 1e-9, "keyframe 3 has no human entry: not compared");
        assertEquals(2, fx(() -> review.report().compared()));
        // clicking the class goes to its worst keyframe
        fx(() -> {
            vm.keyframeProperty().set(0);
            return null;
        });
        WaitForAsyncUtils.waitForFxEvents();
        // the table keeps a hidden measuring cell: take the one actually shown
        javafx.scene.Node dogCell = robot.lookup(".table-cell").match((javafx.scene.control.TableCell<?, ?> cell) ->
                "dog".equals(cell.getText()) && shown(cell)).query();
        robot.clickOn(dogCell);
        assertEquals(2, went[0]);
    }

    private static boolean shown(javafx.scene.Node n) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return n.getScene() != null;
    }

    @Test
    void keyframeListFiltersAndMarksReviewed(FxRobot robot) throws Exception {
        assertEquals(List.of(KeyframeStatus.EDITED, KeyframeStatus.UNTOUCHED, KeyframeStatus.EDITED,
                KeyframeStatus.PREDICTED), fx(() -> list.rows().stream().map(KeyframeList.Row::status).toList()));
        fx(() -> {
            vm.keyframeProperty().set(3);
            list.toggleReviewed();
            list.filter().setValue(KeyframeList.Filter.NOT_REVIEWED);
            return null;
        });
        assertEquals(List.of(0, 1, 2), fx(() -> list.rows().stream().map(KeyframeList.Row::keyframe).toList()));
        assertTrue(fx(list::summaryText).startsWith("1 / 4 reviewed"), fx(list::summaryText));
        fx(() -> {
            list.filter().setValue(KeyframeList.Filter.PREDICTED);
            return null;
        });
        assertEquals(List.of(), fx(list::rows));
        fx(vm::undo);
        assertEquals(List.of(3), fx(() -> list.rows().stream().map(KeyframeList.Row::keyframe).toList()));
    }

    @Test
    void acceptAndRejectPredictionsAsSteps() throws Exception {
        fx(() -> {
            vm.keyframeProperty().set(2);
            vm.selectObject("m-1");
            vm.apply(ovavss.studio.annotation.Edits.accept("c", "m-1", 2));
            return null;
        });
        assertEquals(ovavss.studio.annotation.Provenance.HUMAN,
                fx(() -> vm.currentClip().get().object("m-1").get().frame(2).provenance()));
        fx(() -> vm.apply(ovavss.studio.annotation.Edits.reject("c", null, 3)));
        assertEquals(null, fx(() -> vm.currentClip().get().object("m-1").get().frame(3)));
        assertEquals(ovavss.studio.annotation.Provenance.MODEL,
                fx(() -> vm.currentClip().get().object("m-1").get().frame(0).provenance()), "other keyframes untouched");
        fx(vm::undo);
        fx(vm::undo);
        assertEquals(ovavss.studio.annotation.Provenance.MODEL,
                fx(() -> vm.currentClip().get().object("m-1").get().frame(2).provenance()));
    }
}
