package ovavss.studio.app;

import java.util.List;
import ovavss.studio.audio.OnsetDetector;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;

/**
 * Where the sound of a clip starts and stops: onset and offset suggestions for the sound lanes,
 * from the audio mixed to mono near 16 kHz.
 */
public final class AudioSuggestions {
    /** Longest audio analysed (longer media: the first hour). */
    public static final double MAX_SECONDS = 3600;

    private AudioSuggestions() {
    }

    /**
     * Suggestions over the decoded audio of {@code audio} (call once decoding has finished);
     * cancellation is checked between blocks of samples.
     *
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public static List<OnsetDetector.Suggestion> find(PcmSource audio, Cancellation cancel) {
        int rate = audio.sampleRate();
        int factor = Math.max(1, rate / 16000);
        long n = Math.min(audio.available(), (long) (MAX_SECONDS * rate));
        float[] mono = new float[(int) (n / factor)];
        float[] buf = new float[factor * 8192];
        for (long pos = 0; pos + factor <= n; pos += buf.length) {
            cancel.check();
            int len = (int) Math.min(buf.length, n - pos);
            audio.read(PcmSource.MONO_MIX, pos, buf, 0, len);
            // average groups of `factor` samples: a crude low-pass before decimation
            for (int j = 0; j + factor <= len; j += factor) {
                float sum = 0;
                for (int q = 0; q < factor; q++) {
                    sum += buf[j + q];
                }
                int idx = (int) ((pos + j) / factor);
                if (idx < mono.length) {
                    mono[idx] = sum / factor;
                }
            }
        }
        cancel.check();
        return new OnsetDetector().detect(mono, rate / factor);
    }
}
