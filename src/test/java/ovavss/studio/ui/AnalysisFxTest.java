package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.geometry.Point2D;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyCode;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.app.AnalysisResults;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.SampleClipGenerator;
import ovavss.studio.ui.overlay.MaskCompositor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Analyse through the real main window (headless Monocle) with the tiny random-weight bundle:
 * Analyse → Cancel → Analyse on an AV-Shapes sample, objects in the list and masks on the
 * overlay; cancelling between windows keeps the streamed partial results; a vocabulary name
 * relabels without running the segmenter again.
 */
@ExtendWith(ApplicationExtension.class)
class AnalysisFxTest {
    static final Path TINY = Path.of("src/test/resources/bundles/tiny");
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

    private void loadTinyAndOpen(Path media) throws Exception {
        fx(() -> view.loadModel(TINY));
        WaitForAsyncUtils.asyncFx(() -> view.open(media)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        waitUntil(30, () -> fx(() -> "CPU · fp32".equals(view.status.device.getText())));
        waitUntil(15, () -> fx(() -> view.video.shownFrameProperty().get() == 0));
    }

    private String state() throws Exception {
        return fx(() -> view.analysis.progressTextProperty().get());
    }

    private void awaitIdle(int seconds) throws Exception {
        waitUntil(seconds, () -> fx(view::analysisIdle));
    }

    @Test
    void analyseCancelAnalyseShowsObjectsAndMasks(FxRobot robot) throws Exception {
        loadTinyAndOpen(SAMPLE);
        assertTrue(fx(() -> view.project.currentClip().isPresent()), "the open media has a project clip");
        assertEquals(4, fx(() -> view.project.getProject().vocabulary().size()), "the bundle's names in the editor");

        // Analyse, then Cancel at once (while the model is made ready): nothing is inferred.
        fx(() -> {
            button("#analyse-button").fire();
            assertTrue(view.analysis.runningProperty().get());
            button("#analyse-cancel").fire();
            return null;
        });
        awaitIdle(15);
        assertEquals("Cancelled", state());
        assertEquals("Cancelled before the first window", fx(() -> view.analysis.messageProperty().get()));
        assertEquals(0, fx(() -> view.analysis.windowsInferredProperty().get()));
        assertTrue(fx(() -> view.analysis.objects().isEmpty()));

        // Analyse again (a click through the real button), to the end.
        robot.clickOn("#analyse-button");
        awaitIdle(20);
        assertEquals("Done", state(), fx(() -> view.analysis.messageProperty().get()));
        assertEquals(2, fx(() -> view.analysis.windowsInferredProperty().get()), "a 10-s clip is two windows");
        TableView<?> table = robot.lookup("#analysis-objects").queryAs(TableView.class);
        int rows = fx(() -> table.getItems().size());
        assertTrue(rows > 0, "objects in the list");

        // The list's objects are the project's model objects.
        Clip clip = fx(() -> view.project.currentClip().orElseThrow());
        assertEquals(rows, clip.objects().size());
        for (SoundingObject o : clip.objects()) {
            assertTrue(o.frames().values().stream().allMatch(f -> f.provenance() == Provenance.MODEL));
        }

        // Go to a keyframe of the best object: the overlay paints its mask there.
        AnalysisResults.Summary best = fx(() -> view.analysis.objects().get(0));
        int k = best.keyframes()[best.keyframes().length - 1];
        fx(() -> {
            view.player.seek(k * 1_000_000L + 200_000);
            return null;
        });
        waitUntil(10, () -> fx(() -> view.project.getKeyframe() == k));
        Mask mask = clip.object(best.id()).orElseThrow().frame(k).mask();
        int[] px = fx(() -> topmostPixelOf(best.id(), mask));
        assertNotNull(px, "some pixel of the mask is on top");
        MaskCompositor comp = fx(() -> view.overlay.compositor());
        int argb = comp.argb()[px[1] * comp.width() + px[0]];
        assertTrue((argb >>> 24) > 0, "overlay pixel under the mask is not transparent");
        // ... and on screen: a snapshot of the overlay at that pixel's position is coloured.
        Color c = fx(() -> {
            Point2D at = view.overlay.toLocal(px[0] + 0.5, px[1] + 0.5);
            SnapshotParameters sp = new SnapshotParameters();
            sp.setFill(Color.TRANSPARENT);
            WritableImage img = view.overlay.snapshot(sp, null);
            return img.getPixelReader().getColor((int) at.getX(), (int) at.getY());
        });
        assertTrue(c.getOpacity() > 0.1, "overlay on screen at the mask: " + c);
        // Where no object is, the overlay stays transparent.
        for (int i = 0; i < comp.argb().length; i++) {
            if (comp.objectAt(i % comp.width(), i / comp.width()) == null) {
                assertEquals(0, comp.argb()[i] >>> 24);
            }
        }
        // Labels with scores over the masks.
        List<String> labels = fx(() -> view.overlay.labelTexts());
        assertTrue(labels.stream().anyMatch(t -> t.startsWith(best.label() + " ")), labels.toString());

        // Hovering the mask highlights it and its row in the list.
        Point2D screen = fx(() -> {
            Point2D at = view.overlay.toLocal(px[0] + 0.5, px[1] + 0.5);
            return view.overlay.localToScreen(at);
        });
        robot.moveTo(screen);
        waitUntil(5, () -> fx(() -> best.id().equals(view.analysis.hoveredObjectIdProperty().get())));
        int hovered = comp.argb()[px[1] * comp.width() + px[0]];
        assertTrue((hovered >>> 24) > (argb >>> 24), "hover brightens: " + Integer.toHexString(hovered));
        robot.moveTo("#analyse-button");
        waitUntil(5, () -> fx(() -> view.analysis.hoveredObjectIdProperty().get() == null));

        // The opacity slider changes the fill.
        fx(() -> {
            view.analysisPanel.maskOpacityProperty().set(1.0);
            return null;
        });
        int opaque = comp.argb()[px[1] * comp.width() + px[0]];
        assertTrue((opaque >>> 24) > (argb >>> 24), "higher opacity: " + Integer.toHexString(opaque));
    }

    /** An inner pixel (not on an outline) where {@code id} is the topmost object, or null. */
    private int[] topmostPixelOf(String id, Mask mask) {
        MaskCompositor comp = view.overlay.compositor();
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < mask.width(); x++) {
                if (mask.get(x, y) && id.equals(comp.objectAt(x, y)) && id.equals(comp.objectAt(x - 1, y))
                        && id.equals(comp.objectAt(x + 1, y)) && id.equals(comp.objectAt(x, y - 1))
                        && id.equals(comp.objectAt(x, y + 1))) {
                    return new int[] {x, y};
                }
            }
        }
        return null;
    }

    private Button button(String id) {
        return (Button) view.lookup(id);
    }

    @Test
    void aSelectedRangeAnalysesOnlyItsKeyframes() throws Exception {
        loadTinyAndOpen(SAMPLE);
        // 2.0–5.5 s holds keyframes 2, 3, 4 and 5: one (padded) window.
        fx(() -> {
            view.timeline.selectionStartProperty().set(2_000_000);
            view.timeline.selectionEndProperty().set(5_500_000);
            view.analyse();
            return null;
        });
        awaitIdle(20);
        assertEquals("Done", state(), fx(() -> view.analysis.messageProperty().get()));
        assertEquals(1, fx(() -> view.analysis.windowsInferredProperty().get()));
        Clip clip = fx(() -> view.project.currentClip().orElseThrow());
        assertFalse(clip.objects().isEmpty());
        for (SoundingObject o : clip.objects()) {
            for (int k : o.frames().keySet()) {
                assertTrue(k >= 2 && k <= 5, o.id() + " has keyframe " + k + " outside the range");
            }
        }
        // A selection inside one second holds no keyframe: a message, no run.
        fx(() -> {
            view.timeline.selectionStartProperty().set(6_200_000);
            view.timeline.selectionEndProperty().set(6_800_000);
            view.analyse();
            return null;
        });
        assertTrue(fx(view::analysisIdle));
        assertTrue(fx(() -> view.analysis.messageProperty().get()).contains("no keyframe"));
    }

    @Test
    void withoutAModelAnalyseSaysHowToGetOne() throws Exception {
        assertFalse(fx(() -> view.overlay.isVisible()), "no overlay over the placeholder");
        WaitForAsyncUtils.asyncFx(() -> view.open(SAMPLE)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        waitUntil(15, () -> fx(() -> view.overlay.isVisible()));
        fx(() -> view.loadModel(null));
        assertEquals("no model", fx(() -> view.status.device.getText()));
        fx(() -> {
            button("#analyse-button").fire();
            return null;
        });
        assertTrue(fx(view::analysisIdle));
        assertTrue(fx(() -> view.analysis.messageProperty().get()).startsWith("No model"));
    }

    @Test
    void cancelBetweenWindowsKeepsTheStreamedObjects(@TempDir Path dir) throws Exception {
        // Eight minutes of AV-Shapes (the sample looped, no re-encoding): 96 windows, so that the
        // tiny model cannot finish them all before Cancel lands (with 24 it once did, under CI load).
        Path longClip = dir.resolve("avshapes-long.mp4");
        SampleClipGenerator.loop(SAMPLE, 48, longClip, "mp4");
        loadTinyAndOpen(longClip);
        fx(() -> {
            view.analyse();
            return null;
        });
        // Results stream in: objects are in the list while the job still runs.
        waitUntil(30, () -> fx(() -> !view.analysis.objects().isEmpty() || view.analysisIdle()));
        assertFalse(fx(view::analysisIdle), "still running after the first windows: " + state() + " / "
                + fx(() -> view.analysis.messageProperty().get() + " / " + view.analysis.windowsInferredProperty().get()
                + " / " + view.player.infoProperty().get()));
        assertTrue(fx(() -> view.analysis.runningProperty().get()));
        assertTrue(fx(() -> view.project.currentClip().orElseThrow().objects().size() > 0));
        fx(() -> {
            button("#analyse-cancel").fire();
            return null;
        });
        awaitIdle(15);
        assertEquals("Cancelled", state());
        long done = fx(() -> view.analysis.windowsInferredProperty().get());
        assertTrue(done >= 1 && done < 96, "stopped between windows: " + done);
        assertFalse(fx(() -> view.analysis.objects().isEmpty()), "partial results are kept");
        assertTrue(fx(() -> view.analysis.messageProperty().get()).startsWith("Cancelled after"));
    }

    @Test
    void typingANameRelabelsWithoutInference(FxRobot robot) throws Exception {
        loadTinyAndOpen(SAMPLE);
        robot.clickOn("#analyse-button");
        awaitIdle(20);
        assertEquals("Done", state());
        long inferred = fx(() -> view.analysis.windowsInferredProperty().get());
        List<String> before = labelsOfObjects();
        assertFalse(before.isEmpty());

        // Type novel names into the editor one by one until one of them labels an object.
        List<String> added = new ArrayList<>();
        String winner = null;
        for (String name : new String[] {"purple hexagon", "white cross", "cyan star", "pink ring", "black square",
                "brown triangle", "grey circle", "orange diamond"}) {
            long relabels = fx(() -> view.analysis.relabelCount());
            robot.clickOn("#vocabulary-field").write(name).type(KeyCode.ENTER);
            String normal = name.replace(' ', '-');
            added.add(normal);
            waitUntil(10, () -> fx(() -> view.analysis.relabelCount() > relabels));
            assertTrue(fx(() -> view.project.getProject().vocabulary().contains(normal)));
            assertEquals("", fx(() -> ((TextField) view.lookup("#vocabulary-field")).getText()));
            List<String> now = labelsOfObjects();
            winner = now.stream().filter(added::contains).findFirst().orElse(null);
            if (winner != null) {
                break;
            }
        }
        assertNotNull(winner, "one of the typed names took over an object: " + labelsOfObjects());
        assertEquals(inferred, fx(() -> view.analysis.windowsInferredProperty().get()),
                "relabelling ran no inference");
        assertEquals("Done", state());

        // The overlay shows the new label at a keyframe of that object.
        String w = winner;
        AnalysisResults.Summary s = fx(() -> view.analysis.objects().stream().filter(o -> o.label().equals(w))
                .findFirst().orElseThrow());
        int k = s.keyframes()[0];
        fx(() -> {
            view.player.seek(k * 1_000_000L + 100_000);
            return null;
        });
        waitUntil(10, () -> fx(() -> view.project.getKeyframe() == k));
        waitUntil(5, () -> fx(() -> view.overlay.labelTexts().stream().anyMatch(t -> t.startsWith(w + " "))));
        // The list's label cell shows it too.
        assertTrue(robot.lookup(".table-cell").queryAllAs(javafx.scene.control.TableCell.class).stream()
                .anyMatch(cell -> w.equals(cell.getText())));
        assertEquals("CPU · fp32", fx(() -> ((Label) view.lookup("#status-device")).getText()));
    }

    private List<String> labelsOfObjects() throws Exception {
        return fx(() -> view.analysis.objects().stream().map(AnalysisResults.Summary::label).toList());
    }

    /**
     * A clip without audio: Analyse asks first (the command line needs --allow-silent); Cancel or Esc
     * leaves it unanalysed with a message, "Analyse as silence" runs it.
     */
    @Test
    void aClipWithoutAudioIsAnalysedOnlyWhenTheUserSaysSo(@TempDir Path dir, FxRobot robot) throws Exception {
        Path silent = dir.resolve("silent.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.cfr(50, 25, SampleClipGenerator.Codec.H264).withoutAudio(),
                silent);
        loadTinyAndOpen(silent);
        // the real dialog, closed with Esc
        fx(() -> {
            view.analyse();
            return null;
        });
        waitUntil(10, () -> fx(() -> robot.lookup("#silent-clip-dialog").tryQuery().isPresent()));
        robot.press(KeyCode.ESCAPE).release(KeyCode.ESCAPE);
        waitUntil(10, () -> fx(() -> robot.lookup("#silent-clip-dialog").tryQuery().isEmpty()));
        assertTrue(fx(view::analysisIdle));
        assertTrue(fx(() -> view.analysis.messageProperty().get()).contains("no audio"));
        assertEquals(0, fx(() -> view.analysis.windowsInferredProperty().get()));
        // answered yes: analysed as silence
        List<String> asked = new ArrayList<>();
        fx(() -> {
            view.setSilentClipPrompt((name, answer) -> {
                asked.add(name);
                answer.accept(true);
            });
            view.analyse();
            return null;
        });
        awaitIdle(30);
        assertEquals(List.of("silent.mp4"), asked);
        assertEquals("Done", state(), fx(() -> view.analysis.messageProperty().get()));
        assertTrue(fx(() -> view.analysis.windowsInferredProperty().get()) > 0);
    }

    /** The object list is the project's: what the video and the lanes show, after every change. */
    private void assertObjectListIsTheProjects() throws Exception {
        List<String> rows = fx(() -> view.analysis.objects().stream().map(o -> o.id() + ":" + o.label()).toList());
        List<String> clip = fx(() -> view.project.currentClip().orElseThrow().objects().stream()
                .map(o -> o.id() + ":" + o.label()).toList());
        assertEquals(clip, rows);
    }

    /**
     * Remove a vocabulary name, then make another edit, then Ctrl+Z twice: the name comes back with
     * the labels it gave, in the vocabulary, the project and the object list alike (the relabelling
     * the removal caused is part of its undo step, not a step of its own).
     */
    @Test
    @SuppressWarnings("unchecked")
    void undoingAVocabularyEditUndoesItsRelabellingInEveryView(FxRobot robot) throws Exception {
        loadTinyAndOpen(SAMPLE);
        fx(() -> {
            view.analyse();
            return null;
        });
        awaitIdle(30);
        Clip analysed = fx(() -> view.project.currentClip().orElseThrow());
        assertFalse(analysed.objects().isEmpty());
        String name = analysed.objects().get(0).label();
        List<String> vocabulary = fx(() -> ovavss.studio.app.AnalysisResults.names(view.project.getProject().vocabulary()));
        assertObjectListIsTheProjects();

        fx(() -> view.analysis.removeName(name));
        waitUntil(20, () -> fx(() -> view.project.currentClip().orElseThrow().objects().stream()
                .noneMatch(o -> o.label().equals(name))));
        awaitIdle(20);
        assertObjectListIsTheProjects();
        // another change on top: a sound flag, on the selected object, which stays selected in the list
        SoundingObject first = fx(() -> view.project.currentClip().orElseThrow().objects().get(0));
        fx(() -> {
            view.project.selectObject(first.id());
            return null;
        });
        int k = first.frames().firstKey();
        fx(() -> view.project.apply(ovavss.studio.annotation.Edits.setSound(analysed.id(), first.id(), k,
                first.frames().get(k).sound().isSounding() ? ovavss.studio.annotation.SoundFlag.SILENT
                        : ovavss.studio.annotation.SoundFlag.SOUNDING)));
        assertEquals(first.id(), fx(() -> ((TableView<ovavss.studio.app.AnalysisResults.Summary>) view.lookup(
                "#analysis-objects")).getSelectionModel().getSelectedItem().id()), "the list keeps the selection");

        for (int i = 0; i < 2; i++) {
            robot.press(KeyCode.CONTROL, KeyCode.Z).release(KeyCode.Z, KeyCode.CONTROL);
            WaitForAsyncUtils.waitForFxEvents();
        }
        assertEquals(vocabulary, fx(() -> ovavss.studio.app.AnalysisResults.names(view.project.getProject().vocabulary())),
                "the removed name is back");
        assertEquals(analysed.objects(), fx(() -> view.project.currentClip().orElseThrow().objects()),
                "the objects are back as they were");
        assertObjectListIsTheProjects();
        assertTrue(fx(() -> ((javafx.scene.control.ListView<?>) view.lookup("#vocabulary-list")).getItems().stream()
                .anyMatch(e -> e.toString().contains(name))), "the vocabulary list shows it again");
    }
}
