package ovavss.studio.audio;

import ovavss.studio.pcm.PcmSource;

/**
 * Computes spectrogram columns in dB and renders them to ARGB pixels, for one
 * {@link SpectrogramSettings} and sample rate. This is the pure computation behind
 * {@link SpectrogramTiles}; it is also what the golden-vector tests check.
 *
 * <p><b>Columns.</b> At zoom {@code spc} (samples per column), column {@code c} covers samples
 * {@code [c·spc, (c+1)·spc)}. It is analysed with {@code k = clamp(round(spc / hop), 1, }
 * {@value #MAX_FRAMES_PER_COLUMN}{@code )} frames whose centres are spread evenly over the column
 * ({@code c·spc + (j + ½)·spc/k}, frame start = centre − ⌊windowLength/2⌋); their power spectra are
 * averaged. Zoomed in, that is one frame per column; at mid zoom every hop is used; zoomed far out it
 * becomes a strided (decimated) STFT with a bounded cost per column, which is what makes a 1-hour
 * overview fast. Samples outside the signal read as zero.
 *
 * <p><b>Rows.</b> Display row {@code r} (0 = top) is band {@code i = rows − 1 − r} with edges
 * {@code e_i = scale.fromUnit(i/rows)} and {@code e_{i+1}}. The value is the maximum power over the FFT
 * bins whose centre frequency lies in {@code [e_i, e_{i+1})} (the top band also includes its upper
 * edge); a band narrower than a bin takes the power linearly interpolated at its centre frequency.
 *
 * <p><b>Levels.</b> {@code dB = 10·log10(P / (Σw/2)²)}, i.e. 0 dB for a full-scale sine at a bin
 * centre, floored at {@value #MIN_DB} dB. Colour: {@code (dB − floor) / (ceiling − floor)} clamped to
 * [0, 1] through the colour map's table.
 *
 * <p>Instances are immutable and thread-safe; each call allocates its own FFT scratch.
 */
final class Spectrogram {
    /** Upper bound of analysis frames averaged into one column. */
    public static final int MAX_FRAMES_PER_COLUMN = 8;
    /** Lowest dB value produced (instead of −∞ for silence). */
    public static final double MIN_DB = -200.0;

    private final SpectrogramSettings settings;
    private final int sampleRate;
    private final double[] window;
    private final double refPower;
    private final int bins;
    private final int[] rowLo;    // per band (bottom-up): first bin, or -1 to interpolate
    private final int[] rowHi;    // last bin (inclusive)
    private final double[] rowX;  // interpolation position in bins when rowLo == -1
    private final double minHz;
    private final double maxHz;

    public Spectrogram(SpectrogramSettings settings, int sampleRate) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        this.settings = settings;
        this.sampleRate = sampleRate;
        this.window = settings.window().coefficients(settings.windowLength());
        double sum = 0;
        for (double w : window) {
            sum += w;
        }
        this.refPower = (sum / 2) * (sum / 2);
        int n = settings.fftLength();
        this.bins = n / 2 + 1;
        this.minHz = settings.effectiveMinHz(sampleRate);
        this.maxHz = settings.effectiveMaxHz(sampleRate);
        int rows = settings.rows();
        rowLo = new int[rows];
        rowHi = new int[rows];
        rowX = new double[rows];
        double binHz = (double) sampleRate / n;
        FrequencyScale scale = settings.scale();
        for (int i = 0; i < rows; i++) {
            double e0 = scale.fromUnit((double) i / rows, minHz, maxHz);
            double e1 = scale.fromUnit((double) (i + 1) / rows, minHz, maxHz);
            int lo = (int) Math.ceil(e0 / binHz - 1e-9);
            int hi = i == rows - 1 ? (int) Math.floor(e1 / binHz + 1e-9) : (int) Math.ceil(e1 / binHz - 1e-9) - 1;
            lo = Math.max(0, lo);
            hi = Math.min(bins - 1, hi);
            if (hi >= lo) {
                rowLo[i] = lo;
                rowHi[i] = hi;
            } else {
                rowLo[i] = -1;
                rowX[i] = Math.min(bins - 1, (e0 + e1) / 2 / binHz);
            }
        }
    }

    public SpectrogramSettings settings() {
        return settings;
    }

    public int sampleRate() {
        return sampleRate;
    }

    /** Lowest frequency shown (bottom edge of the last row). */
    public double minHz() {
        return minHz;
    }

    /** Highest frequency shown (top edge of row 0). */
    public double maxHz() {
        return maxHz;
    }

    /** Frames averaged per column at zoom {@code samplesPerColumn}. */
    public int framesPerColumn(double samplesPerColumn) {
        long k = Math.round(samplesPerColumn / settings.hop());
        return (int) Math.max(1, Math.min(MAX_FRAMES_PER_COLUMN, k));
    }

    /**
     * dB values of {@code columns} columns starting at column {@code firstColumn}, row-major
     * {@code [rows][columns]}, row 0 = highest frequency.
     *
     * @param channel channel index or {@link PcmSource#MONO_MIX}
     * @param cancel  checked once per column
     */
    public float[] columnsDb(PcmSource source, int channel, double samplesPerColumn, long firstColumn,
                             int columns, ovavss.studio.task.Cancellation cancel) {
        int rows = settings.rows();
        int wl = window.length;
        int n = settings.fftLength();
        org.jtransforms.fft.DoubleFFT_1D fft = new org.jtransforms.fft.DoubleFFT_1D(n);
        double[] buf = new double[n];
        double[] power = new double[bins];
        float[] frame = new float[wl];
        float[] out = new float[rows * columns];
        int k = framesPerColumn(samplesPerColumn);
        for (int c = 0; c < columns; c++) {
            cancel.check();
            double colStart = (firstColumn + c) * samplesPerColumn;
            java.util.Arrays.fill(power, 0.0);
            for (int j = 0; j < k; j++) {
                long centre = (long) Math.floor(colStart + (j + 0.5) * samplesPerColumn / k);
                source.read(channel, centre - wl / 2, frame, 0, wl);
                for (int i = 0; i < wl; i++) {
                    buf[i] = frame[i] * window[i];
                }
                java.util.Arrays.fill(buf, wl, n, 0.0);
                fft.realForward(buf);
                power[0] += buf[0] * buf[0];
                power[bins - 1] += buf[1] * buf[1];
                for (int b = 1; b < bins - 1; b++) {
                    power[b] += buf[2 * b] * buf[2 * b] + buf[2 * b + 1] * buf[2 * b + 1];
                }
            }
            double norm = 1.0 / (k * refPower);
            for (int i = 0; i < rows; i++) {
                double p;
                if (rowLo[i] >= 0) {
                    p = 0;
                    for (int b = rowLo[i]; b <= rowHi[i]; b++) {
                        p = Math.max(p, power[b]);
                    }
                } else {
                    double x = rowX[i];
                    int b0 = (int) Math.floor(x);
                    int b1 = Math.min(bins - 1, b0 + 1);
                    double f = x - b0;
                    p = power[b0] * (1 - f) + power[b1] * f;
                }
                double db = 10 * Math.log10(Math.max(p * norm, 1e-20));
                out[(rows - 1 - i) * columns + c] = (float) db;
            }
        }
        return out;
    }

    /** Maps dB values to ARGB through the settings' dB range and colour map. */
    public int[] render(float[] db) {
        int[] lut = settings.colorMap().lutShared();
        double floor = settings.dbFloor();
        double scale = (ColorMap.LUT_SIZE - 1) / (settings.dbCeiling() - floor);
        int[] argb = new int[db.length];
        for (int i = 0; i < db.length; i++) {
            int idx = (int) ((db[i] - floor) * scale + 0.5);
            argb[i] = lut[Math.max(0, Math.min(ColorMap.LUT_SIZE - 1, idx))];
        }
        return argb;
    }
}
