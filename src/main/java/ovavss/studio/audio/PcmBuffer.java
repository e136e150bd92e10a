package ovavss.studio.audio;

import ovavss.studio.pcm.PcmSource;

/**
 * A fully decoded, in-memory {@link PcmSource}: one {@code float[]} per channel, samples in [-1, 1].
 * Used for files read whole (WAV via {@link AudioFiles}), generated test signals and benchmarks.
 */
public final class PcmBuffer implements PcmSource {
    private final int sampleRate;
    private final float[][] channels;
    private final int length;

    /**
     * @param sampleRate samples per second
     * @param channels one array per channel, all of the same length (not copied)
     */
    public PcmBuffer(int sampleRate, float[]... channels) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
        }
        if (channels.length == 0) {
            throw new IllegalArgumentException("at least one channel is needed");
        }
        for (float[] c : channels) {
            if (c.length != channels[0].length) {
                throw new IllegalArgumentException("channels differ in length");
            }
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.length = channels[0].length;
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int channels() {
        return channels.length;
    }

    @Override
    public long length() {
        return length;
    }

    /** The samples of one channel (the live array, not a copy). */
    public float[] channel(int c) {
        return channels[c];
    }

    /** The mono mix (average of all channels) as a new array; the channel itself when mono. */
    public float[] monoMix() {
        if (channels.length == 1) {
            return channels[0];
        }
        float[] out = new float[length];
        read(MONO_MIX, 0, out, 0, length);
        return out;
    }

    @Override
    public void read(int channel, long start, float[] dst, int off, int len) {
        if (channel != MONO_MIX && (channel < 0 || channel >= channels.length)) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        // Zero-fill the parts outside [0, length), copy the rest.
        long from = Math.max(0, start);
        long to = Math.min(length, start + len);
        if (to <= from) {
            java.util.Arrays.fill(dst, off, off + len, 0f);
            return;
        }
        int head = (int) (from - start);
        int body = (int) (to - from);
        java.util.Arrays.fill(dst, off, off + head, 0f);
        java.util.Arrays.fill(dst, off + head + body, off + len, 0f);
        int s = (int) from;
        int d = off + head;
        if (channel != MONO_MIX) {
            System.arraycopy(channels[channel], s, dst, d, body);
        } else if (channels.length == 1) {
            System.arraycopy(channels[0], s, dst, d, body);
        } else {
            mix(channels, s, dst, d, body);
        }
    }

    /** Average of all channels, summed in channel order then divided, so every caller gets the same rounding. */
    static void mix(float[][] chans, int s, float[] dst, int d, int n) {
        float inv = 1f / chans.length;
        float[] c0 = chans[0];
        for (int i = 0; i < n; i++) {
            dst[d + i] = c0[s + i];
        }
        for (int c = 1; c < chans.length; c++) {
            float[] cc = chans[c];
            for (int i = 0; i < n; i++) {
                dst[d + i] += cc[s + i];
            }
        }
        for (int i = 0; i < n; i++) {
            dst[d + i] *= inv;
        }
    }
}
