package ovavss.studio.audio;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.pcm.PcmSource;

/**
 * Reads whole audio files (WAV/AIFF/AU through {@code javax.sound.sampled}) into a {@link PcmBuffer}.
 * Supports signed/unsigned integer PCM of 8, 16, 24 and 32 bits in either byte order and 32/64-bit
 * float PCM, any channel count. Integers are scaled by 2^(bits-1) (so 16-bit matches the
 * {@code int16 / 32768.0} convention of VGGish).
 */
public final class AudioFiles {
    private AudioFiles() {
    }

    /**
     * Decodes the file completely.
     *
     * @throws IOException with a user-facing message when the file is missing, empty, not audio,
     *                     or in an unsupported sample format
     */
    public static PcmBuffer read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such audio file: " + file);
        }
        if (Files.size(file) == 0) {
            throw new IOException("audio file is empty: " + file);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file));
             AudioInputStream ais = AudioSystem.getAudioInputStream(in)) {
            return decode(ais, file.toString());
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a readable audio file (WAV/AIFF/AU PCM expected): " + file, e);
        }
    }

    /** Lowest sample rate read: below it the header is wrong (a 1 Hz file resampled to 16 kHz is gigabytes). */
    public static final int MIN_SAMPLE_RATE = 1_000;
    /** Highest sample rate read: studio audio goes to 384 kHz. */
    public static final int MAX_SAMPLE_RATE = 384_000;
    /** Most channels read (third-order ambisonics is 16; 7.1.4 is 12). */
    public static final int MAX_CHANNELS = 32;
    /** Longest file read whole, in seconds (three hours). */
    public static final long MAX_SECONDS = 3 * 3600;

    /**
     * Refuses a header outside the limits before any sample is read or memory allocated for them.
     *
     * @param frames the frames the header declares, or a negative number when it declares none
     */
    static void checkLimits(String name, float sampleRate, int channels, long frames) throws IOException {
        if (!(sampleRate >= MIN_SAMPLE_RATE && sampleRate <= MAX_SAMPLE_RATE)) {
            throw new IOException(name + ": sample rate " + Math.round(sampleRate) + " Hz is outside the "
                    + MIN_SAMPLE_RATE + "-" + MAX_SAMPLE_RATE + " Hz this app reads");
        }
        if (channels > MAX_CHANNELS) {
            throw new IOException(name + ": " + channels + " channels; the limit is " + MAX_CHANNELS);
        }
        if (frames > 0 && frames / sampleRate > MAX_SECONDS) {
            throw new IOException(String.format(java.util.Locale.ROOT,
                    "%s: the header declares %.1f hours of audio; the limit is %d hours", name,
                    frames / sampleRate / 3600, MAX_SECONDS / 3600));
        }
    }

    static PcmBuffer decode(AudioInputStream ais, String name) throws IOException {
        AudioFormat f = ais.getFormat();
        AudioFormat.Encoding enc = f.getEncoding();
        int bits = f.getSampleSizeInBits();
        int ch = f.getChannels();
        int rate = Math.round(f.getSampleRate());
        boolean isFloat = AudioFormat.Encoding.PCM_FLOAT.equals(enc);
        boolean signed = AudioFormat.Encoding.PCM_SIGNED.equals(enc);
        boolean unsigned = AudioFormat.Encoding.PCM_UNSIGNED.equals(enc);
        if (!(isFloat || signed || unsigned)) {
            throw new IOException(name + ": unsupported audio encoding " + enc + " (only linear PCM and float)");
        }
        if (ch <= 0 || rate <= 0) {
            throw new IOException(name + ": invalid format " + f);
        }
        checkLimits(name, f.getSampleRate(), ch, ais.getFrameLength());
        if (isFloat ? (bits != 32 && bits != 64) : (bits != 8 && bits != 16 && bits != 24 && bits != 32)) {
            throw new IOException(name + ": unsupported sample size " + bits + " bits for " + enc);
        }
        int bytesPerSample = bits / 8;
        int frameSize = f.getFrameSize() > 0 ? f.getFrameSize() : bytesPerSample * ch;
        byte[] raw = ais.readAllBytes();
        int frames = raw.length / frameSize;
        if (frames == 0) {
            throw new IOException(name + ": the file contains no audio samples");
        }
        boolean big = f.isBigEndian();
        float[][] out = new float[ch][frames];
        double scale = isFloat ? 1.0 : 1.0 / (1L << (bits - 1));
        for (int i = 0; i < frames; i++) {
            int base = i * frameSize;
            for (int c = 0; c < ch; c++) {
                int p = base + c * bytesPerSample;
                long v = 0;
                for (int b = 0; b < bytesPerSample; b++) {
                    int byteVal = raw[big ? p + b : p + bytesPerSample - 1 - b] & 0xFF;
                    v = (v << 8) | byteVal;
                }
                float sample;
                if (isFloat) {
                    sample = bits == 32 ? Float.intBitsToFloat((int) v) : (float) Double.longBitsToDouble(v);
                } else if (unsigned || bits == 8 && !signed) {
                    sample = (float) ((v - (1L << (bits - 1))) * scale);
                } else {
                    long shifted = (v << (64 - bits)) >> (64 - bits); // sign-extend
                    sample = (float) (shifted * scale);
                }
                out[c][i] = sample;
            }
        }
        return new PcmBuffer(rate, out);
    }

    /**
     * Writes 16-bit little-endian PCM WAV (samples clipped to [-1, 1)), atomically. Used by tests,
     * fixtures and the sample-clip generator.
     */
    public static void writeWav16(Path file, PcmSource pcm) throws IOException {
        int ch = pcm.channels();
        long n = pcm.length();
        if (n * ch * 2 > Integer.MAX_VALUE - 64) {
            throw new IOException("audio too long for a WAV file");
        }
        byte[] data = new byte[(int) (n * ch * 2)];
        float[] buf = new float[8192];
        for (int c = 0; c < ch; c++) {
            for (long s = 0; s < n; s += buf.length) {
                int len = (int) Math.min(buf.length, n - s);
                pcm.read(c, s, buf, 0, len);
                for (int i = 0; i < len; i++) {
                    int v = (int) Math.round(Math.max(-1.0, Math.min(1.0, buf[i])) * 32768.0);
                    v = Math.max(-32768, Math.min(32767, v));
                    int p = (int) (((s + i) * ch + c) * 2);
                    data[p] = (byte) v;
                    data[p + 1] = (byte) (v >> 8);
                }
            }
        }
        AudioFormat fmt = new AudioFormat(pcm.sampleRate(), 16, ch, true, false);
        AtomicFiles.writeWith(file, tmp -> {
            try (AudioInputStream ais = new AudioInputStream(new java.io.ByteArrayInputStream(data), fmt, n)) {
                AudioSystem.write(ais, javax.sound.sampled.AudioFileFormat.Type.WAVE, tmp.toFile());
            }
        });
    }
}
