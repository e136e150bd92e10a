package ovavss.studio.app.playback;

import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import ovavss.studio.audio.PcmSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link PcmSource} through a {@code javax.sound} {@link SourceDataLine} and serves as the
 * {@link TimeBase} of the {@link PlaybackClock}: its time is the number of frames the device has
 * actually played, so the picture follows the sound. Speed changes are applied by linear
 * resampling in the feeder (pitch changes with speed, but audio and video stay in sync).
 *
 * <p>A daemon feeder thread writes short chunks; clock events (seek, pause, rate) only flip
 * atomic fields and flush the line, so the caller (usually the FX thread) never waits on it.
 */
public final class AudioPlayback implements PlaybackClock.Listener, TimeBase, AutoCloseable {
    /** System property; {@code off} forces the wall clock (no audio output). */
    public static final String PROPERTY = "ovavss.audio";
    private static final Logger LOG = LoggerFactory.getLogger(AudioPlayback.class);
    private static final int CHUNK_MS = 20;
    private static final int BUFFER_MS = 120;

    private final PcmSource pcm;
    private final SourceDataLine line;
    private final int outChannels;
    private final int outRate;
    private final Thread feeder;
    private final Object wake = new Object();
    private final AtomicLong generation = new AtomicLong();
    private volatile boolean running;
    private volatile boolean closed;
    private volatile double rate = 1.0;
    /** Next source sample to play, in source samples (fractional for resampling). */
    private double srcPos;

    private AudioPlayback(PcmSource pcm, SourceDataLine line, int outChannels) {
        this.pcm = pcm;
        this.line = line;
        this.outChannels = outChannels;
        this.outRate = pcm.sampleRate();
        this.feeder = new Thread(this::feed, "audio-out");
        feeder.setDaemon(true);
        feeder.setUncaughtExceptionHandler((t, e) -> LOG.error("audio output failed", e));
    }

    /**
     * Opens an output line for {@code pcm}, or returns {@code null} when there is no audio device
     * (headless machines, containers) or output is switched off; the caller then uses the wall clock.
     */
    public static AudioPlayback open(PcmSource pcm) {
        if (pcm == null || pcm.sampleRate() <= 0 || pcm.channels() <= 0
                || "off".equalsIgnoreCase(System.getProperty(PROPERTY, "on"))) {
            return null;
        }
        int ch = Math.min(2, pcm.channels());
        AudioFormat fmt = new AudioFormat(pcm.sampleRate(), 16, ch, true, false);
        try {
            SourceDataLine line = AudioSystem.getSourceDataLine(fmt);
            int bytes = (int) ((long) pcm.sampleRate() * BUFFER_MS / 1000) * ch * 2;
            line.open(fmt, bytes);
            AudioPlayback p = new AudioPlayback(pcm, line, ch);
            p.feeder.start();
            LOG.info("audio output: {} Hz, {} ch, buffer {} bytes", pcm.sampleRate(), ch, line.getBufferSize());
            return p;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            LOG.info("no audio output ({}); playback runs on the wall clock", e.getMessage());
            return null;
        }
    }

    @Override
    public long nowMicros() {
        return line.getLongFramePosition() * 1_000_000L / outRate;
    }

    @Override
    public void started(long mediaMicros, double r) {
        restart(mediaMicros, r, true);
    }

    @Override
    public void stopped(long mediaMicros) {
        running = false;
        generation.incrementAndGet();
        line.stop();
        line.flush();
    }

    @Override
    public void jumped(long mediaMicros, boolean playing) {
        if (playing) {
            restart(mediaMicros, rate, true);
        }
    }

    @Override
    public void rateChanged(double r, long mediaMicros, boolean playing) {
        rate = r;
        if (playing) {
            restart(mediaMicros, r, true);
        }
    }

    private void restart(long mediaMicros, double r, boolean play) {
        synchronized (wake) {
            generation.incrementAndGet();
            srcPos = mediaMicros * (double) pcm.sampleRate() / 1_000_000d;
            rate = r;
            running = play;
            // flush() makes a blocked write() return, so this never waits on the feeder.
            line.flush();
            line.start();
            wake.notifyAll();
        }
    }

    private void feed() {
        int frames = outRate * CHUNK_MS / 1000;
        byte[] out = new byte[frames * outChannels * 2];
        float[][] src = new float[outChannels][];
        while (!closed) {
            long gen;
            double pos;
            double r;
            synchronized (wake) {
                while (!running && !closed) {
                    try {
                        wake.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                gen = generation.get();
                pos = srcPos;
                r = rate;
            }
            long first = (long) Math.floor(pos);
            int need = (int) Math.ceil(frames * r) + 2;
            for (int c = 0; c < outChannels; c++) {
                if (src[c] == null || src[c].length < need) {
                    src[c] = new float[need];
                }
                int channel = outChannels == 1 && pcm.channels() > 1 ? PcmSource.MONO_MIX : c;
                pcm.read(channel, first, src[c], 0, need);
            }
            double frac = pos - first;
            for (int i = 0; i < frames; i++) {
                double x = frac + i * r;
                int k = (int) x;
                float w = (float) (x - k);
                for (int c = 0; c < outChannels; c++) {
                    float v = src[c][k] * (1 - w) + src[c][k + 1] * w;
                    int s = Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f);
                    int o = (i * outChannels + c) * 2;
                    out[o] = (byte) s;
                    out[o + 1] = (byte) (s >> 8);
                }
            }
            synchronized (wake) {
                if (gen != generation.get()) {
                    continue;   // a seek happened while mixing: drop the stale chunk
                }
                srcPos = pos + frames * r;
            }
            line.write(out, 0, out.length);
        }
    }

    @Override
    public void close() {
        closed = true;
        running = false;
        synchronized (wake) {
            wake.notifyAll();
        }
        line.stop();
        line.flush();
        line.close();
    }
}
