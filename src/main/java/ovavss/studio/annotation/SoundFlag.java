package ovavss.studio.annotation;

/**
 * Whether an object is heard at a keyframe. A {@link #SILENT} object keeps its mask (so its
 * identity survives silence) but is left out of exported sounding masks.
 */
public enum SoundFlag {
    SOUNDING, SILENT, UNKNOWN;

    /** True only for {@link #SOUNDING}: unknown objects are not exported as sounding. */
    public boolean isSounding() {
        return this == SOUNDING;
    }

    /** What a toggle (S, a click in a sound lane) makes of this flag: sounding ⇄ silent, unknown becomes sounding. */
    public SoundFlag toggled() {
        return this == SOUNDING ? SILENT : SOUNDING;
    }
}
