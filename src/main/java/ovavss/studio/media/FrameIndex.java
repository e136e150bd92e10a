package ovavss.studio.media;

/**
 * The presentation timestamps of every video frame, in order. All time ↔ frame conversion goes
 * through this table (never {@code time × fps}), so VFR media are exact.
 */
public interface FrameIndex {
    int count();

    /** Presentation time of frame {@code index}, microseconds from the first frame. */
    long timeMicros(int index);

    /** The frame on screen at {@code timeMicros}: the last frame whose PTS ≤ t, clamped to [0, count-1]. */
    int indexAt(long timeMicros);
}
