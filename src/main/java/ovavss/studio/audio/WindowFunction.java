package ovavss.studio.audio;

/**
 * Analysis windows for the STFT. All are generated in the <em>periodic</em> (DFT-even) form,
 * {@code w[n]} for {@code n = 0..N-1} with period {@code N}, which is what spectral analysis wants
 * and what VGGish uses for its Hann window.
 */
public enum WindowFunction {
    /** {@code 0.5 − 0.5 cos(2πn/N)}. */
    HANN("Hann"),
    /** {@code 0.54 − 0.46 cos(2πn/N)}. */
    HAMMING("Hamming"),
    /** {@code 0.42 − 0.5 cos(2πn/N) + 0.08 cos(4πn/N)}. */
    BLACKMAN("Blackman"),
    /** All ones. */
    RECTANGULAR("Rectangular");

    private final String label;

    WindowFunction(String label) {
        this.label = label;
    }

    /** Human-readable name for menus. */
    public String label() {
        return label;
    }

    /** Periodic window coefficients of length {@code n}. */
    public double[] coefficients(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("window length must be positive: " + n);
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * i / n;
            w[i] = switch (this) {
                case HANN -> 0.5 - 0.5 * Math.cos(a);
                case HAMMING -> 0.54 - 0.46 * Math.cos(a);
                case BLACKMAN -> 0.42 - 0.5 * Math.cos(a) + 0.08 * Math.cos(2 * a);
                case RECTANGULAR -> 1.0;
            };
        }
        return w;
    }

    @Override
    public String toString() {
        return label;
    }
}
