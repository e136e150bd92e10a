package ovavss.studio.media;

import java.util.Arrays;

/**
 * Immutable {@link FrameIndex} over a sorted table of presentation times (microseconds from the
 * first frame). Lookups are binary searches, so VFR media are exact and nothing multiplies time
 * by a frame rate.
 */
final class PtsTable implements FrameIndex {
    /** A table with no frames (media without video). */
    public static final PtsTable EMPTY = new PtsTable(new long[0]);

    private final long[] micros;

    /**
     * @param micros strictly increasing presentation times, first one 0 (copied)
     * @throws IllegalArgumentException when not strictly increasing
     */
    public PtsTable(long[] micros) {
        for (int i = 1; i < micros.length; i++) {
            if (micros[i] <= micros[i - 1]) {
                throw new IllegalArgumentException("PTS not strictly increasing at frame " + i);
            }
        }
        this.micros = micros.clone();
    }

    /** Frames at a constant {@code stepMicros} spacing, e.g. AVSBench folders (1 s). */
    public static PtsTable uniform(int count, long stepMicros) {
        long[] t = new long[count];
        for (int i = 0; i < count; i++) {
            t[i] = i * stepMicros;
        }
        return new PtsTable(t);
    }

    @Override
    public int count() {
        return micros.length;
    }

    @Override
    public long timeMicros(int index) {
        return micros[index];
    }

    @Override
    public int indexAt(long timeMicros) {
        if (micros.length == 0) {
            return 0;
        }
        int i = Arrays.binarySearch(micros, timeMicros);
        int idx = i >= 0 ? i : -i - 2;   // insertion point - 1 = last frame with PTS ≤ t
        return Math.max(0, Math.min(micros.length - 1, idx));
    }

    /** True when frame intervals differ by more than {@code toleranceMicros}. */
    public boolean isVariable(long toleranceMicros) {
        if (micros.length < 3) {
            return false;
        }
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 1; i < micros.length; i++) {
            long d = micros[i] - micros[i - 1];
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return max - min > toleranceMicros;
    }
}
