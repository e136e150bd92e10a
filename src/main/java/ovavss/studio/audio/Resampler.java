package ovavss.studio.audio;

/**
 * Band-limited sample-rate conversion as resampy's {@code resample(x, sr_orig, sr_new)} with its
 * default {@code kaiser_best} filter (resampy 0.4), the resampler of the official VGGish front end.
 *
 * <p>The filter is the right wing of a Kaiser-windowed sinc tabulated at {@value #PRECISION}
 * points per zero crossing over {@value #NUM_ZEROS} zero crossings (β = {@value #BETA}, roll-off
 * {@value #ROLLOFF} of the lower Nyquist frequency), the values of resampy's {@code kaiser_best.npz}
 * (recomputed here from those four numbers; they agree with the file to 3e-16). Output sample
 * {@code t} sits at input time {@code t / ratio}; each tap is read from the table by linear
 * interpolation between neighbouring entries; when downsampling the table is scaled by the ratio
 * and stepped more finely, so the cut-off follows the new Nyquist frequency. Output length is
 * {@code floor(len × outRate / inRate)}; outside the signal is silence. Results agree with
 * resampy to about 1e-7 of full scale (double accumulation here, float32 accumulation there when
 * the input is float32); {@code GoldenVectorsTest} holds it to 1e-5.
 *
 * <p>Instances are immutable and thread-safe.
 */
final class Resampler {
    /** Zero crossings of the sinc on each side (at the lower of the two rates). */
    public static final int NUM_ZEROS = 50;
    /** Table entries per zero crossing (2^13). */
    public static final int PRECISION = 8192;
    /** Kaiser window shape parameter. */
    public static final double BETA = 12.9846;
    /** Fraction of the lower Nyquist frequency kept. */
    public static final double ROLLOFF = 0.917347;

    /** The filter's right wing, {@code NUM_ZEROS * PRECISION + 1} entries; built once. */
    private static volatile double[] halfWindow;

    private final int inRate;
    private final int outRate;
    private final double ratio;
    private final double[] window;
    private final double[] delta;
    private final int indexStep;
    private final double scale;

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive: " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        this.ratio = (double) outRate / inRate;
        this.scale = Math.min(1.0, ratio);
        double[] w = halfWindow();
        if (ratio < 1) {
            w = w.clone();
            for (int i = 0; i < w.length; i++) {
                w[i] *= ratio;
            }
        }
        this.window = w;
        this.delta = new double[w.length];
        for (int i = 0; i + 1 < w.length; i++) {
            delta[i] = w[i + 1] - w[i];
        }
        this.indexStep = (int) (scale * PRECISION);
    }

    /** {@code rolloff * sinc(rolloff * x)} times the right half of a Kaiser window, as resampy's sinc_window. */
    static double[] halfWindow() {
        double[] w = halfWindow;
        if (w == null) {
            int n = NUM_ZEROS * PRECISION;
            w = new double[n + 1];
            double i0Beta = besselI0(BETA);
            for (int j = 0; j <= n; j++) {
                double x = (double) NUM_ZEROS * j / n; // numpy linspace(0, num_zeros, n + 1)
                double r = (double) j / n;
                double taper = besselI0(BETA * Math.sqrt(Math.max(0, 1.0 - r * r))) / i0Beta;
                w[j] = taper * ROLLOFF * sinc(ROLLOFF * x);
            }
            halfWindow = w;
        }
        return w;
    }

    private static double sinc(double x) {
        if (x == 0) {
            return 1.0;
        }
        double px = Math.PI * x;
        return Math.sin(px) / px;
    }

    /** Modified Bessel function of the first kind, order 0 (power series; converges fast for β ≤ 50). */
    static double besselI0(double x) {
        double sum = 1.0;
        double term = 1.0;
        double q = x * x / 4.0;
        for (int k = 1; k < 200; k++) {
            term *= q / ((double) k * k);
            sum += term;
            if (term < sum * 1e-17) {
                break;
            }
        }
        return sum;
    }

    public int inRate() {
        return inRate;
    }

    public int outRate() {
        return outRate;
    }

    /** Output length for {@code inLength} input samples: {@code floor(inLength × outRate / inRate)}. */
    public long outputLength(long inLength) {
        return (long) ((double) inLength * outRate / inRate);
    }

    /** Resamples a whole signal. Returns the input itself when the rates are equal. */
    public float[] process(float[] in) {
        if (inRate == outRate) {
            return in;
        }
        long n = outputLength(in.length);
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("output too long");
        }
        float[] out = new float[(int) n];
        process(in, out, 0, out.length);
        return out;
    }

    /** Computes output samples {@code [from, from+count)} of {@link #process(float[])} into {@code out[0..count)}. */
    public void process(float[] in, float[] out, long from, int count) {
        int nOrig = in.length;
        int nwin = window.length;
        double timeIncrement = 1.0 / ratio;
        for (int j = 0; j < count; j++) {
            double time = (from + j) * timeIncrement;
            int n = (int) time;
            double frac = scale * (time - n);
            double indexFrac = frac * PRECISION;
            int offset = (int) indexFrac;
            double eta = indexFrac - offset;
            double acc = 0;
            // left wing: input samples n, n-1, ... back from the output instant
            int iMax = Math.min(n + 1, (nwin - offset) / indexStep);
            for (int i = 0; i < iMax; i++) {
                int at = offset + i * indexStep;
                acc += (window[at] + eta * delta[at]) * in[n - i];
            }
            // right wing: input samples n+1, n+2, ...
            frac = scale - frac;
            indexFrac = frac * PRECISION;
            offset = (int) indexFrac;
            eta = indexFrac - offset;
            int kMax = Math.min(nOrig - n - 1, (nwin - offset) / indexStep);
            for (int k = 0; k < kMax; k++) {
                int at = offset + k * indexStep;
                acc += (window[at] + eta * delta[at]) * in[n + k + 1];
            }
            out[j] = (float) acc;
        }
    }
}
