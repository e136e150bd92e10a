package ovavss.studio.model;

import java.util.Locale;

/** Which device to run on: the best available, or forced (a forced GPU never falls back to CPU). */
public enum DevicePreference {
    AUTO, CPU, GPU;

    /** Parses "auto", "cpu" or "gpu" (case-insensitive). */
    public static DevicePreference parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown device '" + s + "' (use auto, cpu or gpu)", e);
        }
    }
}
