package ovavss.studio.model;

import java.util.Locale;

/**
 * How SeAC compares a proposal's association vector with its second's audio vector (bundle.json
 * {@code methods.seac.mask_pooling}; the Python reference is {@code models/methods/seac.py
 * similarities}).
 */
public enum MaskPooling {
    /** Each (frame, query) row by its own vector (the SeAC paper). */
    FRAME("frame"),
    /**
     * Each row by its query's vector averaged over the window's rows and L2-normalised: a mask
     * misread in one frame then does not decide alone whether its object sounds there (the audio
     * side stays per second, so an object may start or stop sounding inside the window).
     */
    WINDOW("window");

    private final String id;

    MaskPooling(String id) {
        this.id = id;
    }

    /** The name in bundle.json. */
    public String id() {
        return id;
    }

    /** The pooling with this bundle.json name; fails for any other. */
    public static MaskPooling parse(String id) {
        for (MaskPooling p : values()) {
            if (p.id.equals(id.toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown mask pooling '" + id + "' (frame or window)");
    }
}
