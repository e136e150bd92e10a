package ovavss.studio.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Magnitude spectra of single windowed frames: window {@code w} of length {@code N} applied to
 * {@code N} samples, zero-padded to {@code fftLength}, real FFT, magnitude of bins
 * {@code 0..fftLength/2}. Equivalent to {@code np.abs(np.fft.rfft(frame * w, fftLength))}.
 *
 * <p>Computation is in double precision. An instance holds scratch buffers, so it is <b>not</b>
 * thread-safe: use one per thread (they are cheap).
 */
final class Stft {
    private final double[] window;
    private final int fftLength;
    private final DoubleFFT_1D fft;
    private final double[] buf;

    /**
     * @param window    analysis window (its length is the frame length)
     * @param fftLength FFT size, at least the window length
     */
    public Stft(double[] window, int fftLength) {
        if (fftLength < window.length) {
            throw new IllegalArgumentException("FFT length " + fftLength + " < window length " + window.length);
        }
        this.window = window.clone();
        this.fftLength = fftLength;
        this.fft = new DoubleFFT_1D(fftLength);
        this.buf = new double[fftLength];
    }

    public Stft(WindowFunction type, int windowLength, int fftLength) {
        this(type.coefficients(windowLength), fftLength);
    }

    public int windowLength() {
        return window.length;
    }

    public int fftLength() {
        return fftLength;
    }

    /** Number of magnitude bins, {@code fftLength/2 + 1}. */
    public int bins() {
        return fftLength / 2 + 1;
    }

    /**
     * Power spectrum |X[k]|² of the frame {@code frame[off..off+windowLength)} into {@code out[0..bins)}.
     */
    public void power(float[] frame, int off, double[] out) {
        transform(frame, off);
        int half = fftLength / 2;
        out[0] = buf[0] * buf[0];
        if (fftLength % 2 == 0) {
            out[half] = buf[1] * buf[1];
            for (int k = 1; k < half; k++) {
                double re = buf[2 * k];
                double im = buf[2 * k + 1];
                out[k] = re * re + im * im;
            }
        } else {
            for (int k = 1; k <= half; k++) {
                double re = buf[2 * k];
                double im = k == half ? buf[1] : buf[2 * k + 1];
                out[k] = re * re + im * im;
            }
        }
    }

    /** Magnitude spectrum |X[k]| of the frame {@code frame[off..off+windowLength)} into {@code out[0..bins)}. */
    public void magnitude(float[] frame, int off, double[] out) {
        power(frame, off, out);
        for (int k = 0; k < bins(); k++) {
            out[k] = Math.sqrt(out[k]);
        }
    }

    private void transform(float[] frame, int off) {
        int n = window.length;
        for (int i = 0; i < n; i++) {
            buf[i] = frame[off + i] * window[i];
        }
        java.util.Arrays.fill(buf, n, fftLength, 0.0);
        fft.realForward(buf);
    }
}
