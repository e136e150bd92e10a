package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;
import org.junit.jupiter.api.Test;

/** Waveform envelope against a brute-force min/max over the raw samples. */
class WaveformPeaksTest {

    private static PcmBuffer noiseWithBursts(int channels, int length, long seed) {
        Random rnd = new Random(seed);
        float[][] ch = new float[channels][length];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < length; i++) {
                ch[c][i] = (float) ((rnd.nextFloat() * 2 - 1) * (i % 50_000 < 2_000 ? 0.6 : 0.05));
            }
            ch[c][rnd.nextInt(length)] = c == 0 ? 0.99f : -0.99f; // isolated peaks must survive any zoom
        }
        return new PcmBuffer(44100, ch);
    }

    private static float[] brute(PcmBuffer pcm, int channel, long a, long b) {
        a = Math.max(0, a);
        b = Math.min(pcm.length(), b);
        if (b <= a) {
            return new float[] {0, 0};
        }
        float[] x = new float[(int) (b - a)];
        pcm.read(channel, a, x, 0, x.length);
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        return new float[] {lo, hi};
    }

    @Test
    void envelopeEqualsBruteForceAtRandomZoomsAndOffsets() {
        PcmBuffer pcm = noiseWithBursts(2, 1_234_567, 7);
        WaveformPeaks peaks = WaveformPeaks.build(pcm);
        assertEquals((1_234_567 / 256) * 256L, peaks.coveredSamples());
        assertTrue(peaks.levels() >= 5);
        Random rnd = new Random(3);
        int[] channels = {0, 1, PcmSource.MONO_MIX};
        for (int trial = 0; trial < 60; trial++) {
            int channel = channels[trial % 3];
            double spc = Math.exp(rnd.nextDouble() * Math.log(200_000)) * (trial % 7 == 0 ? 0.3 : 1); // 0.3 .. 200k
            double start = rnd.nextDouble() * 1_300_000 - 50_000;
            int columns = 1 + rnd.nextInt(400);
            float[] min = new float[columns];
            float[] max = new float[columns];
            peaks.envelope(channel, start, spc, min, max);
            for (int i = 0; i < columns; i++) {
                long a = (long) Math.floor(start + i * spc);
                long b = Math.max(a + 1, (long) Math.floor(start + (i + 1) * spc));
                float[] ref = brute(pcm, channel, a, b);
                assertEquals(ref[0], min[i], 1e-6, "min, trial " + trial + " column " + i + " spc " + spc);
                assertEquals(ref[1], max[i], 1e-6, "max, trial " + trial + " column " + i + " spc " + spc);
            }
        }
    }

    @Test
    void wholeSignalInOneColumnFindsTheIsolatedPeaks() {
        PcmBuffer pcm = noiseWithBursts(2, 3_000_000, 11);
        WaveformPeaks peaks = WaveformPeaks.build(pcm);
        float[] mm0 = peaks.minMax(0, 0, pcm.length());
        float[] mm1 = peaks.minMax(1, 0, pcm.length());
        assertEquals(0.99f, mm0[1], 0f);
        assertEquals(-0.99f, mm1[0], 0f);
        float[] mono = peaks.minMax(PcmSource.MONO_MIX, 0, pcm.length());
        float[] ref = brute(pcm, PcmSource.MONO_MIX, 0, pcm.length());
        assertEquals(ref[0], mono[0], 1e-6);
        assertEquals(ref[1], mono[1], 1e-6);
    }

    @Test
    void growsWithAProgressivelyDecodedSource() {
        PcmBuffer full = noiseWithBursts(1, 500_000, 5);
        long[] available = {100_000};
        PcmSource progressive = new PcmSource() {
            @Override
            public int sampleRate() {
                return 44100;
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public long length() {
                return 200_000; // under-estimate: the pyramid must grow past it
            }

            @Override
            public long available() {
                return available[0];
            }

            @Override
            public void read(int channel, long start, float[] dst, int off, int len) {
                for (int i = 0; i < len; i++) {
                    long p = start + i;
                    dst[off + i] = p >= 0 && p < available[0] ? full.channel(0)[(int) p] : 0f;
                }
            }
        };
        WaveformPeaks peaks = WaveformPeaks.build(progressive);
        assertEquals(99_840, peaks.coveredSamples());
        available[0] = 200_000;
        peaks.update(Cancellation.NEVER);
        float[] min = new float[40];
        float[] max = new float[40];
        peaks.envelope(0, 0, 5000, min, max);
        for (int i = 0; i < 40; i++) {
            float[] ref = brute(full, 0, i * 5000L, Math.min(200_000, (i + 1) * 5000L));
            assertEquals(ref[0], min[i], 1e-6);
            assertEquals(ref[1], max[i], 1e-6);
        }
    }

    @Test
    void columnsPastTheEndAreFlatAndBadArgumentsAreRejected() {
        PcmBuffer pcm = noiseWithBursts(1, 10_000, 1);
        WaveformPeaks peaks = WaveformPeaks.build(pcm);
        float[] min = new float[4];
        float[] max = new float[4];
        peaks.envelope(0, 20_000, 100, min, max);
        for (int i = 0; i < 4; i++) {
            assertEquals(0f, min[i]);
            assertEquals(0f, max[i]);
        }
        assertThrows(IllegalArgumentException.class, () -> peaks.envelope(0, 0, 0, min, max));
        assertThrows(IllegalArgumentException.class, () -> peaks.envelope(3, 0, 1, min, max));
    }
}
