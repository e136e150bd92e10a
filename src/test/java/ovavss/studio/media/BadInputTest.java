package ovavss.studio.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs the media layer must refuse with a clear message instead of crashing. */
class BadInputTest {
    @TempDir
    Path dir;

    private static String failure(Path p) {
        MediaException e = assertThrows(MediaException.class, () -> MediaOpener.open(p).close());
        assertNotNull(e.getMessage());
        return e.getMessage();
    }

    @Test
    void zeroLengthFile() throws Exception {
        Path p = Files.createFile(dir.resolve("empty.mp4"));
        assertTrue(failure(p).contains("empty"), failure(p));
    }

    @Test
    void missingFile() {
        assertTrue(failure(dir.resolve("nope.mp4")).contains("does not exist"));
    }

    @Test
    void garbageBytes() throws Exception {
        byte[] junk = new byte[64 * 1024];
        new Random(7).nextBytes(junk);
        Path p = Files.write(dir.resolve("garbage.mp4"), junk);
        String msg = failure(p);
        assertTrue(msg.contains("garbage.mp4"), msg);
    }

    @Test
    void truncatedMp4() throws Exception {
        Path good = dir.resolve("good.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.cfr(24, 24, SampleClipGenerator.Codec.H264), good);
        byte[] all = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.mp4"), Arrays.copyOf(all, all.length / 2));
        String msg = failure(cut);
        assertTrue(msg.contains("cut.mp4"), msg);
    }

    @Test
    void damagedPacketsGiveFramesOrClearErrorsNeverCrashes() throws Exception {
        Path good = dir.resolve("good.mp4");
        SampleClipGenerator.generate(SampleClipGenerator.cfr(48, 24, SampleClipGenerator.Codec.H264), good);
        byte[] b = Files.readAllBytes(good);
        Random rnd = new Random(3);
        // The recorder writes mdat first and moov last: scribble over the middle of the payload.
        for (int i = b.length / 4; i < b.length / 2; i += 5) {
            b[i] = (byte) rnd.nextInt(256);
        }
        Path bad = Files.write(dir.resolve("damaged.mp4"), b);
        int ok = 0;
        int refused = 0;
        try (MediaSource src = MediaOpener.open(bad)) {
            assertEquals(48, src.frames().count(), "the index comes from packet headers, which survive");
            for (int i = 0; i < src.frames().count(); i++) {
                try {
                    VideoFrame f = src.frame(i);
                    assertEquals(i, f.index());
                    ok++;
                } catch (MediaException e) {
                    assertTrue(e.getMessage().contains("damaged.mp4"), e.getMessage());
                    refused++;
                }
            }
            MediaOpener.awaitAudio(src);
        }
        assertTrue(ok > 0, "undamaged frames still decode");
        assertEquals(48, ok + refused);
    }

    @Test
    void videoWithoutAudioOpensButIsNotAnAudioVisualClip() throws Exception {
        Path p = dir.resolve("silent.mkv");
        SampleClipGenerator.generate(SampleClipGenerator.vfr(10), p);
        try (MediaSource src = MediaOpener.open(p)) {
            assertNull(src.audio());
            assertFalse(src.info().hasAudio());
            assertNotNull(MediaOpener.noticeFor(src.info()));
            assertEquals(3, FrameBarcode.read(src.frame(3)));
        }
        MediaException e = assertThrows(MediaException.class, () -> MediaOpener.openAudioVisual(p));
        assertTrue(e.getMessage().contains("no audio"), e.getMessage());
    }

    @Test
    void audioOnlyFile() throws Exception {
        Path wav = dir.resolve("tone.wav");
        AvsbenchClipSourceTest.writeWav(wav, 16_000);
        String msg = failure(wav);
        assertTrue(msg.contains("no video"), msg);
        // Probing (the info command) accepts it and reports the audio.
        MediaInfo info = MediaOpener.probe(wav);
        assertFalse(info.hasVideo());
        assertEquals(16_000, info.sampleRate());
        assertEquals(1_000_000, info.durationMicros());
    }

    @Test
    void absurdResolution() throws Exception {
        // One raw 4:2:0 frame of 17000×8 in a YUV4MPEG stream: FFmpeg reads it, we refuse the width.
        String header = "YUV4MPEG2 W17000 H8 F25:1 Ip A1:1 C420jpeg\nFRAME\n";
        byte[] h = header.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] file = Arrays.copyOf(h, h.length + 17000 * 8 * 3 / 2);
        Path wide = Files.write(dir.resolve("wide.y4m"), file);
        String msg = failure(wide);
        assertTrue(msg.contains("resolution 17000×8"), msg);
        // A PNG claiming 40000×40000 (FFmpeg itself refuses it before we see a size).
        Path png = Files.write(dir.resolve("huge.png"), AvsbenchClipSourceTest.pngHeader(40_000, 40_000));
        String pngMsg = failure(png);
        assertTrue(pngMsg.contains("huge.png"), pngMsg);
    }

    @Test
    void folderThatIsNotAClip() throws Exception {
        Path d = Files.createDirectories(dir.resolve("random-folder"));
        assertTrue(failure(d).contains("not an AVSBench clip"));
    }
}
