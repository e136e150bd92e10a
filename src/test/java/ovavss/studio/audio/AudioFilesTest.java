package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioFilesTest {
    @TempDir
    Path dir;

    /** Hand-built RIFF/WAVE so every sample format is exercised without a writer that might share our bugs. */
    private static byte[] wav(int formatTag, int channels, int rate, int bits, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(44 + data.length).order(ByteOrder.LITTLE_ENDIAN);
        int blockAlign = channels * bits / 8;
        b.put("RIFF".getBytes()).putInt(36 + data.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes()).putInt(16).putShort((short) formatTag).putShort((short) channels)
                .putInt(rate).putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        b.put("data".getBytes()).putInt(data.length).put(data);
        return b.array();
    }

    private static final double[] VALUES = {0.0, 0.5, -0.5, 0.25, -1.0, 0.75};

    private PcmBuffer roundTrip(int formatTag, int bits, int channels) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (double v : VALUES) {
            for (int c = 0; c < channels; c++) {
                double s = c == 0 ? v : -v / 2;
                int bytes = bits / 8;
                long code;
                if (formatTag == 3) {
                    code = bits == 32 ? Float.floatToIntBits((float) s) : Double.doubleToLongBits(s);
                } else if (bits == 8) {
                    code = (long) Math.max(0, Math.min(255, Math.round(s * 128) + 128));
                } else {
                    code = Math.max(-(1L << (bits - 1)), Math.min((1L << (bits - 1)) - 1, Math.round(s * (1L << (bits - 1)))));
                }
                for (int i = 0; i < bytes; i++) {
                    out.write((int) (code >> (8 * i)) & 0xFF);
                }
            }
        }
        Path f = dir.resolve("t" + formatTag + "_" + bits + "_" + channels + ".wav");
        Files.write(f, wav(formatTag, channels, 22050, bits, out.toByteArray()));
        return AudioFiles.read(f);
    }

    @Test
    void readsIntegerAndFloatPcmOfAllSizesAndChannelCounts() throws IOException {
        int[][] formats = {{1, 8}, {1, 16}, {1, 24}, {1, 32}, {3, 32}, {3, 64}};
        for (int[] fmt : formats) {
            for (int channels : new int[] {1, 2, 3}) {
                PcmBuffer pcm = roundTrip(fmt[0], fmt[1], channels);
                assertEquals(22050, pcm.sampleRate());
                assertEquals(channels, pcm.channels());
                assertEquals(VALUES.length, pcm.length());
                double tol = fmt[1] == 8 ? 1.0 / 127 : 1e-4;
                for (int i = 0; i < VALUES.length; i++) {
                    assertEquals(VALUES[i], pcm.channel(0)[i], tol, "format " + fmt[0] + "/" + fmt[1] + " sample " + i);
                    if (channels > 1) {
                        assertEquals(-VALUES[i] / 2, pcm.channel(1)[i], tol);
                    }
                }
            }
        }
    }

    @Test
    void sixteenBitUsesTheVggishScale() throws IOException {
        PcmBuffer pcm = roundTrip(1, 16, 1);
        assertEquals(-1.0f, pcm.channel(0)[4]);          // -32768 / 32768
        assertEquals(16384 / 32768.0f, pcm.channel(0)[1]);
    }

    @Test
    void writesWavThatReadsBack() throws IOException {
        float[] x = new float[1000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(i * 0.05) * 0.8f;
        }
        Path f = dir.resolve("w.wav");
        AudioFiles.writeWav16(f, new PcmBuffer(16000, x, x));
        PcmBuffer back = AudioFiles.read(f);
        assertEquals(2, back.channels());
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], back.channel(1)[i], 1.0 / 32768);
        }
    }

    @Test
    void badFilesGiveClearMessages() throws IOException {
        IOException missing = assertThrows(IOException.class, () -> AudioFiles.read(dir.resolve("nope.wav")));
        assertTrue(missing.getMessage().contains("no such audio file"));
        Path empty = Files.createFile(dir.resolve("empty.wav"));
        assertTrue(assertThrows(IOException.class, () -> AudioFiles.read(empty)).getMessage().contains("empty"));
        Path junk = dir.resolve("junk.wav");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16});
        assertTrue(assertThrows(IOException.class, () -> AudioFiles.read(junk)).getMessage().contains("not a readable audio file"));
        Path noData = dir.resolve("nodata.wav");
        Files.write(noData, wav(1, 1, 16000, 16, new byte[0]));
        assertThrows(IOException.class, () -> AudioFiles.read(noData));
    }
}
