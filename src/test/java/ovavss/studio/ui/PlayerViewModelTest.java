package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import ovavss.studio.media.MediaException;
import ovavss.studio.ui.timeline.TimelineModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Playback commands over a VFR PTS table; no toolkit (the view model uses javafx.beans only). */
class PlayerViewModelTest {
    // Irregular intervals: 40, 10, 70, 80, 5, 295 ms.
    private static final long[] PTS = {0, 40_000, 50_000, 120_000, 200_000, 205_000, 500_000};

    @BeforeAll
    static void noAudio() {
        System.setProperty("ovavss.audio", "off");
    }

    private static PlayerViewModel open(FakeMedia media) throws Exception {
        PlayerViewModel vm = new PlayerViewModel(new TimelineModel(), FakeMedia.opener(media), Runnable::run);
        vm.open(FakeMedia.path()).get(10, TimeUnit.SECONDS);
        return vm;
    }

    @Test
    void steppingAVfrClipVisitsEveryFrameOnceEachWay() throws Exception {
        PlayerViewModel vm = open(new FakeMedia(PTS, 600_000));
        List<Integer> forward = new ArrayList<>();
        forward.add(vm.frameIndexProperty().get());
        for (int i = 0; i < PTS.length + 2; i++) {
            vm.stepFrames(1);
            forward.add(vm.frameIndexProperty().get());
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 6, 6, 6), forward);
        assertEquals(PTS[6], vm.time());
        List<Integer> back = new ArrayList<>();
        for (int i = 0; i < PTS.length - 1; i++) {
            vm.stepFrames(-1);
            back.add(vm.frameIndexProperty().get());
        }
        assertEquals(List.of(5, 4, 3, 2, 1, 0), back);
    }

    @Test
    void seekingShowsTheFrameWhosePtsCoversTheTime() throws Exception {
        PlayerViewModel vm = open(new FakeMedia(PTS, 600_000));
        vm.seek(199_999);
        assertEquals(3, vm.frameIndexProperty().get());
        vm.seek(200_000);
        assertEquals(4, vm.frameIndexProperty().get());
        vm.end();
        assertEquals(6, vm.frameIndexProperty().get());
        vm.home();
        assertEquals(0, vm.frameIndexProperty().get());
    }

    @Test
    void keyframesAreWholeSeconds() throws Exception {
        long[] pts = new long[100];
        for (int i = 0; i < pts.length; i++) {
            pts[i] = i * 40_000L;
        }
        PlayerViewModel vm = open(new FakeMedia(pts, 4_000_000));
        vm.seek(1_300_000);
        vm.nextKeyframe();
        assertEquals(2_000_000, vm.time());
        vm.previousKeyframe();
        assertEquals(1_000_000, vm.time());
        vm.stepSeconds(1.5);
        assertEquals(2_500_000, vm.time());
        vm.stepSeconds(-10);
        assertEquals(0, vm.time());
        vm.seek(3_500_000);
        vm.nextKeyframe();
        assertEquals(3_500_000, vm.time(), "no keyframe after 3 s of a 4 s media: stays");

        // a clip's own keyframes (media time) replace the default grid
        vm.setKeyframes(() -> ovavss.studio.annotation.KeyframeTimes.of(java.util.List.of(0.5, 2.25, 3.0)));
        vm.seek(1_300_000);
        vm.nextKeyframe();
        assertEquals(2_250_000, vm.time());
        vm.nextKeyframe();
        assertEquals(3_000_000, vm.time());
        vm.previousKeyframe();
        assertEquals(2_250_000, vm.time());
        vm.previousKeyframe();
        assertEquals(500_000, vm.time());
        vm.previousKeyframe();
        assertEquals(500_000, vm.time(), "none before the first: stays");
    }

    @Test
    void framesAreDecodedOnTheOwningThread() throws Exception {
        FakeMedia media = new FakeMedia(PTS, 600_000);
        PlayerViewModel vm = open(media);
        vm.seek(120_000);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((vm.sessionProperty().get().latestFrame() == null
                || vm.sessionProperty().get().latestFrame().index() != 3) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(3, vm.sessionProperty().get().latestFrame().index());
        assertTrue(media.decodes.get() >= 1);
        assertTrue(media.owner.getName().startsWith("decode-"), media.owner.getName());
    }

    @Test
    void aFailedOpenKeepsThePreviousMedia() throws Exception {
        FakeMedia media = new FakeMedia(PTS, 600_000);
        PlayerViewModel vm = open(media);
        vm.seek(120_000);
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> vm.open(Path.of("broken.mp4")).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof MediaException, e.getCause().toString());
        assertEquals("broken.mp4 is not a media file (test).", e.getCause().getMessage());
        assertEquals("fake.mp4", vm.infoProperty().get().path());
        assertEquals(3, vm.frameIndexProperty().get());
    }

    private static int onScreen(PlayerViewModel vm) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        var s = vm.sessionProperty().get();
        while (System.nanoTime() < deadline) {
            var f = s.latestFrame();
            if (f != null && f.index() == vm.frameIndexProperty().get()) {
                return f.index();
            }
            Thread.sleep(5);
            vm.pulse();
            if (f != null && !vm.scrubbing() && f.index() == vm.frameIndexProperty().get()) {
                return f.index();
            }
        }
        return s.latestFrame() == null ? -1 : s.latestFrame().index();
    }

    @Test
    void scrubbingShowsTheNearestPictureThenTheExactFrameWhenThePointerRestsOrIsReleased() throws Exception {
        FakeMedia media = new FakeMedia(PTS, 600_000);
        PlayerViewModel vm = open(media);
        vm.scrub(PTS[5] + 1);                      // frame 5; its "keyframe" is 3
        assertTrue(vm.scrubbing());
        assertEquals(5, vm.frameIndexProperty().get());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (media.previews.get() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        Thread.sleep(20);
        assertEquals(3, vm.sessionProperty().get().latestFrame().index(), "the preview says which frame it is");
        Thread.sleep(200);                          // the pointer rests
        vm.pulse();
        assertFalse(vm.scrubbing());
        assertEquals(5, onScreen(vm), "the exact frame once the pointer rests");

        vm.scrub(PTS[4] + 1);                      // frame 4 ("keyframe" 3), released at once
        vm.endScrub();
        assertFalse(vm.scrubbing());
        assertEquals(4, onScreen(vm), "the exact frame on release");
    }

    @Test
    void aFrameDecodedAheadIsOnScreenTheMomentItIsRequested() throws Exception {
        FakeMedia media = new FakeMedia(PTS, 600_000);
        PlayerViewModel vm = open(media);
        var s = vm.sessionProperty().get();
        assertEquals(0, onScreen(vm));
        int before = media.decodes.get();
        s.prefetch(1);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (media.decodes.get() == before && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        Thread.sleep(20);
        s.requestFrame(1);
        assertEquals(1, s.latestFrame().index(), "shown without waiting for the decode thread");
        assertEquals(before + 1, media.decodes.get(), "decoded once, ahead");
    }
}
