package ovavss.studio.model;

import java.util.Locale;

/**
 * Which of a bundle's graphs run: the float32 ones every bundle carries, or the float16 variants
 * a bundle may list under {@code precisions.fp16} (MODEL_BUNDLE.md). The fp16 graphs take and
 * return float32 like the fp32 ones (they cast inside), so only the file chosen changes: the
 * official OV-AVSS test runs under fp16 autocast, and these graphs are the TorchScript way of
 * running as it does.
 */
public enum Precision {
    FP32, FP16;

    /** Parses "fp32" or "fp16" (case-insensitive). */
    public static Precision parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown precision '" + s + "' (use fp32 or fp16)", e);
        }
    }

    /** "fp32" or "fp16": the key in bundle.json, on the command line and in the status bar. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
