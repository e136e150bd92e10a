package ovavss.studio.avsbench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/**
 * {@code audio.wav} for AVSBench trees: 16 kHz, mono, signed 16-bit little-endian PCM, plus the
 * band-limited resampler that gets any source rate there.
 */
public final class WavFiles {
    public static final int AVSBENCH_RATE = 16000;

    private WavFiles() {
    }

    /** Writes mono float samples in [-1, 1] as a 16-bit PCM RIFF/WAVE file (clipped, rounded). */
    public static void writePcm16(Path file, float[] samples, int sampleRate) throws IOException {
        int dataBytes = samples.length * 2;
        ByteBuffer bb = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(new byte[] {'R', 'I', 'F', 'F'}).putInt(36 + dataBytes).put(new byte[] {'W', 'A', 'V', 'E'});
        bb.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(sampleRate).putInt(sampleRate * 2).putShort((short) 2).putShort((short) 16);
        bb.put(new byte[] {'d', 'a', 't', 'a'}).putInt(dataBytes);
        for (float s : samples) {
            float c = Math.max(-1f, Math.min(1f, s));
            bb.putShort((short) Math.round(c * 32767f));
        }
        Files.write(file, bb.array());
    }

    /** Reads a PCM wav as mono floats (channels averaged), returning the samples and the rate. */
    public static float[] readMono(Path file, int[] rateOut) {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
            AudioFormat f = in.getFormat();
            AudioFormat target = new AudioFormat(f.getSampleRate(), 16, f.getChannels(), true, false);
            try (AudioInputStream pcm = AudioSystem.getAudioInputStream(target, in)) {
                byte[] all = pcm.readAllBytes();
                int ch = f.getChannels();
                int n = all.length / (2 * ch);
                float[] out = new float[n];
                ByteBuffer bb = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
                for (int i = 0; i < n; i++) {
                    float s = 0;
                    for (int c = 0; c < ch; c++) {
                        s += bb.getShort() / 32768f;
                    }
                    out[i] = s / ch;
                }
                rateOut[0] = Math.round(f.getSampleRate());
                return out;
            }
        } catch (Exception e) {
            throw new AvsbenchException("cannot read wav " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Windowed-sinc resampling (Blackman window, 32 zero crossings each side at the lower of the
     * two Nyquist rates), so downsampling does not alias.
     */
    public static float[] resample(float[] in, int fromRate, int toRate) {
        if (fromRate == toRate) {
            return in.clone();
        }
        long outLen = (long) Math.floor((double) in.length * toRate / fromRate);
        float[] out = new float[(int) outLen];
        double ratio = (double) fromRate / toRate;
        double cutoff = Math.min(1.0, (double) toRate / fromRate); // relative to the input Nyquist
        int zeros = 32;
        double halfWidth = zeros / cutoff; // in input samples
        for (int i = 0; i < out.length; i++) {
            double t = i * ratio;
            int j0 = (int) Math.ceil(t - halfWidth);
            int j1 = (int) Math.floor(t + halfWidth);
            double acc = 0;
            for (int j = Math.max(0, j0); j <= Math.min(in.length - 1, j1); j++) {
                double x = (j - t) * cutoff;
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
                double wpos = (j - t) / halfWidth; // -1..1
                double win = 0.42 + 0.5 * Math.cos(Math.PI * wpos) + 0.08 * Math.cos(2 * Math.PI * wpos);
                acc += in[j] * sinc * win;
            }
            out[i] = (float) (acc * cutoff);
        }
        return out;
    }
}
