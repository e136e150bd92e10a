package ovavss.studio.ui.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.prefs.Preferences;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.ui.timeline.TimelineModel;
import ovavss.studio.ui.keys.CheatSheet;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.lanes.SoundLanesPane;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The editing components on a standalone stage (headless): the overlay is shown at a
 * non-integer zoom (3.125 screen px per media px, offset by a fraction), so strokes and polygons
 * must land on exactly the media pixels under the pointer.
 */
@ExtendWith(ApplicationExtension.class)
class MaskEditorFxTest {
    private static final int W = 160;
    private static final int H = 90;
    private ProjectViewModel vm;
    private MaskOverlay overlay;
    private MaskEditor editor;
    private EditToolBar bar;
    private SoundLanesPane lanes;
    private Shortcuts keys;
    private ZoomPane zoomPane;
    private final List<Point2D> pointer = new ArrayList<>();

    @Start
    void start(Stage stage) {
        Vocabulary v = Vocabulary.empty().with(VocabularyEntry.of("dog", 0xE69F00));
        Clip clip = Clip.of("c", "m.mp4", 3, W, H).withObject(SoundingObject.of("o1", "dog"));
        vm = new ProjectViewModel(new Project("p", v, List.of(clip), java.util.Map.of()), Runnable::run, Runnable::run,
                new ProjectStore());
        vm.selectObject("o1");
        vm.keyframeProperty().set(1);
        overlay = new MaskOverlay(vm);
        zoomPane = new ZoomPane(overlay);
        zoomPane.setPrefSize(500, 300);
        zoomPane.setMinSize(500, 300);
        zoomPane.setMaxSize(500, 300);
        editor = new MaskEditor(vm, overlay);
        keys = new Shortcuts();
        editor.registerActions(keys);
        bar = new EditToolBar(vm, editor, keys);
        TimelineModel timeline = new TimelineModel();
        timeline.reset(3_000_000);
        lanes = new SoundLanesPane(vm, timeline);
        lanes.setPrefWidth(600);
        overlay.addEventFilter(MouseEvent.ANY, e -> {
            if (e.getEventType() == MouseEvent.MOUSE_PRESSED || e.getEventType() == MouseEvent.MOUSE_DRAGGED
                    || e.getEventType() == MouseEvent.MOUSE_RELEASED) {
                pointer.add(overlay.toImage(e.getX(), e.getY()));
            }
        });
        BorderPane root = new BorderPane(zoomPane, bar, null, new VBox(lanes), null);
        Scene scene = new Scene(root, 600, 420);
        keys.install(scene);
        stage.setScene(scene);
        stage.show();
    }

    private <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(5, TimeUnit.SECONDS);
    }

    private Mask mask(int k) throws Exception {
        return fx(() -> {
            ObjectFrame f = vm.currentClip().get().object("o1").get().frame(k);
            return f == null ? null : f.mask();
        });
    }

    private Point2D screen(double mx, double my) throws Exception {
        return fx(() -> {
            Point2D l = overlay.toLocal(mx, my);
            return overlay.localToScreen(l.getX(), l.getY());
        });
    }

    private double[] recorded() {
        double[] xy = new double[pointer.size() * 2];
        for (int i = 0; i < pointer.size(); i++) {
            xy[2 * i] = pointer.get(i).getX();
            xy[2 * i + 1] = pointer.get(i).getY();
        }
        return xy;
    }

    @Test
    void strokeLandsOnTheMediaPixelsUnderThePointerThenUndoRedo(FxRobot robot) throws Exception {
        assertEquals(3.125, fx(overlay::scale), 1e-9, "a zoom that is not a whole number");
        fx(() -> {
            editor.brushRadiusProperty().set(4);
            return null;
        });
        robot.type(KeyCode.B);
        pointer.clear();
        robot.moveTo(screen(30.3, 40.7)).press(MouseButton.PRIMARY).moveTo(screen(75.2, 52.1))
                .moveTo(screen(120.6, 30.4)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Mask painted = mask(1);
        assertEquals(MaskOps.stroke(W, H, recorded(), 4), painted, "exactly the pixels within 4 px of the path");
        assertTrue(painted.get(30, 40) && painted.get(75, 52) && painted.get(120, 30));
        // the screen shows what the project holds: every painted pixel is opaque in the overlay image
        int[] argb = fx(() -> overlay.compositor().argb().clone());
        int shown = 0;
        for (int i = 0; i < argb.length; i++) {
            shown += (argb[i] >>> 24) != 0 ? 1 : 0;
        }
        assertEquals(painted.area(), shown);
        assertEquals("Brush stroke", fx(() -> vm.undoTextProperty().get()));

        robot.press(KeyCode.CONTROL).type(KeyCode.Z).release(KeyCode.CONTROL);
        assertNull(mask(1), "undo removes the stroke");
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertEquals(painted, mask(1), "redo brings it back");

        // eraser through the middle
        robot.type(KeyCode.E);
        pointer.clear();
        robot.moveTo(screen(75.5, 20.5)).press(MouseButton.PRIMARY).moveTo(screen(75.5, 70.5)).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(MaskOps.paintStroke(painted, recorded(), 4, true), mask(1));
    }

    @Test
    void wheelZoomKeepsPaintingPixelExact(FxRobot robot) throws Exception {
        Point2D at = screen(80.5, 45.5);
        // TestFX's "DOWN" arrives as a positive deltaY under Monocle (wheel away from the user: zoom in)
        robot.moveTo(at).scroll(4, javafx.geometry.VerticalDirection.DOWN);
        WaitForAsyncUtils.waitForFxEvents();
        double z = fx(() -> zoomPane.zoomProperty().get());
        assertTrue(z > 1.5, "zoomed: " + z);
        // the robot points at whole screen pixels: the anchor is within a pixel of the media point
        assertEquals(at.getX(), screen(80.5, 45.5).getX(), 1.5, "the point under the wheel stays put");
        fx(() -> {
            editor.toolProperty().set(MaskEditor.Tool.BRUSH);
            editor.brushRadiusProperty().set(1.5);
            return null;
        });
        pointer.clear();
        robot.moveTo(screen(70.5, 40.5)).press(MouseButton.PRIMARY).moveTo(screen(90.5, 50.5))
                .release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        Mask m = mask(1);
        assertEquals(MaskOps.stroke(W, H, recorded(), 1.5), m);
        assertTrue(m.get(70, 40) && m.get(80, 45) && m.get(90, 50) && !m.get(70, 50));
        // Alt+drag pans without painting
        robot.press(KeyCode.ALT).drag(screen(60.5, 30.5), MouseButton.PRIMARY).dropBy(-40, -20).release(KeyCode.ALT);
        assertEquals(m, mask(1));
        fx(() -> {
            zoomPane.reset();
            return null;
        });
        assertEquals(1, fx(() -> zoomPane.zoomProperty().get()), 1e-9);
    }

    @Test
    void polygonClicksCloseWithEnterAndBackspaceRemovesAPoint(FxRobot robot) throws Exception {
        robot.type(KeyCode.P);
        pointer.clear();
        robot.clickOn(screen(20.5, 10.5)).clickOn(screen(90.5, 12.5)).clickOn(screen(5.5, 5.5));
        robot.type(KeyCode.BACK_SPACE);
        assertEquals(4, fx(() -> editor.polygonPoints().size()));
        robot.clickOn(screen(60.5, 80.5));
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        // presses were recorded (the clicks' releases too): points are every other entry
        double[] xy = recorded();
        double[] pts = {xy[0], xy[1], xy[4], xy[5], xy[12], xy[13]};
        assertEquals(MaskOps.polygon(W, H, pts), mask(1));
        assertEquals(0, fx(() -> editor.polygonPoints().size()));
        assertEquals("Polygon", fx(() -> vm.undoTextProperty().get()));
    }

    @Test
    void laneClickAndDragSetFlagsInOneStepAndSToggles(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        Point2D k0 = fx(() -> lanes.localToScreen(lanes.xOf(0.5), lanes.laneCentre("o1")));
        Point2D k2 = fx(() -> lanes.localToScreen(lanes.xOf(2.5), lanes.laneCentre("o1")));
        robot.moveTo(k0).press(MouseButton.PRIMARY).moveTo(k2).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();
        for (int k = 0; k < 3; k++) {
            int kk = k;
            assertEquals(SoundFlag.SOUNDING, fx(() -> vm.currentClip().get().object("o1").get().frame(kk).sound()));
        }
        assertTrue(fx(() -> vm.undoTextProperty().get()).contains("3 keyframes"));
        robot.clickOn(k2);
        assertEquals(SoundFlag.SILENT, fx(() -> vm.currentClip().get().object("o1").get().frame(2).sound()));
        // S toggles the selected object on the current keyframe (1)
        robot.type(KeyCode.S);
        assertEquals(SoundFlag.SILENT, fx(() -> vm.currentClip().get().object("o1").get().frame(1).sound()));
        fx(vm::undo);
        fx(vm::undo);
        fx(vm::undo);
        assertNull(fx(() -> vm.currentClip().get().object("o1").get().frame(0)), "the drag was one step");
    }

    @Test
    void typingANewLabelAddsTheClass(FxRobot robot) throws Exception {
        robot.clickOn("#label-choice");
        robot.press(KeyCode.CONTROL).type(KeyCode.A).release(KeyCode.CONTROL);
        robot.write("trumpet");
        assertEquals(KeyCode.B, fx(() -> keys.keys("tool.brush")) instanceof KeyCodeCombination k ? k.getCode() : null);
        assertEquals(MaskEditor.Tool.SELECT, fx(() -> editor.toolProperty().get()),
                "typing 'p' and 'e' chose no tool (Select, the first tool, is still on)");
        robot.type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("trumpet", fx(() -> vm.selectedObject().get().label()));
        assertTrue(fx(() -> vm.getProject().vocabulary().contains("trumpet")));
        fx(vm::undo);
        assertEquals("dog", fx(() -> vm.selectedObject().get().label()));
        assertFalse(fx(() -> vm.getProject().vocabulary().contains("trumpet")));
    }

    @Test
    void theLabelBoxSearchesTheVocabulary(FxRobot robot) throws Exception {
        robot.clickOn("#label-choice").write("cat").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("cat", fx(() -> vm.selectedObject().get().label()), "a name that matches nothing is added");
        // a part of a listed name, in any case, picks it
        robot.clickOn("#label-choice").write("DO").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("dog", fx(() -> vm.selectedObject().get().label()));
        // Escape keeps the label and adds nothing
        robot.clickOn("#label-choice").write("xyz").type(KeyCode.ESCAPE);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("dog", fx(() -> vm.selectedObject().get().label()));
        assertFalse(fx(() -> vm.getProject().vocabulary().contains("xyz")));
        assertFalse(fx(() -> ((javafx.scene.control.ComboBox<?>) robot.lookup("#label-choice").query()).isShowing()));
        // the object.label keys open it too
        robot.press(KeyCode.CONTROL).type(KeyCode.L).release(KeyCode.CONTROL);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS,
                () -> fx(() -> ((javafx.scene.control.ComboBox<?>) robot.lookup("#label-choice").query()).isShowing()));
        robot.write("Cat").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals("cat", fx(() -> vm.selectedObject().get().label()));
    }

    @Test
    void cheatSheetRebindsWithConflictDetection(FxRobot robot) throws Exception {
        Preferences prefs = Preferences.userRoot().node("ovavss-test/sheet-" + System.nanoTime());
        try {
            String msg = fx(() -> {
                CheatSheet sheet = new CheatSheet(keys, prefs);
                String clash = sheet.assign("tool.fill", new KeyCodeCombination(KeyCode.B));
                assertTrue(clash.contains("Brush"), clash);
                return sheet.assign("tool.fill", new KeyCodeCombination(KeyCode.K));
            });
            assertTrue(msg.contains("K"), msg);
            assertEquals("K", prefs.get("tool.fill", null));
            robot.type(KeyCode.K);
            assertEquals(MaskEditor.Tool.FILL, fx(() -> editor.toolProperty().get()));
            fx(() -> {
                editor.toolProperty().set(MaskEditor.Tool.BRUSH);
                return null;
            });
            robot.type(KeyCode.F);
            assertEquals(MaskEditor.Tool.BRUSH, fx(() -> editor.toolProperty().get()), "F is free now and does nothing");
        } finally {
            prefs.removeNode();
        }
    }
}
