package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OnsetDetectorTest {
    private static final int RATE = 16000;

    /** Tone bursts at known times over faint noise. */
    private static float[] bursts(double[][] spans, double seconds) {
        float[] pcm = new float[(int) (seconds * RATE)];
        Random r = new Random(3);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.001 * r.nextGaussian());
        }
        for (double[] s : spans) {
            double f = s[2];
            for (int i = (int) (s[0] * RATE); i < (int) (s[1] * RATE); i++) {
                pcm[i] += (float) (0.4 * Math.sin(2 * Math.PI * f * i / RATE));
            }
        }
        return pcm;
    }

    @Test
    void findsOnsetsAndOffsetsOfToneBursts() {
        double[][] spans = {{0.5, 1.2, 440}, {2.0, 2.6, 1000}, {3.3, 4.5, 700}};
        List<OnsetDetector.Suggestion> s = new OnsetDetector().detect(bursts(spans, 5), RATE);
        List<OnsetDetector.Suggestion> on = s.stream().filter(x -> x.kind() == OnsetDetector.Kind.ONSET).toList();
        List<OnsetDetector.Suggestion> off = s.stream().filter(x -> x.kind() == OnsetDetector.Kind.OFFSET).toList();
        assertEquals(3, on.size(), s.toString());
        assertEquals(3, off.size(), s.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(spans[i][0], on.get(i).seconds(), 0.03, "onset " + i + " " + s);
            assertEquals(spans[i][1], off.get(i).seconds(), 0.05, "offset " + i + " " + s);
        }
        for (int i = 1; i < s.size(); i++) {
            assertTrue(s.get(i).seconds() >= s.get(i - 1).seconds());
        }
    }

    @Test
    void findsBurstsOverLoudNoiseAndASteadyTone() {
        float[] pcm = new float[RATE * 4];
        Random r = new Random(5);
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.05 * r.nextGaussian() + 0.2 * Math.sin(2 * Math.PI * 500 * i / RATE));
        }
        double[] starts = {0.8, 2.1, 3.2};
        for (double t0 : starts) {
            for (int i = (int) (t0 * RATE); i < (int) ((t0 + 0.25) * RATE); i++) {
                pcm[i] += (float) (0.3 * Math.sin(2 * Math.PI * 1500 * i / RATE));
            }
        }
        List<OnsetDetector.Suggestion> on = new OnsetDetector().detect(pcm, RATE).stream()
                .filter(x -> x.kind() == OnsetDetector.Kind.ONSET && x.seconds() > 0.1).toList();
        assertEquals(3, on.size(), on.toString());
        for (int i = 0; i < 3; i++) {
            assertEquals(starts[i], on.get(i).seconds(), 0.03, on.toString());
        }
    }

    @Test
    void steadyToneAndSilenceGiveNoSuggestions() {
        float[] tone = new float[RATE * 2];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        List<OnsetDetector.Suggestion> s = new OnsetDetector().detect(tone, RATE);
        assertTrue(s.stream().allMatch(x -> x.seconds() < 0.06), "only the start may count: " + s);
        assertEquals(List.of(), new OnsetDetector().detect(new float[RATE], RATE));
    }

    @Test
    void nextAndPreviousSkipTheCurrentTime() {
        List<OnsetDetector.Suggestion> s = List.of(
                new OnsetDetector.Suggestion(1, OnsetDetector.Kind.ONSET, 1),
                new OnsetDetector.Suggestion(2, OnsetDetector.Kind.OFFSET, 1));
        assertEquals(2, OnsetDetector.next(s, 1.0).seconds());
        assertEquals(1, OnsetDetector.next(s, 0).seconds());
        assertNull(OnsetDetector.next(s, 2));
        assertEquals(1, OnsetDetector.previous(s, 2.0).seconds());
        assertNull(OnsetDetector.previous(s, 1.0));
    }
}
