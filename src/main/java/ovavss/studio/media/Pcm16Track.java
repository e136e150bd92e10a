package ovavss.studio.media;

import java.util.Arrays;

/**
 * A compact, append-only {@link AudioTrack}: interleaved 16-bit samples in fixed-size chunks
 * (about 2 bytes per sample per channel, no boxing, no single huge array). One writer thread
 * appends while any number of readers read; {@link #available()} is the publication point.
 */
final class Pcm16Track implements AudioTrack {
    private static final int CHUNK_FRAMES = 1 << 16;

    private final int sampleRate;
    private final int channels;
    private volatile long length;
    private volatile long available;
    private volatile short[][] chunks = new short[0][];
    private volatile String failure;
    private volatile boolean finishedFlag;

    /**
     * @param sampleRate Hz
     * @param channels interleaved channels per frame
     * @param expectedLength estimated samples per channel (reported by {@link #length()} until finished)
     */
    public Pcm16Track(int sampleRate, int channels, long expectedLength) {
        if (sampleRate <= 0 || channels <= 0) {
            throw new IllegalArgumentException("bad audio format: " + sampleRate + " Hz, " + channels + " ch");
        }
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.length = Math.max(0, expectedLength);
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long available() {
        return available;
    }

    /** True once the decoder has finished (successfully or not). */
    public boolean finished() {
        return finishedFlag;
    }

    /** Why background decoding stopped early, or {@code null}. */
    public String failure() {
        return failure;
    }

    /**
     * Writer side: stores interleaved samples for frames [pos, pos + frames) and publishes
     * everything up to {@code pos + frames}. Positions must only grow.
     */
    void write(long pos, short[] interleaved, int frames) {
        long end = pos + frames;
        ensureCapacity(end);
        short[][] cs = chunks;
        int done = 0;
        while (done < frames) {
            long p = pos + done;
            int chunk = (int) (p / CHUNK_FRAMES);
            int inChunk = (int) (p % CHUNK_FRAMES);
            int n = Math.min(frames - done, CHUNK_FRAMES - inChunk);
            System.arraycopy(interleaved, done * channels, cs[chunk], inChunk * channels, n * channels);
            done += n;
        }
        if (end > length) {
            length = end;
        }
        available = Math.max(available, end);
    }

    /** Writer side: marks the end of the stream; the final length is what was written. */
    void finish(String failureMessage) {
        failure = failureMessage;
        length = available;
        finishedFlag = true;
    }

    private void ensureCapacity(long frames) {
        int need = (int) ((frames + CHUNK_FRAMES - 1) / CHUNK_FRAMES);
        short[][] cs = chunks;
        if (need <= cs.length) {
            return;
        }
        short[][] grown = Arrays.copyOf(cs, need);
        for (int i = cs.length; i < need; i++) {
            grown[i] = new short[CHUNK_FRAMES * channels];
        }
        chunks = grown;   // volatile publish after the new chunks are allocated
    }

    @Override
    public void read(int channel, long start, float[] dst, int off, int len) {
        if (channel != MONO_MIX && (channel < 0 || channel >= channels)) {
            throw new IllegalArgumentException("channel " + channel + " of " + channels);
        }
        long avail = available;
        short[][] cs = chunks;
        final float scale = 1f / 32768f;
        for (int i = 0; i < len; i++) {
            long p = start + i;
            if (p < 0 || p >= avail) {
                dst[off + i] = 0f;
                continue;
            }
            short[] c = cs[(int) (p / CHUNK_FRAMES)];
            int base = (int) (p % CHUNK_FRAMES) * channels;
            if (channel == MONO_MIX) {
                int sum = 0;
                for (int k = 0; k < channels; k++) {
                    sum += c[base + k];
                }
                dst[off + i] = sum * scale / channels;
            } else {
                dst[off + i] = c[base + channel] * scale;
            }
        }
    }
}
