package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Each log-mel example's span has a level in dBFS (SeAC's silence gate reads it): a full-scale
 * square wave is 0 dB, a sine of amplitude a is 20·log10(a/√2), silence and spans past the end are
 * the floor. The Python reference ({@code example_levels_db}) is checked by models/tests.
 */
class ExampleLevelsTest {
    @Test
    void levelsFollowEachExamplesSpan() {
        int span = VggishLogMel.EXAMPLE_SAMPLES;
        assertEquals(15_360, span, "96 frames of 10 ms at 16 kHz");
        float[] x = new float[2 * span + span / 2]; // two full examples and half of a third
        for (int i = 0; i < span; i++) {
            x[i] = i % 2 == 0 ? 1f : -1f; // example 0: full-scale square wave
            x[span + i] = (float) (0.1 * Math.sin(2 * Math.PI * 440 * i / 16_000.0)); // example 1: sine, a = 0.1
        }
        for (int i = 2 * span; i < x.length; i++) {
            x[i] = 0.01f; // example 2: half a span of a constant, the rest past the end
        }
        float[] db = VggishLogMel.exampleLevelsDb(x, 4);
        assertEquals(0.0, db[0], 1e-4);
        assertEquals(20 * Math.log10(0.1 / Math.sqrt(2)), db[1], 0.01);
        assertEquals(-40.0, db[2], 1e-3, "a cut-short span is measured over what there is");
        assertEquals(-100.0, db[3], 1e-6, "past the end of the audio: silence");
        assertEquals(-100.0, VggishLogMel.exampleLevelsDb(new float[span], 1)[0], 1e-3, "digital silence: the floor");
    }
}
