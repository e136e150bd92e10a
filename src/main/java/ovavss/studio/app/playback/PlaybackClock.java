package ovavss.studio.app.playback;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The single master clock of playback, in media presentation time (microseconds, same origin as
 * the frame PTS table). While playing, media time advances as {@code anchorMedia + (base − anchorBase) × rate},
 * where the {@link TimeBase} is either the audio device's played-frame position (so video follows
 * what is heard) or the wall clock when there is no audio device. Callers map the time to a frame
 * with {@code FrameIndex.indexAt}; the clock itself knows nothing about frame rates.
 *
 * <p>Thread-safe: the UI samples it every pulse while the audio feeder reacts to its events.
 */
public final class PlaybackClock {
    /** Minimum and maximum playback speed. */
    public static final double MIN_RATE = 0.25;
    public static final double MAX_RATE = 2.0;

    /** Notified (on the caller's thread) before the clock re-anchors, so an audio output can flush first. */
    public interface Listener {
        default void started(long mediaMicros, double rate) { }

        default void stopped(long mediaMicros) { }

        default void jumped(long mediaMicros, boolean playing) { }

        default void rateChanged(double rate, long mediaMicros, boolean playing) { }
    }

    private final TimeBase base;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private boolean playing;
    private double rate = 1.0;
    private long anchorMedia;
    private long anchorBase;
    private long durationMicros;
    private long loopStart = -1;
    private long loopEnd = -1;
    private boolean looping;

    public PlaybackClock(TimeBase base) {
        this.base = base;
    }

    public void addListener(Listener l) {
        listeners.add(l);
    }

    public void removeListener(Listener l) {
        listeners.remove(l);
    }

    /** Length of the media; playback stops (or loops) there. */
    public synchronized void setDuration(long micros) {
        durationMicros = Math.max(0, micros);
        anchorMedia = clamp(anchorMedia);
    }

    public synchronized long duration() {
        return durationMicros;
    }

    public synchronized boolean isPlaying() {
        return playing;
    }

    public synchronized double rate() {
        return rate;
    }

    /** Current media time. Does not apply loop or end handling; see {@link #tick()}. */
    public synchronized long timeMicros() {
        if (!playing) {
            return anchorMedia;
        }
        long elapsed = base.nowMicros() - anchorBase;
        return clamp(anchorMedia + Math.round(Math.max(0, elapsed) * rate));
    }

    /**
     * Samples the clock once per UI pulse and applies the loop and end-of-media rules: past the
     * loop end it jumps back to the loop start; at the end of the media it stops.
     */
    public long tick() {
        boolean stop = false;
        long jumpTo = -1;
        synchronized (this) {
            long t = timeMicros();
            if (!playing) {
                return t;
            }
            if (looping && loopEnd > loopStart && t >= loopEnd) {
                jumpTo = loopStart;
            } else if (t >= durationMicros) {
                stop = true;
            }
        }
        if (jumpTo >= 0) {
            seek(jumpTo);
        } else if (stop) {
            pause();
            seek(durationMicros);
        }
        return timeMicros();
    }

    public void play() {
        long t;
        synchronized (this) {
            if (playing) {
                return;
            }
            if (anchorMedia >= durationMicros) {
                // Play at the end restarts from the beginning, as media players do.
                anchorMedia = looping && loopEnd > loopStart ? loopStart : 0;
            }
            t = anchorMedia;
        }
        for (Listener l : listeners) {
            l.started(t, rate());
        }
        synchronized (this) {
            anchorBase = base.nowMicros();
            playing = true;
        }
    }

    public void pause() {
        long t;
        synchronized (this) {
            if (!playing) {
                return;
            }
            t = timeMicros();
            anchorMedia = t;
            playing = false;
        }
        for (Listener l : listeners) {
            l.stopped(t);
        }
    }

    public void togglePlay() {
        if (isPlaying()) {
            pause();
        } else {
            play();
        }
    }

    /** Moves the clock to {@code micros}, clamped to [0, duration]; keeps playing if it was. */
    public void seek(long micros) {
        long t;
        boolean p;
        synchronized (this) {
            t = clamp(micros);
            p = playing;
        }
        for (Listener l : listeners) {
            l.jumped(t, p);
        }
        synchronized (this) {
            anchorMedia = t;
            anchorBase = base.nowMicros();
        }
    }

    /** Sets the speed, clamped to [{@value #MIN_RATE}, {@value #MAX_RATE}], without a jump in media time. */
    public void setRate(double r) {
        double clamped = Math.max(MIN_RATE, Math.min(MAX_RATE, r));
        long t;
        boolean p;
        synchronized (this) {
            t = timeMicros();
            p = playing;
        }
        for (Listener l : listeners) {
            l.rateChanged(clamped, t, p);
        }
        synchronized (this) {
            anchorMedia = t;
            anchorBase = base.nowMicros();
            rate = clamped;
        }
    }

    /** Sets the loop range (ignored when empty) and whether playback loops inside it. */
    public synchronized void setLoop(long startMicros, long endMicros, boolean enabled) {
        loopStart = clamp(Math.min(startMicros, endMicros));
        loopEnd = clamp(Math.max(startMicros, endMicros));
        looping = enabled;
    }

    private long clamp(long t) {
        return Math.max(0, Math.min(durationMicros, t));
    }
}
