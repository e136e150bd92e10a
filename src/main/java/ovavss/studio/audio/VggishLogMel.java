package ovavss.studio.audio;

import ovavss.studio.pcm.PcmSource;

/**
 * VGGish's log-mel front-end (OVAVSS.md §4, torchvggish {@code vggish_input.waveform_to_examples}):
 * mono mix → resample to 16 kHz ({@link Resampler}: resampy's kaiser_best, as the official front end)
 * → frames of 400 samples with hop 160 starting at sample 0, no padding → periodic Hann → {@code |rfft(frame, 512)|}
 * (257 bins) → 64 HTK mel bands 125–7500 Hz with the DC row zeroed → {@code ln(mel + 0.01)} → examples
 * of 96 consecutive frames with hop 96, incomplete tail dropped.
 *
 * <p>Returns {@code float[n][96][64]} (time × mel). A signal shorter than one example yields
 * {@code n = 0}. The model side pads/truncates to the number of examples it needs.
 */
public final class VggishLogMel {
    public static final int SAMPLE_RATE = 16_000;
    public static final int WINDOW = 400;
    public static final int HOP = 160;
    public static final int FFT_LENGTH = 512;
    public static final int MEL_BANDS = 64;
    public static final double MEL_LOW_HZ = 125.0;
    public static final double MEL_HIGH_HZ = 7500.0;
    public static final double LOG_OFFSET = 0.01;
    public static final int EXAMPLE_FRAMES = 96;

    private static final MelFilterbank MEL =
            new MelFilterbank(MEL_BANDS, FFT_LENGTH / 2 + 1, SAMPLE_RATE, MEL_LOW_HZ, MEL_HIGH_HZ);

    private VggishLogMel() {
    }

    /** The 257×64 mel weight matrix used here. */
    public static MelFilterbank melFilterbank() {
        return MEL;
    }

    /** Number of STFT frames for a 16 kHz signal of {@code samples} samples: {@code 1 + floor((len−400)/160)}, or 0. */
    public static int frameCount(int samples) {
        return samples < WINDOW ? 0 : 1 + (samples - WINDOW) / HOP;
    }

    /** Log-mel frames {@code [frames][64]} of a 16 kHz mono signal (before grouping into examples). */
    public static float[][] logMelFrames(float[] mono16k) {
        int frames = frameCount(mono16k.length);
        float[][] out = new float[frames][MEL_BANDS];
        Stft stft = new Stft(WindowFunction.HANN, WINDOW, FFT_LENGTH);
        double[] mag = new double[stft.bins()];
        double[] mel = new double[MEL_BANDS];
        for (int f = 0; f < frames; f++) {
            stft.magnitude(mono16k, f * HOP, mag);
            MEL.apply(mag, mel);
            for (int b = 0; b < MEL_BANDS; b++) {
                out[f][b] = (float) Math.log(mel[b] + LOG_OFFSET);
            }
        }
        return out;
    }

    /** Log-mel examples {@code [n][96][64]} of a 16 kHz mono signal. */
    public static float[][][] examples(float[] mono16k) {
        float[][] frames = logMelFrames(mono16k);
        int n = frames.length / EXAMPLE_FRAMES;
        float[][][] out = new float[n][EXAMPLE_FRAMES][];
        for (int e = 0; e < n; e++) {
            for (int t = 0; t < EXAMPLE_FRAMES; t++) {
                out[e][t] = frames[e * EXAMPLE_FRAMES + t];
            }
        }
        return out;
    }

    /** Samples one example spans (96 frames of 10 ms). */
    public static final int EXAMPLE_SAMPLES = EXAMPLE_FRAMES * HOP;

    /**
     * The level of each of the first {@code n} examples' spans, 10·log10(mean(x²) + 1e-10) dBFS: example k
     * spans samples [k·15360, (k+1)·15360), cut short at the end of the audio; a span past the end is
     * −100 dB (silence). The Python reference is {@code models/ovavss/audio.py example_levels_db}.
     */
    public static float[] exampleLevelsDb(float[] mono16k, int n) {
        float[] out = new float[n];
        for (int k = 0; k < n; k++) {
            long from = (long) k * EXAMPLE_SAMPLES;
            int to = (int) Math.min(mono16k.length, from + EXAMPLE_SAMPLES);
            if (from >= to) {
                out[k] = -100f;
                continue;
            }
            double sum = 0;
            for (int i = (int) from; i < to; i++) {
                sum += (double) mono16k[i] * mono16k[i];
            }
            out[k] = (float) (10.0 * Math.log10(sum / (to - from) + 1e-10));
        }
        return out;
    }

    /** Log-mel examples of any source: mono mix, resampled to 16 kHz when needed. */
    public static float[][][] examples(PcmSource source) {
        return examples(toMono16k(source));
    }

    /**
     * Mono mix of the whole source resampled to 16 kHz.
     *
     * @throws IllegalArgumentException when the source is too long to hold in one array
     */
    public static float[] toMono16k(PcmSource source) {
        long len = source.length();
        if (len > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("audio too long for log-mel extraction: " + len + " samples");
        }
        float[] mono;
        if (source instanceof PcmBuffer b) {
            mono = b.monoMix();
        } else {
            mono = new float[(int) len];
            source.read(source.channels() == 1 ? 0 : PcmSource.MONO_MIX, 0, mono, 0, mono.length);
        }
        if (source.sampleRate() == SAMPLE_RATE) {
            return mono;
        }
        return new Resampler(source.sampleRate(), SAMPLE_RATE).process(mono);
    }
}
