package ovavss.studio.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact seeking in MP4 with B-frames and long GOPs: every frame is the one asked for (barcode and
 * PTS), in random order and stepping back; a seek decodes from the keyframe before its target, not
 * from the one before that (MP4's decode-time index lands a GOP early when seeking by DTS), and
 * stepping back reads from the kept pictures instead of seeking again.
 */
class LongGopSeekTest {
    private static final int FRAMES = 180;
    private static final int GOP = 60;

    @TempDir
    static Path dir;
    static Path clip;

    @BeforeAll
    static void generate() throws Exception {
        SampleClipGenerator.Spec cfr = SampleClipGenerator.cfr(FRAMES, 30, SampleClipGenerator.Codec.MPEG4);
        clip = dir.resolve("longgop-bframes.mp4");
        SampleClipGenerator.generate(new SampleClipGenerator.Spec(320, 240, 30, null, FRAMES, "mp4", cfr.codec(), GOP,
                600_000, cfr.scene(), 0, 0, java.util.List.of(), 0), clip);
    }

    private static void assertFrame(MediaSource src, int i) throws Exception {
        VideoFrame f = src.frame(i);
        assertEquals(i, f.index());
        assertEquals(i, FrameBarcode.read(f), "barcode of frame " + i);
        assertEquals(Math.round(i * 1e6 / 30), f.ptsMicros(), 1, "PTS of frame " + i);
    }

    @Test
    void randomSeeksAndBackwardStepsReturnExactlyTheFrameAsked() throws Exception {
        try (MediaSource src = MediaOpener.open(clip)) {
            assertEquals(FRAMES, src.frames().count());
            Random rnd = new Random(11);
            for (int k = 0; k < 60; k++) {
                assertFrame(src, rnd.nextInt(FRAMES));
            }
            for (int i = FRAMES - 1; i >= 0; i--) {
                assertFrame(src, i);
            }
            for (int i = 0; i < FRAMES; i++) {
                assertFrame(src, i);
            }
        }
    }

    @Test
    void aSeekDecodesFromItsOwnKeyframeAndStepsBackFromKeptPictures() throws Exception {
        try (MediaSource opened = MediaOpener.open(clip)) {
            FfmpegMediaSource src = (FfmpegMediaSource) opened;
            src.frame(5);
            long before = src.decodedFrames();
            assertFrame(src, 2 * GOP + 3);
            long decoded = src.decodedFrames() - before;
            assertTrue(decoded <= 4 + 3, "a seek to 3 frames past a keyframe decoded " + decoded
                    + " pictures (from an earlier keyframe?)");

            assertFrame(src, GOP + 40);
            assertFrame(src, GOP + 39);   // the first step back decodes the GOP and keeps it
            long afterFirstStep = src.decodedFrames();
            for (int i = GOP + 38; i >= GOP + 10; i--) {
                assertFrame(src, i);
            }
            assertEquals(afterFirstStep, src.decodedFrames(), "the following steps back decode nothing");
        }
    }

    @Test
    void aScrubPreviewIsThePictureAtHandOrTheKeyframeAloneAndSaysWhichFrameItIs() throws Exception {
        try (MediaSource opened = MediaOpener.open(clip)) {
            FfmpegMediaSource src = (FfmpegMediaSource) opened;
            long before = src.decodedFrames();
            VideoFrame preview = src.nearestPicture(GOP + 40);
            assertEquals(GOP, preview.index(), "nothing at hand: the keyframe");
            assertEquals(GOP, FrameBarcode.read(preview));
            assertTrue(src.decodedFrames() - before <= 3, "the keyframe alone, not the GOP up to the target");
            assertFrame(src, GOP + 30);
            VideoFrame closer = src.nearestPicture(GOP + 40);
            assertEquals(GOP + 30, closer.index(), "a decoded picture closer than the keyframe");
            assertEquals(GOP + 30, FrameBarcode.read(closer));
            assertEquals(GOP + 30, src.nearestPicture(GOP + 30).index(), "the frame itself when at hand");
        }
    }
}
