package ovavss.studio.app.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The master clock against a hand-driven time base; no toolkit, no audio device. */
class PlaybackClockTest {
    private long now;
    private PlaybackClock clock;
    private final List<String> events = new ArrayList<>();

    @BeforeEach
    void setUp() {
        now = 5_000_000;   // the base's origin is arbitrary
        clock = new PlaybackClock(() -> now);
        clock.setDuration(10_000_000);
        clock.addListener(new PlaybackClock.Listener() {
            @Override
            public void started(long t, double rate) {
                events.add("start " + t);
            }

            @Override
            public void stopped(long t) {
                events.add("stop " + t);
            }

            @Override
            public void jumped(long t, boolean playing) {
                events.add("jump " + t + " " + playing);
            }
        });
    }

    @Test
    void standsStillUntilPlayedThenFollowsTheBase() {
        now += 1_000_000;
        assertEquals(0, clock.timeMicros());
        clock.play();
        now += 250_000;
        assertEquals(250_000, clock.tick());
        clock.pause();
        now += 3_000_000;
        assertEquals(250_000, clock.timeMicros());
        assertEquals(List.of("start 0", "stop 250000"), events);
    }

    @Test
    void seekWhilePlayingReanchors() {
        clock.play();
        now += 1_000_000;
        clock.seek(7_000_000);
        assertEquals(7_000_000, clock.timeMicros());
        now += 500_000;
        assertEquals(7_500_000, clock.tick());
        assertTrue(events.contains("jump 7000000 true"));
    }

    @Test
    void rateScalesElapsedTimeWithoutAJump() {
        clock.play();
        now += 1_000_000;
        clock.setRate(0.5);
        assertEquals(1_000_000, clock.timeMicros());
        now += 1_000_000;
        assertEquals(1_500_000, clock.timeMicros());
        clock.setRate(2.0);
        now += 1_000_000;
        assertEquals(3_500_000, clock.timeMicros());
        clock.setRate(9);
        assertEquals(PlaybackClock.MAX_RATE, clock.rate());
        clock.setRate(0.01);
        assertEquals(PlaybackClock.MIN_RATE, clock.rate());
    }

    @Test
    void stopsAtTheEndAndRestartsFromZero() {
        clock.seek(9_900_000);
        clock.play();
        now += 400_000;
        assertEquals(10_000_000, clock.tick());
        assertFalse(clock.isPlaying());
        clock.play();
        assertEquals(0, clock.timeMicros());
    }

    @Test
    void loopsInsideTheSelection() {
        clock.setLoop(2_000_000, 3_000_000, true);
        clock.seek(2_900_000);
        clock.play();
        now += 200_000;
        assertEquals(2_000_000, clock.tick());
        assertTrue(clock.isPlaying());
        now += 100_000;
        assertEquals(2_100_000, clock.tick());
        clock.setLoop(2_000_000, 3_000_000, false);
        now += 1_000_000;
        assertEquals(3_100_000, clock.tick());
    }

    @Test
    void seekIsClampedToTheMedia() {
        clock.seek(-5);
        assertEquals(0, clock.timeMicros());
        clock.seek(99_000_000);
        assertEquals(10_000_000, clock.timeMicros());
    }

    @Test
    void aBaseThatStallsHoldsTheClock() {
        // Audio-driven: when the device has not played anything yet, the picture waits for it.
        clock.play();
        assertEquals(0, clock.tick());
        assertEquals(0, clock.tick());
        now += 40_000;
        assertEquals(40_000, clock.tick());
    }
}
