package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import ovavss.studio.task.Cancellation;
import org.junit.jupiter.api.Test;

/**
 * Compares the Java DSP with vectors written by {@code models/golden/dsp_golden.py} (numpy).
 * Regenerate with {@code /usr/bin/python3 models/golden/dsp_golden.py} from the repository root.
 */
class GoldenVectorsTest {

    static NpyIo.Array golden(String name) throws Exception {
        return NpyIo.read(Path.of(GoldenVectorsTest.class.getResource("/golden/audio/" + name + ".npy").toURI()));
    }

    private static float[] signal() throws Exception {
        return golden("signal_16k").asFloats();
    }

    @Test
    void melMatrixMatchesNumpyWithin1e12() throws Exception {
        NpyIo.Array ref = golden("mel_matrix");
        assertArrayEquals(new int[] {257, 64}, ref.shape());
        double[] r = ref.asDoubles();
        MelFilterbank mel = VggishLogMel.melFilterbank();
        double maxErr = 0;
        for (int k = 0; k < 257; k++) {
            for (int b = 0; b < 64; b++) {
                maxErr = Math.max(maxErr, Math.abs(mel.weight(k, b) - r[k * 64 + b]));
            }
        }
        assertTrue(maxErr < 1e-12, "mel matrix max error " + maxErr);
        for (int b = 0; b < 64; b++) {
            assertEquals(0.0, mel.weight(0, b), "DC row must be zero");
        }
    }

    @Test
    void stftMagnitudeMatchesNumpyWithin1e5Relative() throws Exception {
        NpyIo.Array ref = golden("stft_magnitude");
        int frames = ref.dim(0);
        float[] r = ref.asFloats();
        float[] x = signal();
        Stft stft = new Stft(WindowFunction.HANN, 400, 512);
        double[] mag = new double[257];
        double peak = 0;
        double maxErr = 0;
        for (int f = 0; f < frames; f++) {
            stft.magnitude(x, f * 160, mag);
            for (int k = 0; k < 257; k++) {
                peak = Math.max(peak, r[f * 257 + k]);
                maxErr = Math.max(maxErr, Math.abs(mag[k] - r[f * 257 + k]));
            }
        }
        assertTrue(peak > 10, "the golden signal has energy");
        assertTrue(maxErr / peak < 1e-5, "STFT relative error " + maxErr / peak);
    }

    @Test
    void vggishLogMelExamplesMatchNumpyWithin1e5() throws Exception {
        NpyIo.Array ref = golden("logmel_examples");
        float[][][] ex = VggishLogMel.examples(signal());
        assertArrayEquals(ref.shape(), new int[] {ex.length, 96, 64});
        assertEquals(2, ex.length);
        float[] r = ref.asFloats();
        double maxErr = 0;
        int i = 0;
        for (float[][] e : ex) {
            for (float[] row : e) {
                for (float v : row) {
                    maxErr = Math.max(maxErr, Math.abs(v - r[i++]));
                }
            }
        }
        assertTrue(maxErr < 1e-5, "log-mel max abs error " + maxErr);
    }

    @Test
    void spectrogramDbMatchesNumpyWithinOneThousandthDb() throws Exception {
        float[] x = signal();
        PcmBuffer pcm = new PcmBuffer(16000, x);
        check(pcm, "spec_db_mel", new SpectrogramSettings(512, WindowFunction.HANN, 0.75, FrequencyScale.MEL,
                0, 0, -100, 0, ColorMap.MAGMA, 64), 300.0, 100);
        check(pcm, "spec_db_linear", new SpectrogramSettings(400, WindowFunction.HAMMING, 0.5,
                FrequencyScale.LINEAR, 0, 0, -100, 0, ColorMap.VIRIDIS, 128), 160.0, 190);
        check(pcm, "spec_db_log", new SpectrogramSettings(1024, WindowFunction.BLACKMAN, 0.9, FrequencyScale.LOG,
                0, 0, -100, 0, ColorMap.GREYSCALE, 96), 2000.0, 16);
        check(pcm, "spec_db_rect", new SpectrogramSettings(256, WindowFunction.RECTANGULAR, 0.0,
                FrequencyScale.LINEAR, 0, 0, -100, 0, ColorMap.MAGMA, 200), 90.5, 64);
    }

    private static void check(PcmBuffer pcm, String name, SpectrogramSettings s, double spc, int columns)
            throws Exception {
        NpyIo.Array ref = golden(name);
        assertArrayEquals(new int[] {s.rows(), columns}, ref.shape(), name);
        float[] r = ref.asFloats();
        float[] db = new Spectrogram(s, 16000).columnsDb(pcm, 0, spc, 0, columns, Cancellation.NEVER);
        double maxErr = 0;
        int loud = 0;
        for (int i = 0; i < r.length; i++) {
            // Below -150 dB both sides are FFT rounding noise; the levels that can be seen must agree.
            if (r[i] > -150 || db[i] > -150) {
                maxErr = Math.max(maxErr, Math.abs(db[i] - r[i]));
            }
            if (r[i] > -20) {
                loud++;
            }
        }
        assertTrue(loud > 0, name + ": golden has visible energy");
        assertTrue(maxErr < 1e-3, name + ": max dB error " + maxErr);
    }

    /** resampy.resample (kaiser_best) is the reference: within 1e-5 of full scale, down and up. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"resample_in_44k, resample_out_16k, 44100",
        "resample_in_48000, resample_out_48000_16k, 48000", "resample_in_22050, resample_out_22050_16k, 22050",
        "resample_in_8000, resample_out_8000_16k, 8000"})
    void resamplerMatchesResampyKaiserBestWithin1e5(String inName, String outName, int rate) throws Exception {
        float[] in = golden(inName).asFloats();
        float[] ref = golden(outName).asFloats();
        float[] out = new Resampler(rate, 16000).process(in);
        assertEquals(ref.length, out.length);
        double maxErr = 0;
        for (int i = 0; i < ref.length; i++) {
            maxErr = Math.max(maxErr, Math.abs(out[i] - ref[i]));
        }
        assertTrue(maxErr < 1e-5, rate + " Hz: resampler max abs error " + maxErr);
        System.out.printf("resampler %d -> 16000: max abs error vs resampy %.2e%n", rate, maxErr);
    }
}
