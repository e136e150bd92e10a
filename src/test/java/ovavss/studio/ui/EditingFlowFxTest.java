package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.geometry.Point2D;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.KeyframeStatus;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.VocabularyEntry;
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
 * The annotation flow through the real main window (headless): new object, brush stroke, undo,
 * redo, polygon, a flag set in the sound lane, a label typed as a new name, save, AVSBench export,
 * and re-opening the project finds it all; and the edit model's rules from the window.
 */
@ExtendWith(ApplicationExtension.class)
class EditingFlowFxTest {
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

    private SoundingObject object() throws Exception {
        return fx(() -> view.project.currentClip().get().object("o1").orElse(null));
    }

    private Mask mask() throws Exception {
        return fx(() -> {
            ObjectFrame f = view.project.currentClip().get().object("o1").get().frame(0);
            return f == null ? null : f.mask();
        });
    }

    @Test
    void paintUndoRedoPolygonFlagLabelSaveExportReopen(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path sample = SampleClip.path();
        fx(() -> view.open(sample)).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.video.shownFrameProperty().get() == 0
                && view.project.currentClip().isPresent() && view.overlay.compositor() != null));
        assertEquals(0, (int) fx(view.project::getKeyframe));

        // N: a new object, selected
        robot.type(KeyCode.N);
        assertNotNull(object());
        assertEquals("o1", fx(view.project::getSelectedObjectId));

        // brush stroke, then undo and redo by keys
        robot.type(KeyCode.B);
        robot.moveTo(window.screen(60.5, 60.5)).press(MouseButton.PRIMARY).moveTo(window.screen(110.5, 80.5))
                .moveTo(window.screen(150.5, 80.5)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Mask stroke = mask();
        assertNotNull(stroke);
        assertTrue(stroke.get(60, 60) && stroke.get(150, 80) && !stroke.get(10, 200), stroke.toString());
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertNull(mask());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertEquals(stroke, mask());

        // polygon: three clicks and Enter add a triangle
        robot.type(KeyCode.P);
        robot.clickOn(window.screen(200.5, 150.5)).clickOn(window.screen(300.5, 150.5)).clickOn(window.screen(250.5, 220.5));
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        Mask both = mask();
        assertTrue(both.get(250, 170) && both.get(60, 60), "triangle added to the stroke");
        assertTrue(both.area() > stroke.area() + 2000);

        // sound lane: click keyframe 0 of o1 -> sounding
        Point2D cell = fx(() -> view.editing.lanes().localToScreen(view.editing.lanes().xOf(0.6),
                view.editing.lanes().laneCentre("o1")));
        robot.clickOn(cell);
        assertEquals(SoundFlag.SOUNDING, object().frame(0).sound());

        // type a new label
        robot.clickOn("#label-choice");
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("violin");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("violin", object().label());
        assertTrue(fx(() -> view.project.getProject().vocabulary().contains("violin")));
        assertEquals(KeyframeStatus.EDITED, fx(() -> view.editing.keyframes().rows().get(0).status()));

        // save, export, start over, re-open
        Path dir = tmp.resolve("project");
        fx(() -> view.project.saveAs(dir)).get(20, TimeUnit.SECONDS);
        Path out = tmp.resolve("export");
        fx(() -> {
            view.editing.exportDialog().setDestination(out);
            return view.editing.exportDialog().start();
        }).get(30, TimeUnit.SECONDS);
        Path png;
        try (Stream<Path> s = Files.walk(out)) {
            png = s.filter(p -> p.toString().endsWith("labels_semantic/0.png")).findFirst().orElseThrow();
        }
        BufferedImage img = ImageIO.read(png.toFile());
        int on = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                on += (img.getRaster().getSample(x, y, 0) != 0) ? 1 : 0;
            }
        }
        assertEquals(both.area(), on, "the exported label map holds exactly the sounding mask");
        assertTrue(Files.readString(out.resolve("label2idx.json")).contains("violin"));

        fx(() -> {
            view.project.newProject(Project.empty("other"));
            return null;
        });
        assertTrue(fx(() -> view.project.getProject().clips().isEmpty()));
        fx(() -> view.project.open(dir)).get(20, TimeUnit.SECONDS);
        Clip c = fx(() -> view.project.getProject().clips().get(0));
        SoundingObject o = c.object("o1").orElseThrow();
        assertEquals("violin", o.label());
        assertEquals(both, o.frame(0).mask());
        assertEquals(SoundFlag.SOUNDING, o.frame(0).sound());
        assertEquals(List.of(KeyframeStatus.EDITED), KeyframeStatus.all(c).subList(0, 1));
    }

    private void typeLabel(FxRobot robot, String text) {
        robot.clickOn("#label-choice");
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write(text);
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private List<String> classes() throws Exception {
        return fx(() -> view.project.getProject().vocabulary().entries().stream().map(VocabularyEntry::name).toList());
    }

    /**
     * The edit model's rules ({@link ovavss.studio.annotation.Edits}) from the window's entry points:
     * spellings typed in the label box and the vocabulary editor are one class, and a sound flag
     * needs no mask.
     */
    @Test
    void spellingsAreOneClassAndASoundFlagNeedsNoMask(FxRobot robot) throws Exception {
        fx(() -> view.open(SampleClip.path())).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.video.shownFrameProperty().get() == 0
                && view.project.currentClip().isPresent() && view.overlay.compositor() != null));
        robot.type(KeyCode.N);
        String first = object().label();
        List<String> before = classes();
        assertTrue(before.contains(first), before.toString());

        // "Red Circle" in the label box: the class red-circle, added in the same step
        typeLabel(robot, "Red Circle");
        assertEquals("red-circle", object().label());
        List<String> after = new java.util.ArrayList<>(before);
        after.add("red-circle");
        assertEquals(after, classes());
        String step = fx(() -> view.project.undoTextProperty().get());
        // another spelling of it is no change and no step
        typeLabel(robot, "red_circle");
        assertEquals("red-circle", object().label());
        assertEquals(after, classes());
        assertEquals(step, fx(() -> view.project.undoTextProperty().get()));
        // one undo takes back the label and the class, redo brings both
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertEquals(first, object().label());
        assertEquals(before, classes());
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertEquals("red-circle", object().label());
        assertEquals(after, classes());

        // S on keyframe 0, where o1 has no mask: the flag is kept on an empty mask
        assertNull(object().frame(0));
        robot.type(KeyCode.S);
        assertEquals(SoundFlag.SOUNDING, object().frame(0).sound());
        assertTrue(object().frame(0).mask().isEmpty());
        // a click in the sound lane on keyframe 2: the same rule, undone and redone by keys
        assertNull(object().frame(2));
        Point2D cell = fx(() -> view.editing.lanes().localToScreen(view.editing.lanes().xOf(2.5),
                view.editing.lanes().laneCentre("o1")));
        robot.clickOn(cell);
        assertEquals(SoundFlag.SOUNDING, object().frame(2).sound());
        assertTrue(object().frame(2).mask().isEmpty());
        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertNull(object().frame(2));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertEquals(SoundFlag.SOUNDING, object().frame(2).sound());

        // the vocabulary editor spells names the same way: " red  circle " is already there
        robot.clickOn("#vocabulary-field").write(" red  circle ").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(after, classes());
        assertTrue(fx(() -> view.analysis.messageProperty().get()).contains("already"),
                fx(() -> view.analysis.messageProperty().get()));
    }

    @Test
    void f1OpensTheCheatSheetListingEveryAction(FxRobot robot) throws Exception {
        robot.type(KeyCode.F1);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> robot.lookup("#shortcut-table").tryQuery().isPresent());
        javafx.scene.control.TableView<?> t = robot.lookup("#shortcut-table").queryTableView();
        assertEquals(fx(() -> view.editing.shortcuts().actions().size()), fx(() -> t.getItems().size()));
        robot.clickOn("#shortcut-search").write("redo");
        assertEquals(1, (int) fx(() -> t.getItems().size()));
        robot.type(KeyCode.ESCAPE);
    }

    @Test
    void audioSuggestionsAreFoundAndShiftPeriodJumpsToThem(FxRobot robot) throws Exception {
        fx(() -> view.open(SampleClip.path())).get(30, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> !view.editing.lanes().suggestions().isEmpty()));
        List<ovavss.studio.audio.OnsetDetector.Suggestion> s = fx(() -> view.editing.lanes().suggestions());
        double first = s.get(0).seconds();
        robot.type(KeyCode.HOME);
        robot.press(KeyCode.SHIFT).type(KeyCode.PERIOD).release(KeyCode.SHIFT);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> view.timeline.playheadProperty().get() > 0));
        assertEquals(first, fx(() -> view.timeline.playheadProperty().get()) / 1e6, 0.05, s.toString());
        if (s.size() > 1) {
            robot.press(KeyCode.SHIFT).type(KeyCode.PERIOD).release(KeyCode.SHIFT);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> fx(() -> view.timeline.playheadProperty().get() / 1e6
                    > first + 0.01));
            robot.press(KeyCode.SHIFT).type(KeyCode.COMMA).release(KeyCode.SHIFT);
            WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Math.abs(fx(() ->
                    view.timeline.playheadProperty().get()) / 1e6 - first) < 0.05);
        }
    }
}
