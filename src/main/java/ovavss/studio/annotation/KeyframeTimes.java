package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.List;

/**
 * The keyframe times of a clip, in seconds, increasing, and the lookups everything that moves
 * between time and keyframes shares (player keys, overlay, sound lanes, keyframe list, analysis
 * ranges). A clip's times count from its start ({@link Clip#keyframes()}); {@link #shifted} puts
 * them in media time.
 *
 * <p>The default grid is AVSBench's ({@link #onePerSecond}): one keyframe per whole second,
 * k = 0 .. floor(duration) - 1 at t = k; a keyframe stands for the second that starts at it, so a
 * partial last second has none. A time within {@link #TOLERANCE} of a keyframe counts as on it
 * (decoded timestamps are rounded).
 */
public final class KeyframeTimes {
    /** How close (seconds) a time must be to a keyframe to count as on it. */
    public static final double TOLERANCE = 1e-3;
    /** Span of the last keyframe when nothing follows it: the default grid's spacing, seconds. */
    private static final double DEFAULT_SPACING = 1.0;

    private final List<Double> times;

    private KeyframeTimes(List<Double> times) {
        this.times = times;
    }

    /**
     * Keyframes at the given times.
     *
     * @throws AnnotationException when a time is not finite or the times do not increase
     */
    public static KeyframeTimes of(List<Double> times) {
        List<Double> t = List.copyOf(times);
        for (int i = 0; i < t.size(); i++) {
            if (!Double.isFinite(t.get(i))) {
                throw new AnnotationException("keyframe time " + t.get(i) + " is not a number of seconds");
            }
            if (i > 0 && !(t.get(i) > t.get(i - 1))) {
                throw new AnnotationException("keyframe times must increase");
            }
        }
        return new KeyframeTimes(t);
    }

    /** AVSBench's default grid over {@code durationSeconds}: t = 0, 1, ... while a whole second is left. */
    public static KeyframeTimes onePerSecond(double durationSeconds) {
        int n = durationSeconds > 0 ? (int) Math.floor(durationSeconds + 1e-9) : 0;
        List<Double> t = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            t.add((double) k);
        }
        return new KeyframeTimes(List.copyOf(t));
    }

    public int count() {
        return times.size();
    }

    public boolean isEmpty() {
        return times.isEmpty();
    }

    /** Time of keyframe {@code k}. */
    public double time(int k) {
        return times.get(k);
    }

    /** The times, immutable. */
    public List<Double> asList() {
        return times;
    }

    /** The same keyframes {@code offset} seconds later (clip time to media time: the clip's start). */
    public KeyframeTimes shifted(double offset) {
        if (offset == 0) {
            return this;
        }
        List<Double> t = new ArrayList<>(times.size());
        for (double x : times) {
            t.add(x + offset);
        }
        return new KeyframeTimes(List.copyOf(t));
    }

    /** The last keyframe at or before {@code t}, or -1 before the first (or when there are none). */
    public int atOrBefore(double t) {
        int lo = 0;
        int hi = times.size() - 1;
        int best = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (times.get(mid) <= t + TOLERANCE) {
                best = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return best;
    }

    /** The first keyframe at or after {@code t}, or {@link #count()} when none is. */
    public int atOrAfter(double t) {
        int k = atOrBefore(t - 2 * TOLERANCE);
        return k + 1;
    }

    /** The keyframe closest to {@code t} (the earlier one on a tie), or -1 when there are none. */
    public int nearest(double t) {
        if (times.isEmpty()) {
            return -1;
        }
        int k = Math.max(0, atOrBefore(t));
        if (k + 1 < times.size() && times.get(k + 1) - t < Math.abs(t - times.get(k))) {
            return k + 1;
        }
        return k;
    }

    /** The first keyframe after {@code t} (one on {@code t} does not count), or -1. */
    public int next(double t) {
        int k = atOrBefore(t) + 1;
        return k < times.size() ? k : -1;
    }

    /** The last keyframe before {@code t} (one on {@code t} does not count), or -1. */
    public int previous(double t) {
        return atOrBefore(t - 2 * TOLERANCE);
    }

    /**
     * End of keyframe {@code k}'s span: the next keyframe, else one grid step after it, cut at
     * {@code end} (the clip's end on the same time axis) but never empty.
     */
    public double spanEnd(int k, double end) {
        double t = times.get(k);
        return k + 1 < times.size() ? times.get(k + 1)
                : Math.max(t + TOLERANCE, Math.min(t + DEFAULT_SPACING, end));
    }

    /** The keyframe whose span ({@link #spanEnd}) holds {@code t}, or -1 (before the first, after the last span). */
    public int spanAt(double t, double end) {
        int k = atOrBefore(t);
        return k >= 0 && t < spanEnd(k, end) ? k : -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyframeTimes k && k.times.equals(times);
    }

    @Override
    public int hashCode() {
        return times.hashCode();
    }

    @Override
    public String toString() {
        return "KeyframeTimes" + times;
    }
}
