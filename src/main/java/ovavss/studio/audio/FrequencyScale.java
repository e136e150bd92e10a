package ovavss.studio.audio;

/**
 * Vertical frequency axis of the spectrogram. Maps a frequency in {@code [minHz, maxHz]} to a unit
 * position {@code u} in [0, 1] (0 = bottom, {@code minHz}) and back.
 */
public enum FrequencyScale {
    /** Equal Hz per pixel. */
    LINEAR("Linear"),
    /** Equal ratio per pixel; the lower edge is raised to {@link #LOG_MIN_HZ} when below it. */
    LOG("Logarithmic"),
    /** HTK mel scale, {@code 1127 ln(1 + f/700)}. */
    MEL("Mel");

    /** Lowest frequency a log axis shows (0 Hz is at minus infinity there). */
    public static final double LOG_MIN_HZ = 20.0;

    private final String label;

    FrequencyScale(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The lower edge actually used for {@code minHz} on this scale. */
    public double effectiveMinHz(double minHz) {
        return this == LOG ? Math.max(minHz, LOG_MIN_HZ) : Math.max(0.0, minHz);
    }

    private double warp(double hz) {
        return switch (this) {
            case LINEAR -> hz;
            case LOG -> Math.log(hz);
            case MEL -> MelFilterbank.hzToMel(hz);
        };
    }

    private double unwarp(double w) {
        return switch (this) {
            case LINEAR -> w;
            case LOG -> Math.exp(w);
            case MEL -> MelFilterbank.melToHz(w);
        };
    }

    /** Unit position (0 = {@code minHz}, 1 = {@code maxHz}) of {@code hz}; not clamped. */
    public double toUnit(double hz, double minHz, double maxHz) {
        double lo = warp(effectiveMinHz(minHz));
        double hi = warp(maxHz);
        double w = this == LOG ? warp(Math.max(hz, 1e-9)) : warp(hz);
        return (w - lo) / (hi - lo);
    }

    /** Frequency at unit position {@code u} (0 = {@code minHz}, 1 = {@code maxHz}). */
    public double fromUnit(double u, double minHz, double maxHz) {
        double lo = warp(effectiveMinHz(minHz));
        double hi = warp(maxHz);
        return unwarp(lo + u * (hi - lo));
    }

    @Override
    public String toString() {
        return label;
    }
}
