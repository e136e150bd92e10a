package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import ovavss.studio.cli.StudioCli;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code features <wav> --out <file.npy>} end to end. */
class FeaturesCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesLogMelExamplesOfAStereo44kWav() throws Exception {
        int sr = 44100;
        float[] l = new float[sr * 3];
        float[] r = new float[sr * 3];
        for (int i = 0; i < l.length; i++) {
            l[i] = (float) (0.4 * Math.sin(2 * Math.PI * 440 * i / sr));
            r[i] = (float) (0.2 * Math.sin(2 * Math.PI * 2000 * i / sr));
        }
        Path wav = dir.resolve("in.wav");
        AudioFiles.writeWav16(wav, new PcmBuffer(sr, l, r));
        Path out = dir.resolve("sub/feat.npy");
        assertEquals(0, StudioCli.run("features", wav.toString(), "--out", out.toString()));
        NpyIo.Array a = NpyIo.read(out);
        assertEquals(NpyIo.DType.FLOAT32, a.dtype());
        assertArrayEquals(new int[] {3, 96, 64}, a.shape());
        float[][][] expected = VggishLogMel.examples(AudioFiles.read(wav));
        float[] got = a.asFloats();
        int i = 0;
        for (float[][] e : expected) {
            for (float[] row : e) {
                for (float v : row) {
                    assertEquals(v, got[i++], 0f);
                }
            }
        }
    }

    @Test
    void badInputFailsWithAMessageAndWritesNothing() throws Exception {
        Path junk = dir.resolve("junk.wav");
        Files.writeString(junk, "this is not audio at all, just text pretending");
        Path out = dir.resolve("out.npy");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, StudioCli.run("features", junk.toString(), "--out", out.toString()));
            assertEquals(2, StudioCli.run("features", dir.resolve("missing.wav").toString(), "--out", out.toString()));
        } finally {
            System.setErr(oldErr);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertFalse(Files.exists(out));
        assertEquals(true, msg.contains("not a readable audio file") && msg.contains("no such audio file"), msg);
    }
}
