package ovavss.studio.ui;

import java.util.Locale;

/** Formatting of times and sizes for labels. */
final class Format {
    private Format() { }

    /** {@code m:ss.mmm} (or {@code h:mm:ss.mmm}); milliseconds only when {@code millis}. */
    static String time(long micros, boolean millis) {
        long ms = Math.max(0, micros) / 1000;
        long h = ms / 3_600_000;
        long m = ms / 60_000 % 60;
        long s = ms / 1000 % 60;
        String base = h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s)
                : String.format(Locale.ROOT, "%d:%02d", m, s);
        return millis ? base + String.format(Locale.ROOT, ".%03d", ms % 1000) : base;
    }
}
