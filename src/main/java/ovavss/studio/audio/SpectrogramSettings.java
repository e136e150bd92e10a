package ovavss.studio.audio;

/**
 * Everything that determines how a spectrogram looks (except zoom, which is per request).
 *
 * @param windowLength analysis window in samples (16–32768); the FFT is the next power of two
 * @param window       window function
 * @param overlap      fraction of the window shared by consecutive frames, in [0, 0.95]; the hop is
 *                     {@code max(1, round(windowLength × (1 − overlap)))}
 * @param scale        frequency axis
 * @param minHz        lowest frequency shown (raised to 20 Hz on a log axis)
 * @param maxHz        highest frequency shown; 0 means the Nyquist frequency
 * @param dbFloor      level mapped to the bottom of the colour map (dB relative to a full-scale sine)
 * @param dbCeiling    level mapped to the top of the colour map
 * @param colorMap     colour map
 * @param rows         pixel rows of rendered tiles (row 0 = top = highest frequency)
 */
public record SpectrogramSettings(int windowLength, WindowFunction window, double overlap,
                                  FrequencyScale scale, double minHz, double maxHz,
                                  double dbFloor, double dbCeiling, ColorMap colorMap, int rows) {

    public SpectrogramSettings {
        if (windowLength < 16 || windowLength > 32768) {
            throw new IllegalArgumentException("window length must be 16..32768 samples: " + windowLength);
        }
        if (!(overlap >= 0 && overlap <= 0.95)) {
            throw new IllegalArgumentException("overlap must be in [0, 0.95]: " + overlap);
        }
        if (!(minHz >= 0) || !(maxHz >= 0) || (maxHz > 0 && maxHz <= minHz)) {
            throw new IllegalArgumentException("need 0 <= minHz < maxHz (maxHz 0 = Nyquist): " + minHz + ", " + maxHz);
        }
        if (!(dbFloor < dbCeiling)) {
            throw new IllegalArgumentException("dB floor must be below the ceiling: " + dbFloor + " >= " + dbCeiling);
        }
        if (rows < 1 || rows > 4096) {
            throw new IllegalArgumentException("rows must be 1..4096: " + rows);
        }
        if (window == null || scale == null || colorMap == null) {
            throw new IllegalArgumentException("window, scale and colour map are required");
        }
    }

    /** 1024-sample Hann, 75 % overlap, mel axis up to Nyquist, −100…0 dB, magma, 256 rows. */
    public static SpectrogramSettings defaults() {
        return new SpectrogramSettings(1024, WindowFunction.HANN, 0.75, FrequencyScale.MEL,
                0, 0, -100, 0, ColorMap.MAGMA, 256);
    }

    /** FFT size: the next power of two at or above the window length. */
    public int fftLength() {
        return Integer.highestOneBit(windowLength - 1) << 1;
    }

    /** Samples between consecutive analysis frames at full resolution. */
    public int hop() {
        return Math.max(1, (int) Math.round(windowLength * (1.0 - overlap)));
    }

    /** Upper frequency edge for a given sample rate ({@code maxHz}, or Nyquist when 0 or above it). */
    public double effectiveMaxHz(int sampleRate) {
        double nyquist = sampleRate / 2.0;
        return maxHz <= 0 || maxHz > nyquist ? nyquist : maxHz;
    }

    /** Lower frequency edge actually shown for a given sample rate. */
    public double effectiveMinHz(int sampleRate) {
        return Math.min(scale.effectiveMinHz(minHz), effectiveMaxHz(sampleRate) / 2);
    }

    public SpectrogramSettings withWindowLength(int n) {
        return new SpectrogramSettings(n, window, overlap, scale, minHz, maxHz, dbFloor, dbCeiling, colorMap, rows);
    }

    public SpectrogramSettings withWindow(WindowFunction w) {
        return new SpectrogramSettings(windowLength, w, overlap, scale, minHz, maxHz, dbFloor, dbCeiling, colorMap, rows);
    }

    public SpectrogramSettings withOverlap(double o) {
        return new SpectrogramSettings(windowLength, window, o, scale, minHz, maxHz, dbFloor, dbCeiling, colorMap, rows);
    }

    public SpectrogramSettings withScale(FrequencyScale s) {
        return new SpectrogramSettings(windowLength, window, overlap, s, minHz, maxHz, dbFloor, dbCeiling, colorMap, rows);
    }

    public SpectrogramSettings withFrequencyRange(double lo, double hi) {
        return new SpectrogramSettings(windowLength, window, overlap, scale, lo, hi, dbFloor, dbCeiling, colorMap, rows);
    }

    public SpectrogramSettings withDbRange(double floor, double ceiling) {
        return new SpectrogramSettings(windowLength, window, overlap, scale, minHz, maxHz, floor, ceiling, colorMap, rows);
    }

    public SpectrogramSettings withColorMap(ColorMap c) {
        return new SpectrogramSettings(windowLength, window, overlap, scale, minHz, maxHz, dbFloor, dbCeiling, c, rows);
    }

    public SpectrogramSettings withRows(int r) {
        return new SpectrogramSettings(windowLength, window, overlap, scale, minHz, maxHz, dbFloor, dbCeiling, colorMap, r);
    }
}
