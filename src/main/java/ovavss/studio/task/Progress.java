package ovavss.studio.task;

/**
 * Immutable progress snapshot of a background job. Workers publish snapshots through a
 * {@link ProgressSink}; the UI samples the latest one on its own schedule (every 100–200 ms)
 * instead of receiving one callback per step.
 *
 * @param done units finished so far
 * @param total units in all, or -1 when unknown
 * @param message short human-readable status
 */
public record Progress(long done, long total, String message) {
    public static final Progress IDLE = new Progress(0, -1, "");

    /** Fraction in [0,1], or -1 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) done / total);
    }
}
