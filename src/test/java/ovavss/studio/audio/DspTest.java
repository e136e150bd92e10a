package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Resampler quality, VGGish framing, colour maps and the frequency ruler. */
class DspTest {

    @Test
    void resamplerReproducesAnInBandSineAndRemovesAnAliasingOne() {
        int in = 44100;
        int out = 16000;
        float[] x = new float[in];
        float[] alias = new float[in];
        for (int i = 0; i < in; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * 1000.0 * i / in);
            alias[i] = (float) Math.sin(2 * Math.PI * 12000.0 * i / in); // above the new Nyquist
        }
        Resampler r = new Resampler(in, out);
        float[] y = r.process(x);
        float[] z = r.process(alias);
        assertEquals(16000, y.length);
        double err = 0;
        double leak = 0;
        for (int n = 1000; n < y.length - 1000; n++) { // away from the zero-padded edges
            err = Math.max(err, Math.abs(y[n] - Math.sin(2 * Math.PI * 1000.0 * n / out)));
            leak = Math.max(leak, Math.abs(z[n]));
        }
        assertTrue(err < 1e-3, "in-band error " + err);
        assertTrue(leak < 1e-3, "alias leakage " + leak);
        // Upsampling and odd ratios work too.
        assertEquals(32000, new Resampler(16000, 32000).process(new float[16000]).length);
        assertEquals(14, new Resampler(48000, 22050).outputLength(31));
        float[] up = new Resampler(8000, 16000).process(sine(8000, 500, 8000));
        assertEquals(Math.sin(2 * Math.PI * 500.0 * 4001 / 16000), up[4001], 1e-3);
    }

    private static float[] sine(int n, double f, int sr) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * f * i / sr);
        }
        return x;
    }

    @Test
    void vggishFramingAndExampleCountFollowTheSpec() {
        assertEquals(0, VggishLogMel.frameCount(399));
        assertEquals(1, VggishLogMel.frameCount(400));
        assertEquals(98, VggishLogMel.frameCount(16000));
        assertEquals(0, VggishLogMel.examples(new float[15_000]).length);
        // 10 s → 998 frames → 10 examples; silence gives log(0.01) everywhere.
        float[][][] ex = VggishLogMel.examples(new float[160_000]);
        assertEquals(10, ex.length);
        assertEquals((float) Math.log(0.01), ex[3][50][10], 1e-7);
    }

    @Test
    void vggishFromAStereo44kSourceMixesAndResamples() {
        int sr = 44100;
        float[] left = sine(sr * 2, 440, sr);
        float[] right = new float[sr * 2];
        float[][][] fromSource = VggishLogMel.examples(new PcmBuffer(sr, left, right));
        float[] mono = new float[left.length];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = left[i] * 0.5f;
        }
        float[][][] direct = VggishLogMel.examples(new Resampler(sr, 16000).process(mono));
        assertEquals(2, fromSource.length);
        for (int e = 0; e < 2; e++) {
            for (int t = 0; t < 96; t++) {
                for (int b = 0; b < 64; b++) {
                    assertEquals(direct[e][t][b], fromSource[e][t][b], 1e-5);
                }
            }
        }
        // The 440 Hz band dominates.
        int best = 0;
        for (int b = 1; b < 64; b++) {
            if (fromSource[0][48][b] > fromSource[0][48][best]) {
                best = b;
            }
        }
        double lo = MelFilterbank.melToHz(MelFilterbank.hzToMel(125) + best * (MelFilterbank.hzToMel(7500) - MelFilterbank.hzToMel(125)) / 65);
        double hi = MelFilterbank.melToHz(MelFilterbank.hzToMel(125) + (best + 2) * (MelFilterbank.hzToMel(7500) - MelFilterbank.hzToMel(125)) / 65);
        assertTrue(lo < 440 && 440 < hi, "band " + best + " spans " + lo + ".." + hi);
    }

    @Test
    void colourMapsHitPublishedAnchorColours() {
        // Matplotlib's published endpoints and midpoints (hex); the polynomial fits are within 6/255.
        assertClose(0x440154, ColorMap.VIRIDIS.evaluate(0));
        assertClose(0x21918c, ColorMap.VIRIDIS.evaluate(0.5));
        assertClose(0xfde725, ColorMap.VIRIDIS.evaluate(1));
        assertClose(0x000004, ColorMap.MAGMA.evaluate(0));
        assertClose(0xb73779, ColorMap.MAGMA.evaluate(0.5));
        assertClose(0xfcfdbf, ColorMap.MAGMA.evaluate(1));
        assertEquals(0xFF808080, ColorMap.GREYSCALE.argb(0.5));
        assertEquals(256, ColorMap.MAGMA.lut().length);
        // Perceptual maps increase in lightness monotonically (approximated by luma).
        for (ColorMap m : ColorMap.values()) {
            double prev = -1;
            for (int i = 0; i < 256; i += 8) {
                int c = m.lut()[i];
                double luma = 0.299 * (c >> 16 & 0xFF) + 0.587 * (c >> 8 & 0xFF) + 0.114 * (c & 0xFF);
                assertTrue(luma >= prev - 1, m + " luma dips at " + i);
                prev = luma;
            }
        }
    }

    private static void assertClose(int rgb, int argb) {
        assertEquals(0xFF, argb >>> 24);
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = rgb >> shift & 0xFF;
            int b = argb >> shift & 0xFF;
            assertTrue(Math.abs(a - b) <= 6, String.format("expected %06x got %06x", rgb, argb & 0xFFFFFF));
        }
    }

    @Test
    void rulerMapsRowsToFrequenciesBothWaysAndPicksNiceTicks() {
        for (FrequencyScale s : FrequencyScale.values()) {
            FrequencyRuler r = new FrequencyRuler(s, 0, 22050, 256);
            assertEquals(22050, r.rowToHz(0), 1e-6);
            assertEquals(r.minHz(), r.rowToHz(256), 1e-6);
            for (double hz : new double[] {100, 440, 1000, 8000}) {
                assertEquals(hz, r.rowToHz(r.hzToRow(hz)), 1e-6);
            }
            assertTrue(r.hzToRow(8000) < r.hzToRow(1000), "higher frequency is higher up");
            List<FrequencyRuler.Tick> ticks = r.ticks(300, 24);
            assertTrue(ticks.size() >= 4, s + " " + ticks);
            for (int i = 1; i < ticks.size(); i++) {
                assertTrue(ticks.get(i).y() - ticks.get(i - 1).y() >= 24 - 1e-9, s + " spacing " + ticks);
                assertTrue(ticks.get(i).hz() < ticks.get(i - 1).hz());
            }
            if (s == FrequencyScale.LINEAR) {
                double step = ticks.get(0).hz() - ticks.get(1).hz();
                assertEquals(step, FrequencyRuler.niceStep(step), 1e-9, "1-2-5 step");
                for (FrequencyRuler.Tick t : ticks) {
                    assertEquals(0, t.hz() % step, 1e-6, "multiple of the step " + t);
                }
                continue;
            }
            for (FrequencyRuler.Tick t : ticks) {
                double mant = t.hz() / Math.pow(10, Math.floor(Math.log10(t.hz())));
                assertTrue(Math.abs(mant * 2 - Math.round(mant * 2)) < 1e-9 || t.hz() == 0, "nice value " + t);
            }
        }
        assertEquals(20, new FrequencyRuler(FrequencyScale.LOG, 0, 8000, 100).minHz());
        assertEquals("1.5 kHz", FrequencyRuler.label(1500));
        assertEquals("500 Hz", FrequencyRuler.label(500));
        assertEquals(2000, FrequencyRuler.niceStep(1234));
        assertEquals(5, FrequencyRuler.niceStep(2.1));
    }

    @Test
    void settingsValidateAndDeriveFftAndHop() {
        SpectrogramSettings d = SpectrogramSettings.defaults();
        assertEquals(1024, d.fftLength());
        assertEquals(256, d.hop());
        assertEquals(2048, d.withWindowLength(1500).fftLength());
        assertEquals(22050, d.effectiveMaxHz(44100));
        assertThrows(IllegalArgumentException.class, () -> d.withDbRange(0, -10));
        assertThrows(IllegalArgumentException.class, () -> d.withOverlap(1.0));
        assertThrows(IllegalArgumentException.class, () -> d.withWindowLength(8));
        assertThrows(IllegalArgumentException.class, () -> d.withFrequencyRange(500, 100));
    }
}
