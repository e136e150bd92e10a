package ovavss.studio.app.playback;

/**
 * A monotonic source of elapsed time that drives a {@link PlaybackClock}: the wall clock, or the
 * number of audio frames an output device has actually played.
 */
@FunctionalInterface
public interface TimeBase {
    /** Elapsed microseconds since an arbitrary origin; never decreases while playing. */
    long nowMicros();

    /** The JVM's monotonic wall clock. */
    static TimeBase wall() {
        return () -> System.nanoTime() / 1_000L;
    }
}
