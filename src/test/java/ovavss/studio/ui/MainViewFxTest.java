package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javafx.beans.value.ChangeListener;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import ovavss.studio.media.FrameIndex;
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
 * Smoke test through the real window (headless Monocle): opens the bundled sample clip, plays,
 * steps frames, clicks the waveform to seek, loops a selection and survives bad input.
 */
@ExtendWith(ApplicationExtension.class)
class MainViewFxTest {
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

    private void openSample() throws Exception {
        Path sample = SampleClip.path();
        WaitForAsyncUtils.asyncFx(() -> view.open(sample)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        waitUntil(() -> view.video.shownFrameProperty().get() == 0);
    }

    private static void waitUntil(Callable<Boolean> condition) throws TimeoutException {
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, condition);
    }

    private FrameIndex frames() {
        return view.player.sessionProperty().get().frames();
    }

    /** Waits until the picture shows the frame the clock points at, then returns it. */
    private int settledFrame() throws Exception {
        waitUntil(() -> fx(() -> view.video.shownFrameProperty().get() == view.player.frameIndexProperty().get()));
        return fx(() -> view.video.shownFrameProperty().get());
    }

    /** The three panes draw their playheads at the same x, at the playhead's time. */
    private void assertPlayheadsAligned(long expectedMicros) throws Exception {
        fx(() -> {
            double x = view.ruler.playheadX();
            assertEquals(x, view.waveform.playheadX(), 0.01);
            assertEquals(x, view.spectrogram.playheadX(), 0.01);
            double w = view.waveform.getWidth();
            assertEquals(w, view.ruler.getWidth(), 0.5);
            assertEquals(w, view.spectrogram.getWidth(), 0.5);
            assertEquals(view.timeline.toX(expectedMicros, w), x, 1.0);
            Bounds a = view.ruler.localToScene(view.ruler.getBoundsInLocal());
            Bounds b = view.spectrogram.localToScene(view.spectrogram.getBoundsInLocal());
            assertEquals(a.getMinX(), b.getMinX(), 0.5, "panes share one time axis");
            return null;
        });
    }

    /**
     * Model › Inference settings asked for fp16 on a machine without CUDA: the status bar shows the
     * precision that runs next to the device, and says why (in its text and the device's tooltip);
     * a load at fp32 takes the note away.
     */
    @Test
    void theStatusBarSaysThePrecisionAndWhyFp16DidNotRun() throws Exception {
        Path tiny = Path.of("src/test/resources/bundles/tiny");
        String note = "fp16 needs a CUDA GPU; running fp32 on the CPU";
        fx(() -> {
            view.setModelSettings(new ovavss.studio.ui.settings.ModelSettings(ovavss.studio.model.DevicePreference.CPU,
                    ovavss.studio.model.Precision.FP16, "", "", "", false));
            return view.loadModel(tiny);
        }).get(60, TimeUnit.SECONDS);
        waitUntil(() -> fx(() -> "CPU · fp32".equals(view.status.device.getText())));
        assertEquals(note, fx(() -> view.status.getText()));
        assertEquals(note, fx(() -> view.status.device.getTooltip().getText()));
        fx(() -> {
            view.setModelSettings(ovavss.studio.ui.settings.ModelSettings.DEFAULTS);
            return view.loadModel(tiny);
        }).get(60, TimeUnit.SECONDS);
        waitUntil(() -> fx(() -> view.status.device.getTooltip() == null));
        assertEquals("", fx(() -> view.status.getText()));
        assertEquals("CPU · fp32", fx(() -> view.status.device.getText()));
    }

    @Test
    void playStepClickAndLoop(FxRobot robot) throws Exception {
        openSample();
        assertEquals(250, frames().count());
        assertEquals("frame 0 / 249", fx(() -> ((Label) robot.lookup("#status-frame").query()).getText()));
        assertEquals("320×240", fx(() -> ((Label) robot.lookup("#status-resolution").query()).getText()));
        assertEquals("no model", fx(() -> ((Label) robot.lookup("#status-device").query()).getText()));

        // Space plays, Space pauses: the clock moved and the picture follows it.
        robot.type(KeyCode.SPACE);
        waitUntil(() -> fx(() -> view.player.time() > 300_000));
        robot.type(KeyCode.SPACE);
        assertFalse(fx(() -> view.player.playingProperty().get()));
        long paused = fx(view.player::time);
        int shown = settledFrame();
        assertEquals(frames().indexAt(paused), shown);
        assertTrue(shown > 0);

        // → steps exactly one frame each, through the PTS table.
        robot.type(KeyCode.HOME);
        robot.type(KeyCode.RIGHT, 3);
        assertEquals(3, settledFrame());
        assertEquals(frames().timeMicros(3), (long) fx(view.player::time));
        waitUntil(() -> fx(() -> "frame 3 / 249".equals(((Label) robot.lookup("#status-frame").query()).getText())));
        assertPlayheadsAligned(frames().timeMicros(3));
        robot.type(KeyCode.LEFT);
        assertEquals(2, settledFrame());

        // A click on the waveform seeks there; all panes' playheads move together.
        Bounds wb = fx(() -> view.waveform.localToScreen(view.waveform.getBoundsInLocal()));
        robot.clickOn(new Point2D(wb.getMinX() + wb.getWidth() * 0.6, wb.getMinY() + wb.getHeight() / 2));
        long t = fx(view.player::time);
        assertEquals(6_000_000, t, 30_000);
        int f = settledFrame();
        assertEquals(frames().indexAt(t), f);
        assertEquals(150, f, 1);
        assertPlayheadsAligned(t);
        // ... and so does a click on the spectrogram.
        Bounds sb = fx(() -> view.spectrogram.localToScreen(view.spectrogram.getBoundsInLocal()));
        robot.clickOn(new Point2D(sb.getMinX() + sb.getWidth() * 0.25, sb.getMinY() + sb.getHeight() / 2));
        assertEquals(2_500_000, (long) fx(view.player::time), 30_000);
        assertPlayheadsAligned(fx(view.player::time));

        // Keyframes (whole seconds) and ±1 s.
        robot.type(KeyCode.PERIOD);
        assertEquals(3_000_000, (long) fx(view.player::time));
        robot.press(KeyCode.SHIFT).type(KeyCode.RIGHT).release(KeyCode.SHIFT);
        assertEquals(4_000_000, (long) fx(view.player::time));
        robot.type(KeyCode.PAGE_UP);
        assertEquals(3_000_000, (long) fx(view.player::time));

        // Shift+drag selects 1–2 s on the waveform; L loops it while playing.
        robot.press(KeyCode.SHIFT);
        robot.drag(new Point2D(wb.getMinX() + wb.getWidth() * 0.1, wb.getMinY() + 10))
                .dropTo(new Point2D(wb.getMinX() + wb.getWidth() * 0.2, wb.getMinY() + 10));
        robot.release(KeyCode.SHIFT);
        assertTrue(fx(view.timeline::hasSelection));
        assertEquals(1_000_000, fx(() -> view.timeline.selectionStartProperty().get()), 30_000);
        assertEquals(2_000_000, fx(() -> view.timeline.selectionEndProperty().get()), 30_000);
        robot.type(KeyCode.L);
        fx(() -> {
            view.player.rateProperty().set(2.0);
            return null;
        });
        long loopStart = fx(() -> view.timeline.selectionStartProperty().get());
        long loopEnd = fx(() -> view.timeline.selectionEndProperty().get());
        // At 2× a 1 s loop wraps every 0.5 s. Every playhead position is recorded (not sampled) until
        // it has wrapped twice or left the loop.
        List<Long> playhead = new CopyOnWriteArrayList<>();
        AtomicInteger wraps = new AtomicInteger();
        AtomicReference<Long> outside = new AtomicReference<>();
        ChangeListener<Number> record = (o, was, now) -> {
            long at = now.longValue();
            playhead.add(at);
            if (was.longValue() - at > (loopEnd - loopStart) / 2) {
                wraps.incrementAndGet(); // a jump back, not clock jitter
            }
            if (at < loopStart || at > loopEnd) {
                outside.compareAndSet(null, at);
            }
        };
        fx(() -> {
            view.timeline.playheadProperty().addListener(record);
            return null;
        });
        robot.type(KeyCode.SPACE);
        try {
            waitUntil(() -> wraps.get() >= 2 || outside.get() != null);
        } catch (TimeoutException e) {
            throw new AssertionError("the playhead did not wrap twice in 15 s; " + playhead.size() + " positions, last "
                    + (playhead.isEmpty() ? "none" : playhead.get(playhead.size() - 1)), e);
        } finally {
            fx(() -> {
                view.timeline.playheadProperty().removeListener(record);
                return null;
            });
        }
        assertNull(outside.get(), "the playhead left the loop " + loopStart + ".." + loopEnd);
        long min = playhead.stream().mapToLong(Long::longValue).min().orElseThrow();
        long max = playhead.stream().mapToLong(Long::longValue).max().orElseThrow();
        assertTrue(max - min > 500_000, "the playhead moved through the loop: " + min + ".." + max);
        robot.type(KeyCode.SPACE);
    }

    @Test
    void wheelZoomsAllPanesAroundThePointer(FxRobot robot) throws Exception {
        openSample();
        assertEquals(10_000_000, fx(view.timeline::span), 1);
        Bounds wb = fx(() -> view.waveform.localToScreen(view.waveform.getBoundsInLocal()));
        robot.moveTo(new Point2D(wb.getMinX() + wb.getWidth() * 0.5, wb.getMinY() + wb.getHeight() / 2));
        long before = fx(() -> view.timeline.toTime(view.waveform.getWidth() * 0.5, view.waveform.getWidth()));
        // TestFX's "DOWN" arrives as a positive deltaY under Monocle: the wheel rotated away, zoom in.
        robot.scroll(3, javafx.geometry.VerticalDirection.DOWN);
        waitUntil(() -> fx(view.timeline::span) < 9_000_000);
        long after = fx(() -> view.timeline.toTime(view.waveform.getWidth() * 0.5, view.waveform.getWidth()));
        assertEquals(before, after, 20_000, "the time under the pointer stays put");
        robot.type(KeyCode.RIGHT, 2);
        assertPlayheadsAligned(frames().timeMicros(2));
    }

    @Test
    void opensAnAvsbenchClipFolderAtOneFramePerSecond(@TempDir Path dir) throws Exception {
        Path clip = dir.resolve("clip");
        Files.createDirectories(clip.resolve("frames"));
        for (int k = 0; k < 3; k++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(32, 24,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(new java.awt.Color(80 * k, 200 - 60 * k, 90));
            g.fillRect(0, 0, 32, 24);
            g.dispose();
            javax.imageio.ImageIO.write(img, "jpg", clip.resolve("frames/" + k + ".jpg").toFile());
        }
        int rate = 16_000;
        byte[] pcm = new byte[rate * 3 * 2];
        for (int i = 0; i < rate * 3; i++) {
            short v = (short) (8000 * Math.sin(2 * Math.PI * 440 * i / rate));
            pcm[2 * i] = (byte) v;
            pcm[2 * i + 1] = (byte) (v >> 8);
        }
        javax.sound.sampled.AudioFormat fmt = new javax.sound.sampled.AudioFormat(rate, 16, 1, true, false);
        javax.sound.sampled.AudioSystem.write(new javax.sound.sampled.AudioInputStream(
                new java.io.ByteArrayInputStream(pcm), fmt, rate * 3L),
                javax.sound.sampled.AudioFileFormat.Type.WAVE, clip.resolve("audio.wav").toFile());

        WaitForAsyncUtils.asyncFx(() -> view.open(clip)).get(5, TimeUnit.SECONDS).get(30, TimeUnit.SECONDS);
        assertEquals(3, frames().count());
        assertEquals(1_000_000, frames().timeMicros(1));
        waitUntil(() -> fx(() -> view.video.shownFrameProperty().get() == 0));
        fx(() -> {
            view.player.stepFrames(1);
            return null;
        });
        assertEquals(1, settledFrame());
        assertEquals(1_000_000, (long) fx(view.player::time));
    }

    @Test
    void badInputShowsAnAlertAndKeepsTheMedia(FxRobot robot, @TempDir Path dir) throws Exception {
        openSample();
        robot.type(KeyCode.RIGHT, 5);
        assertEquals(5, settledFrame());
        Path junk = Files.writeString(dir.resolve("junk.mp4"), "this is not a video");
        WaitForAsyncUtils.asyncFx(() -> view.open(junk));
        waitUntil(() -> fx(() -> Window.getWindows().stream()
                .anyMatch(w -> w.getScene() != null && w.getScene().getRoot() instanceof DialogPane)));
        String message = fx(() -> Window.getWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot() instanceof DialogPane)
                .map(w -> ((DialogPane) w.getScene().getRoot()).getContentText()).findFirst().orElse(""));
        assertFalse(message.isBlank());
        assertTrue(fx(() -> view.player.infoProperty().get().path().endsWith("sample.mp4")));
        assertEquals(5, settledFrame());
        fx(() -> {
            Window.getWindows().stream().filter(w -> w.getScene().getRoot() instanceof DialogPane)
                    .toList().forEach(Window::hide);
            return null;
        });
    }
}
