package ovavss.studio.app.playback;

import java.util.Locale;

/**
 * What playback did with the frames, counted once per UI pulse while playing: frames shown,
 * frames dropped (due at some pulse but never on screen: the picture went past them), and how far
 * the picture lags the clock (the time of the frame due now minus the time of the frame on screen;
 * 0 when the right frame is up). A frame shorter than a pulse that is never due at one (10 ms frames
 * of a variable-rate file at 60 Hz) cannot be shown by any display and is not counted. A pause ends
 * a run; the counts add up over the runs of one media.
 */
public final class PlaybackStats {
    private boolean playing;
    private int lastShown = -1;
    private int lastDue = -1;
    /** Frames due at a pulse and not yet shown, in order. */
    private final java.util.ArrayDeque<Integer> pending = new java.util.ArrayDeque<>();
    private long shown;
    private long dropped;
    private long offsetSamples;
    private double offsetSumMs;
    private double offsetMaxMs;

    /**
     * One pulse.
     *
     * @param isPlaying whether the clock runs
     * @param due the frame the clock says should be on screen, -1 when none
     * @param dueMicros its time
     * @param onScreen the frame on screen, -1 when none
     * @param onScreenMicros its time
     * @return true when this pulse ended a run (the caller may log {@link #summary()})
     */
    public boolean pulse(boolean isPlaying, int due, long dueMicros, int onScreen, long onScreenMicros) {
        if (!isPlaying) {
            boolean ended = playing;
            playing = false;
            return ended;
        }
        if (!playing) {
            playing = true;
            lastShown = onScreen;
            lastDue = due;
            pending.clear();
            return false;
        }
        if (due > lastDue && due > lastShown) {
            pending.addLast(due);
        }
        lastDue = Math.max(lastDue, due);
        if (onScreen != lastShown && onScreen >= 0) {
            if (onScreen > lastShown) {
                while (!pending.isEmpty() && pending.peekFirst() < onScreen) {
                    pending.removeFirst();
                    dropped++;
                }
                if (!pending.isEmpty() && pending.peekFirst() == onScreen) {
                    pending.removeFirst();
                }
            } else {
                pending.clear();   // a jump back (a loop): a new stretch
                lastDue = due;
            }
            shown++;
            lastShown = onScreen;
        }
        if (due >= 0 && onScreen >= 0 && due >= onScreen) {
            double lagMs = (dueMicros - onScreenMicros) / 1000.0;
            offsetSumMs += lagMs;
            offsetMaxMs = Math.max(offsetMaxMs, lagMs);
            offsetSamples++;
        }
        return false;
    }

    public long shown() {
        return shown;
    }

    public long dropped() {
        return dropped;
    }

    /** Dropped frames as a share of the frames due (shown + dropped), in percent. */
    public double droppedPercent() {
        return shown + dropped == 0 ? 0 : 100.0 * dropped / (shown + dropped);
    }

    /** Mean lag of the picture behind the clock over the pulses, in ms. */
    public double meanOffsetMs() {
        return offsetSamples == 0 ? 0 : offsetSumMs / offsetSamples;
    }

    public double maxOffsetMs() {
        return offsetMaxMs;
    }

    /** "1800 frames shown, 3 dropped (0.2 %), picture 4.1 ms behind the clock (max 33.3)". */
    public String summary() {
        return String.format(Locale.ROOT, "%d frames shown, %d dropped (%.1f %%), picture %.1f ms behind the clock"
                + " (max %.1f)", shown, dropped, droppedPercent(), meanOffsetMs(), maxOffsetMs());
    }
}
