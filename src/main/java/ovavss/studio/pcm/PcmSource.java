package ovavss.studio.pcm;

/**
 * Random access to decoded PCM audio as floats in [-1, 1]. Implementations may store samples
 * compactly (e.g. 16-bit) and may still be filling in from a background decoder: samples past
 * {@link #available()} read as zero until decoded.
 */
public interface PcmSource {
    /** Pseudo-channel index meaning "average of all channels". */
    int MONO_MIX = -1;

    int sampleRate();

    int channels();

    /** Samples per channel in the whole stream (known or estimated up front). */
    long length();

    /** Samples per channel decoded so far; equals {@link #length()} once decoding has finished. */
    default long available() {
        return length();
    }

    /**
     * Copies {@code len} samples of {@code channel} (or {@link #MONO_MIX}) starting at sample
     * {@code start} into {@code dst[off..off+len)}. Positions outside [0, available()) read as 0.
     */
    void read(int channel, long start, float[] dst, int off, int len);
}
