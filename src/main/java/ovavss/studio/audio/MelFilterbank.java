package ovavss.studio.audio;

/**
 * HTK-scale triangular mel filterbank, built the way VGGish's {@code mel_features.py} builds it:
 * mel(f) = 1127·ln(1 + f/700); band edges linearly spaced in mel between the lower and upper edge
 * frequencies ({@code bands + 2} points); each FFT bin centre frequency (linearly spaced from 0 to
 * Nyquist) gets weight {@code max(0, min(rising, falling))}; the DC row is zeroed.
 */
final class MelFilterbank {
    private final double[][] weights; // [bin][band]
    private final int bins;
    private final int bands;

    /**
     * @param bands      number of mel bands
     * @param fftBins    number of spectrogram bins ({@code fftLength/2 + 1})
     * @param sampleRate sample rate in Hz
     * @param lowerHz    lower edge of the first band
     * @param upperHz    upper edge of the last band
     */
    public MelFilterbank(int bands, int fftBins, double sampleRate, double lowerHz, double upperHz) {
        double nyquist = sampleRate / 2.0;
        if (lowerHz < 0 || lowerHz >= upperHz || upperHz > nyquist) {
            throw new IllegalArgumentException("need 0 <= lowerHz < upperHz <= Nyquist, got "
                    + lowerHz + ", " + upperHz + ", " + nyquist);
        }
        this.bins = fftBins;
        this.bands = bands;
        double[] binMel = new double[fftBins];
        for (int k = 0; k < fftBins; k++) {
            binMel[k] = hzToMel(nyquist * k / (fftBins - 1));
        }
        double lo = hzToMel(lowerHz);
        double hi = hzToMel(upperHz);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = lo + (hi - lo) * i / (bands + 1);
        }
        weights = new double[fftBins][bands];
        for (int b = 0; b < bands; b++) {
            double l = edges[b];
            double c = edges[b + 1];
            double u = edges[b + 2];
            for (int k = 0; k < fftBins; k++) {
                double rising = (binMel[k] - l) / (c - l);
                double falling = (u - binMel[k]) / (u - c);
                weights[k][b] = Math.max(0.0, Math.min(rising, falling));
            }
        }
        // VGGish zeroes the DC bin's weights.
        java.util.Arrays.fill(weights[0], 0.0);
    }

    /** HTK mel: {@code 1127 ln(1 + hz/700)}. */
    public static double hzToMel(double hz) {
        return 1127.0 * Math.log(1.0 + hz / 700.0);
    }

    /** Inverse of {@link #hzToMel(double)}. */
    public static double melToHz(double mel) {
        return 700.0 * (Math.exp(mel / 1127.0) - 1.0);
    }

    public int bins() {
        return bins;
    }

    public int bands() {
        return bands;
    }

    /** Weight of FFT bin {@code bin} in band {@code band}. */
    public double weight(int bin, int band) {
        return weights[bin][band];
    }

    /** The weight matrix as a new {@code [bins][bands]} array. */
    public double[][] matrix() {
        double[][] m = new double[bins][];
        for (int k = 0; k < bins; k++) {
            m[k] = weights[k].clone();
        }
        return m;
    }

    /** {@code out[b] = Σ_k spectrum[k] · W[k][b]} (spectrum times matrix, as in {@code np.dot}). */
    public void apply(double[] spectrum, double[] out) {
        java.util.Arrays.fill(out, 0, bands, 0.0);
        for (int k = 0; k < bins; k++) {
            double s = spectrum[k];
            if (s == 0) {
                continue;
            }
            double[] w = weights[k];
            for (int b = 0; b < bands; b++) {
                out[b] += s * w[b];
            }
        }
    }
}
