package ovavss.studio.audio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Maps between spectrogram pixel rows and frequency and picks readable tick values.
 *
 * <p>Row coordinates are continuous: {@code y = 0} is the top edge of row 0 ({@code maxHz}),
 * {@code y = rows} the bottom edge of the last row ({@code minHz}); the centre of row {@code r} is
 * {@code r + 0.5}. The same ruler works for any drawn height via the {@code height} arguments.
 */
public final class FrequencyRuler {
    private final FrequencyScale scale;
    private final double minHz;
    private final double maxHz;
    private final int rows;

    /** One tick mark: frequency, position in pixels from the top, label, major/minor. */
    public record Tick(double hz, double y, String label, boolean major) {
    }

    /**
     * @param minHz effective lower edge (already raised for a log axis, see {@link Spectrogram#minHz()})
     * @param maxHz upper edge
     */
    public FrequencyRuler(FrequencyScale scale, double minHz, double maxHz, int rows) {
        if (!(maxHz > minHz) || rows < 1) {
            throw new IllegalArgumentException("need minHz < maxHz and rows >= 1");
        }
        this.scale = scale;
        this.minHz = scale.effectiveMinHz(minHz);
        this.maxHz = maxHz;
        this.rows = rows;
    }

    /** Ruler for tiles of {@code settings} over audio at {@code sampleRate}. */
    public static FrequencyRuler of(SpectrogramSettings settings, int sampleRate) {
        return new FrequencyRuler(settings.scale(), settings.effectiveMinHz(sampleRate),
                settings.effectiveMaxHz(sampleRate), settings.rows());
    }

    public double minHz() {
        return minHz;
    }

    public double maxHz() {
        return maxHz;
    }

    public int rows() {
        return rows;
    }

    /** Frequency at continuous row coordinate {@code y} (0 = top edge). */
    public double rowToHz(double y) {
        return scale.fromUnit(1.0 - y / rows, minHz, maxHz);
    }

    /** Continuous row coordinate of {@code hz} (0 = top edge; not clamped). */
    public double hzToRow(double hz) {
        return (1.0 - scale.toUnit(hz, minHz, maxHz)) * rows;
    }

    /** Pixel position of {@code hz} on a ruler drawn {@code height} pixels tall. */
    public double hzToY(double hz, double height) {
        return hzToRow(hz) / rows * height;
    }

    /**
     * Ticks for a ruler {@code height} pixels tall, at least {@code minSpacing} pixels apart, sorted
     * from top to bottom. Values are "nice": 1-2-5 steps on a linear axis; on log and mel axes,
     * powers of ten first, then 2× and 5×, then finer multiples, as space allows.
     */
    public List<Tick> ticks(double height, double minSpacing) {
        List<Tick> out = new ArrayList<>();
        if (height <= 0) {
            return out;
        }
        if (scale == FrequencyScale.LINEAR) {
            double range = maxHz - minHz;
            double step = niceStep(range * minSpacing / height);
            // Every other step is major, counted from zero so majors stay put while scrolling.
            for (long i = (long) Math.ceil(minHz / step - 1e-9); i * step <= maxHz + 1e-9; i++) {
                double f = i * step;
                out.add(new Tick(f, hzToY(f, height), label(f), i % 2 == 0));
            }
            out.sort(Comparator.comparingDouble(Tick::y));
        } else {
            double[][] tiers = {{1}, {2, 5}, {1.5, 3, 4, 7}, {2.5, 6, 8}};
            int firstDecade = (int) Math.floor(Math.log10(Math.max(minHz, 1)));
            int lastDecade = (int) Math.ceil(Math.log10(maxHz));
            for (int tier = 0; tier < tiers.length; tier++) {
                for (int d = firstDecade; d <= lastDecade; d++) {
                    for (double m : tiers[tier]) {
                        double f = m * Math.pow(10, d);
                        if (f < minHz - 1e-9 || f > maxHz + 1e-9) {
                            continue;
                        }
                        double y = hzToY(f, height);
                        boolean fits = true;
                        for (Tick t : out) {
                            if (Math.abs(t.y() - y) < minSpacing) {
                                fits = false;
                                break;
                            }
                        }
                        if (fits) {
                            out.add(new Tick(f, y, label(f), tier == 0));
                        }
                    }
                }
            }
            out.sort(Comparator.comparingDouble(Tick::y));
        }
        return out;
    }

    /** Smallest value of the form {1, 2, 5} × 10^k that is at least {@code raw}. */
    static double niceStep(double raw) {
        if (!(raw > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw - 1e-12 * p) {
                return m * p;
            }
        }
        return 10 * p;
    }

    /** "500 Hz", "1 kHz", "1.5 kHz", "22.05 kHz". */
    public static String label(double hz) {
        if (Math.abs(hz) >= 1000) {
            return trim(hz / 1000) + " kHz";
        }
        return trim(hz) + " Hz";
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        s = s.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
