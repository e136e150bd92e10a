package ovavss.studio.audio;

import java.util.Arrays;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;

/**
 * Min/max waveform envelope per pixel column at any zoom, backed by a multi-resolution peak pyramid.
 *
 * <p>Level 0 stores the min and max of every block of {@value #BASE_BLOCK} samples; each further level
 * merges {@value #FANOUT} blocks of the level below. An envelope query splits each column's sample
 * range into the largest aligned pyramid blocks it contains plus raw samples at the ragged ends, so the
 * result is <em>exactly</em> the min/max of the samples in the column, while a zoomed-out view of an
 * hour costs a few dozen lookups per column. Pyramids exist for every channel and for the mono mix
 * (average of the channels, summed in channel order).
 *
 * <p>Decoding may still be in progress: {@link #update(Cancellation)} extends the pyramid to the
 * source's {@link PcmSource#available()} samples and may run on a worker thread while other threads
 * query; queries see a consistent snapshot (entries below {@link #coveredSamples()} never change).
 */
public final class WaveformPeaks {
    /** Samples per level-0 block. */
    public static final int BASE_BLOCK = 256;
    /** Level-(L+1) blocks merge this many level-L blocks. */
    public static final int FANOUT = 4;

    private final PcmSource source;
    private final int channels;
    private final Object updateLock = new Object();
    private volatile State state;

    /** Immutable view for readers: arrays are only appended to beyond {@code covered}. */
    private record State(long covered, float[][][] min, float[][][] max) {
    }

    private WaveformPeaks(PcmSource source) {
        this.source = source;
        this.channels = source.channels();
        int tracks = channels + 1;
        this.state = new State(0, new float[tracks][][], new float[tracks][][]);
        for (int t = 0; t < tracks; t++) {
            state.min[t] = new float[0][];
            state.max[t] = new float[0][];
        }
    }

    /** Creates the pyramid and fills it with everything the source has decoded so far. */
    public static WaveformPeaks build(PcmSource source) {
        return build(source, Cancellation.NEVER);
    }

    /**
     * Creates the pyramid and fills it with everything the source has decoded so far.
     *
     * @throws java.util.concurrent.CancellationException when cancelled; nothing is returned then
     */
    public static WaveformPeaks build(PcmSource source, Cancellation cancel) {
        WaveformPeaks p = new WaveformPeaks(source);
        p.update(cancel);
        return p;
    }

    /** Creates an empty pyramid; call {@link #update(Cancellation)} as the source decodes. */
    public static WaveformPeaks empty(PcmSource source) {
        return new WaveformPeaks(source);
    }

    public PcmSource source() {
        return source;
    }

    /** Samples per channel covered by complete level-0 blocks. */
    public long coveredSamples() {
        return state.covered;
    }

    /** Number of pyramid levels currently held. */
    public int levels() {
        return state.min[0].length;
    }

    /** Samples per block at {@code level}. */
    public static long blockSize(int level) {
        return (long) BASE_BLOCK << (2 * level);
    }

    /**
     * Extends the pyramid to cover the complete blocks in {@code [0, source.available())}. Safe to call
     * repeatedly and concurrently with queries; concurrent updates are serialised.
     */
    public void update(Cancellation cancel) {
        synchronized (updateLock) {
            long target = (source.available() / BASE_BLOCK) * BASE_BLOCK;
            State s = state;
            if (target <= s.covered) {
                return;
            }
            int tracks = channels + 1;
            long capacitySamples = Math.max(target, source.length());
            float[][][] min = s.min.clone();
            float[][][] max = s.max.clone();
            int levels = 1;
            while (blockSize(levels) <= capacitySamples && levels < 16) {
                levels++;
            }
            int oldLevels = min[0].length;
            for (int t = 0; t < tracks; t++) {
                min[t] = grow(min[t], levels, capacitySamples, Float.POSITIVE_INFINITY);
                max[t] = grow(max[t], levels, capacitySamples, Float.NEGATIVE_INFINITY);
                // Levels added because the source outgrew its length estimate: fill them for what is covered.
                for (int level = Math.max(1, oldLevels); level < min[t].length; level++) {
                    mergeParents(min[t], max[t], level, 0, s.covered / blockSize(level));
                }
            }
            final int chunk = BASE_BLOCK * 1024;
            float[][] buf = new float[channels][chunk];
            float[] mono = new float[chunk];
            long pos = s.covered;
            while (pos < target) {
                cancel.check();
                int len = (int) Math.min(chunk, target - pos);
                for (int c = 0; c < channels; c++) {
                    source.read(c, pos, buf[c], 0, len);
                }
                mix(buf, mono, len);
                int firstBlock = (int) (pos / BASE_BLOCK);
                for (int t = 0; t < tracks; t++) {
                    float[] x = t < channels ? buf[t] : mono;
                    float[] mn = min[t][0];
                    float[] mx = max[t][0];
                    for (int b = 0; b < len / BASE_BLOCK; b++) {
                        float lo = Float.POSITIVE_INFINITY;
                        float hi = Float.NEGATIVE_INFINITY;
                        for (int i = b * BASE_BLOCK, e = i + BASE_BLOCK; i < e; i++) {
                            float v = x[i];
                            // Plain comparisons: Math.min/max on floats pay for NaN/-0 handling.
                            if (v < lo) {
                                lo = v;
                            }
                            if (v > hi) {
                                hi = v;
                            }
                        }
                        mn[firstBlock + b] = lo;
                        mx[firstBlock + b] = hi;
                    }
                    // Merge complete parent blocks touched by this chunk.
                    for (int level = 1; level < min[t].length; level++) {
                        long size = blockSize(level);
                        // Complete parents only: [pos/size, (pos+len)/size).
                        mergeParents(min[t], max[t], level, pos / size, (pos + len) / size);
                    }
                }
                pos += len;
                state = new State(pos, min, max);
            }
        }
    }

    private static void mergeParents(float[][] min, float[][] max, int level, long from, long to) {
        float[] cmn = min[level - 1];
        float[] cmx = max[level - 1];
        float[] pmn = min[level];
        float[] pmx = max[level];
        for (long j = from; j < to; j++) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < FANOUT; k++) {
                int ci = (int) (j * FANOUT + k);
                lo = Math.min(lo, cmn[ci]);
                hi = Math.max(hi, cmx[ci]);
            }
            pmn[(int) j] = lo;
            pmx[(int) j] = hi;
        }
    }

    private static float[][] grow(float[][] old, int levels, long samples, float fill) {
        float[][] out = Arrays.copyOf(old, Math.max(levels, old.length));
        for (int l = 0; l < out.length; l++) {
            int need = (int) ((samples + blockSize(l) - 1) / blockSize(l));
            if (out[l] == null || out[l].length < need) {
                int prev = out[l] == null ? 0 : out[l].length;
                out[l] = out[l] == null ? new float[need] : Arrays.copyOf(out[l], need);
                Arrays.fill(out[l], prev, need, fill);
            }
        }
        return out;
    }

    private void mix(float[][] buf, float[] mono, int len) {
        float inv = 1f / channels;
        System.arraycopy(buf[0], 0, mono, 0, len);
        for (int c = 1; c < channels; c++) {
            float[] x = buf[c];
            for (int i = 0; i < len; i++) {
                mono[i] += x[i];
            }
        }
        if (channels > 1) {
            for (int i = 0; i < len; i++) {
                mono[i] *= inv;
            }
        }
    }

    /**
     * Fills {@code min[i]}/{@code max[i]} for columns {@code i = 0..min.length-1}. Column {@code i}
     * covers samples {@code [floor(start + i·spc), floor(start + (i+1)·spc))}, or the single sample
     * {@code floor(start + i·spc)} when that range is empty (zoomed in below one sample per column).
     * Samples outside {@code [0, length())} are ignored; a column with none gets min = max = 0.
     *
     * @param channel          channel index or {@link PcmSource#MONO_MIX}
     * @param startSample      first sample of column 0 (may be fractional or negative)
     * @param samplesPerColumn zoom: samples per pixel column, &gt; 0, may be fractional
     */
    public void envelope(int channel, double startSample, double samplesPerColumn, float[] min, float[] max) {
        if (!(samplesPerColumn > 0)) {
            throw new IllegalArgumentException("samplesPerColumn must be > 0: " + samplesPerColumn);
        }
        if (min.length != max.length) {
            throw new IllegalArgumentException("min and max differ in length");
        }
        int track = channel == PcmSource.MONO_MIX ? channels : channel;
        if (track < 0 || track > channels) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        State s = state;
        Query q = new Query(s, track);
        for (int i = 0; i < min.length; i++) {
            long a = (long) Math.floor(startSample + i * samplesPerColumn);
            long b = (long) Math.floor(startSample + (i + 1) * samplesPerColumn);
            if (b <= a) {
                b = a + 1;
            }
            q.range(a, b);
            min[i] = q.lo;
            max[i] = q.hi;
        }
    }

    /** Min and max of {@code channel} over samples {@code [from, to)} (0, 0 when the range holds no samples). */
    public float[] minMax(int channel, long from, long to) {
        float[] mn = new float[1];
        float[] mx = new float[1];
        if (to <= from) {
            return new float[] {0f, 0f};
        }
        envelope(channel, from, to - from, mn, mx);
        return new float[] {mn[0], mx[0]};
    }

    /** Per-query scratch state (one per call, so queries from several threads don't share it). */
    private final class Query {
        final State s;
        final int track;
        final float[][] raw = new float[channels][BASE_BLOCK];
        final float[] mono = new float[BASE_BLOCK];
        float lo;
        float hi;

        Query(State s, int track) {
            this.s = s;
            this.track = track;
        }

        void range(long a, long b) {
            lo = Float.POSITIVE_INFINITY;
            hi = Float.NEGATIVE_INFINITY;
            long len = source.length();
            a = Math.max(0, a);
            b = Math.min(len, b);
            if (b <= a) {
                lo = 0;
                hi = 0;
                return;
            }
            long covered = s.covered;
            long pos = a;
            if (pos < covered) {
                long headEnd = Math.min(Math.min(b, covered), ceilTo(pos, BASE_BLOCK));
                rawRange(pos, headEnd);
                pos = headEnd;
                long end = Math.min(b, covered);
                float[][] mn = s.min[track];
                float[][] mx = s.max[track];
                int levels = mn.length;
                while (pos + BASE_BLOCK <= end) {
                    int level = 0;
                    while (level + 1 < levels && pos % blockSize(level + 1) == 0
                            && pos + blockSize(level + 1) <= end) {
                        level++;
                    }
                    int idx = (int) (pos / blockSize(level));
                    lo = Math.min(lo, mn[level][idx]);
                    hi = Math.max(hi, mx[level][idx]);
                    pos += blockSize(level);
                }
            }
            if (pos < b) {
                long avail = Math.min(b, Math.max(pos, source.available()));
                rawRange(pos, avail);
                if (avail < b) { // not decoded yet: reads as silence
                    lo = Math.min(lo, 0f);
                    hi = Math.max(hi, 0f);
                }
            }
            if (lo > hi) {
                lo = 0;
                hi = 0;
            }
        }

        private void rawRange(long from, long to) {
            for (long p = from; p < to; p += BASE_BLOCK) {
                int n = (int) Math.min(BASE_BLOCK, to - p);
                float[] x;
                if (track < channels) {
                    source.read(track, p, raw[0], 0, n);
                    x = raw[0];
                } else {
                    for (int c = 0; c < channels; c++) {
                        source.read(c, p, raw[c], 0, n);
                    }
                    mix(raw, mono, n);
                    x = mono;
                }
                for (int i = 0; i < n; i++) {
                    float v = x[i];
                    if (v < lo) {
                        lo = v;
                    }
                    if (v > hi) {
                        hi = v;
                    }
                }
            }
        }
    }

    private static long ceilTo(long v, long m) {
        return (v + m - 1) / m * m;
    }
}
