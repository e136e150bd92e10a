package ovavss.studio.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovavss.studio.pcm.PcmSource;

/** AVSBench clip folders made in a temp dir: JPEG frames with barcodes and a 16 kHz wav. */
class AvsbenchClipSourceTest {
    static final int RATE = 16_000;
    static final int ONSET = 2 * RATE + 123;   // tone starts at this exact sample

    @TempDir
    Path dir;

    static Path makeClip(Path root, int frames, double seconds, boolean withAudio) throws Exception {
        Path clip = root.resolve("clip");
        Files.createDirectories(clip.resolve("frames"));
        for (int k = 0; k < frames; k++) {
            BufferedImage img = new BufferedImage(240, 160, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(40, 90, 140));
            g.fillRect(0, 0, 240, 160);
            FrameBarcode.draw(g, 240, 160, k);
            g.dispose();
            ImageIO.write(img, "jpg", clip.resolve("frames/" + k + ".jpg").toFile());
        }
        if (withAudio) {
            writeWav(clip.resolve("audio.wav"), (int) (seconds * RATE));
        }
        return clip;
    }

    /** 16-bit mono wav: silence, then a 500 Hz tone from sample {@link #ONSET}. */
    static void writeWav(Path file, int samples) throws Exception {
        ByteBuffer bb = ByteBuffer.allocate(samples * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < samples; i++) {
            double v = i < ONSET ? 0 : 0.5 * Math.sin(2 * Math.PI * 500 * (i - ONSET) / RATE + Math.PI / 2);
            bb.putShort((short) Math.round(v * 32767));
        }
        AudioFormat fmt = new AudioFormat(RATE, 16, 1, true, false);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(bb.array()), fmt, samples)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
        }
    }

    @Test
    void framesAtOneFpsAndWavAlignedAtZero() throws Exception {
        Path clip = makeClip(dir, 5, 5.0, true);
        try (MediaSource src = MediaOpener.openAudioVisual(clip)) {
            MediaInfo info = src.info();
            assertTrue(info.avsbenchClip());
            assertEquals(5, info.frameCount());
            assertEquals(1.0, info.averageFps());
            assertEquals(240, info.width());
            assertEquals(5_000_000, info.durationMicros());
            for (int k = 4; k >= 0; k--) {
                assertEquals(k * 1_000_000L, src.frames().timeMicros(k));
                VideoFrame f = src.frame(k);
                assertEquals(k, FrameBarcode.read(f), "frame " + k);
            }
            assertEquals(2, src.frames().indexAt(2_999_999));
            MediaOpener.awaitAudio(src);
            AudioTrack a = src.audio();
            assertEquals(RATE, a.sampleRate());
            assertEquals(5L * RATE, a.length(), "a wav decodes to its exact sample count");
            float[] pcm = new float[(int) a.length()];
            a.read(PcmSource.MONO_MIX, 0, pcm, 0, pcm.length);
            int first = -1;
            for (int i = 0; i < pcm.length; i++) {
                if (Math.abs(pcm[i]) > 0.25) {
                    first = i;
                    break;
                }
            }
            assertEquals(ONSET, first, "lossless wav: onset exact to the sample");
        }
    }

    @Test
    void missingFrameIsNamed() throws Exception {
        Path clip = makeClip(dir, 6, 6.0, true);
        Files.delete(clip.resolve("frames/3.jpg"));
        MediaException e = assertThrows(MediaException.class, () -> MediaOpener.open(clip));
        assertTrue(e.getMessage().contains("frames/3.jpg"), e.getMessage());
    }

    @Test
    void folderWithoutAudio() throws Exception {
        Path clip = makeClip(dir, 2, 2.0, false);
        try (MediaSource src = MediaOpener.open(clip)) {
            assertNull(src.audio());
            assertEquals(2, src.frames().count());
        }
        MediaException e = assertThrows(MediaException.class, () -> MediaOpener.openAudioVisual(clip));
        assertTrue(e.getMessage().contains("audio.wav"), e.getMessage());
    }

    @Test
    void absurdFrameSizeIsRefusedFromTheHeader() throws Exception {
        Path clip = makeClip(dir, 1, 1.0, false);
        Files.write(clip.resolve("frames/0.jpg"), pngHeader(20_000, 20_000));
        MediaException e = assertThrows(MediaException.class, () -> MediaOpener.open(clip));
        assertTrue(e.getMessage().contains("resolution"), e.getMessage());
    }

    /** A PNG that is only a signature, an IHDR chunk and IEND: a valid header for any size. */
    static byte[] pngHeader(int w, int h) {
        ByteBuffer ihdr = ByteBuffer.allocate(17);
        ihdr.put("IHDR".getBytes()).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteBuffer out = ByteBuffer.allocate(8 + 12 + 13 + 12);
        out.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        out.putInt(13).put(ihdr.array()).putInt(crc(ihdr.array()));
        byte[] iend = "IEND".getBytes();
        out.putInt(0).put(iend).putInt(crc(iend));
        return out.array();
    }

    static int crc(byte[] b) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b);
        return (int) c.getValue();
    }
}
