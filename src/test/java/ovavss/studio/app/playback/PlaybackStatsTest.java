package ovavss.studio.app.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Dropped frames and the picture's lag, counted per pulse while playing. */
class PlaybackStatsTest {
    private static final long FRAME = 33_333;

    @Test
    void countsSkippedFramesAndTheLagOnlyWhilePlaying() {
        PlaybackStats s = new PlaybackStats();
        s.pulse(false, 5, 5 * FRAME, 5, 5 * FRAME);             // paused: nothing counts
        s.pulse(true, 5, 5 * FRAME, 5, 5 * FRAME);              // a run starts at frame 5
        s.pulse(true, 6, 6 * FRAME, 6, 6 * FRAME);
        s.pulse(true, 7, 7 * FRAME, 6, 6 * FRAME);              // frame 7 not decoded yet: 33 ms behind
        s.pulse(true, 9, 9 * FRAME, 9, 9 * FRAME);              // jumped from 6 to 9: 7 was due and never shown;
        assertEquals(2, s.shown());                             // 8 was never due at a pulse (no display could show it)
        assertEquals(1, s.dropped());
        assertEquals(100.0 / 3, s.droppedPercent(), 1e-9);
        assertEquals(33.333 / 3, s.meanOffsetMs(), 1e-3, "three pulses after the run started: 0, 33.3, 0 ms");
        assertEquals(33.333, s.maxOffsetMs(), 1e-3);
        assertTrue(s.pulse(false, 9, 9 * FRAME, 9, 9 * FRAME), "a pause ends the run");
        assertFalse(s.pulse(false, 9, 9 * FRAME, 9, 9 * FRAME));
        // a new run after a seek back does not count the jump as drops
        s.pulse(true, 2, 2 * FRAME, 2, 2 * FRAME);
        s.pulse(true, 3, 3 * FRAME, 3, 3 * FRAME);
        assertEquals(3, s.shown());
        assertEquals(1, s.dropped());
        assertTrue(s.summary().startsWith("3 frames shown, 1 dropped (25.0 %)"), s.summary());
    }
}
