package ovavss.studio.app.playback;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plays a {@link PcmSource} through a {@code javax.sound} {@link SourceDataLine} and serves as the
 * {@link TimeBase} of the {@link PlaybackClock}: its time is the number of frames the device has
 * actually played, so the picture follows the sound. Speed changes are applied by linear
 * resampling in the feeder (pitch changes with speed, but audio and video stay in sync).
 *
 * <p>A daemon feeder thread mixes short chunks and writes them under {@code writeLock}, each
 * tagged with the {@code generation} it was mixed for. A clock event (seek, pause, rate) bumps the
 * generation and parks the feeder, then flushes until it holds the lock (a flush makes a blocked
 * {@code write} return, so this takes milliseconds), flushes once more and only then lets the
 * feeder go on from the new position: no stale chunk can land after that flush, and no fresh one
 * is flushed away.
 */
public final class AudioPlayback implements PlaybackClock.Listener, TimeBase, AutoCloseable {
    /** System property; {@code off} forces the wall clock (no audio output). */
    public static final String PROPERTY = "ovavss.audio";
    private static final Logger LOG = LoggerFactory.getLogger(AudioPlayback.class);
    private static final int CHUNK_MS = 20;
    private static final int BUFFER_MS = 120;
    /** Longest a clock event waits for the feeder to leave {@code line.write} after flushes. */
    private static final long LOCK_WAIT_MS = 1_000;

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

    /** Held by the feeder around each write, and by clock events around their final flush. */
    private final ReentrantLock writeLock = new ReentrantLock();

    /** Plays {@code pcm} through an opened {@code line} of {@code outChannels} 16-bit channels at the source rate. */
    AudioPlayback(PcmSource pcm, SourceDataLine line, int outChannels) {
        this.pcm = pcm;
        this.line = line;
        this.outChannels = outChannels;
        this.outRate = pcm.sampleRate();
        this.feeder = NamedThreads.named("audio-out").newThread(this::feed);
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
            p.startFeeder();
            LOG.info("audio output: {} Hz, {} ch, buffer {} bytes", pcm.sampleRate(), ch, line.getBufferSize());
            return p;
        } catch (LineUnavailableException | IllegalArgumentException | SecurityException e) {
            LOG.info("no audio output ({}); playback runs on the wall clock", e.getMessage());
            return null;
        }
    }

    void startFeeder() {
        feeder.start();
    }

    @Override
    public long nowMicros() {
        return line.getLongFramePosition() * 1_000_000L / outRate;
    }

    @Override
    public void started(long mediaMicros, double r) {
        restart(mediaMicros, r);
    }

    @Override
    public void stopped(long mediaMicros) {
        synchronized (wake) {
            running = false;
            generation.incrementAndGet();
        }
        line.stop();
        boolean locked = lockWriter();
        try {
            // Under the lock no write is in flight, so the buffer stays empty until the next start.
            line.flush();
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    @Override
    public void jumped(long mediaMicros, boolean playing) {
        if (playing) {
            restart(mediaMicros, rate);
        }
    }

    @Override
    public void rateChanged(double r, long mediaMicros, boolean playing) {
        if (playing) {
            restart(mediaMicros, r);
        } else {
            synchronized (wake) {
                rate = r;
            }
        }
    }

    /**
     * Makes the next sound the device plays come from {@code mediaMicros} at speed {@code r}.
     * Returns once the line holds no stale audio, so the clock may take its anchor reading right
     * after (a flush may move the device's frame position, e.g. on ALSA it then counts the
     * discarded frames as played; only frames played after the anchor count).
     */
    private void restart(long mediaMicros, double r) {
        if (closed) {
            return;
        }
        synchronized (wake) {
            // Parks the feeder (it cannot read the new position yet) and marks any chunk it is
            // mixing or about to write as stale.
            generation.incrementAndGet();
            srcPos = mediaMicros * (double) pcm.sampleRate() / 1_000_000d;
            rate = r;
            running = false;
        }
        boolean locked = lockWriter();
        try {
            line.flush();
            synchronized (wake) {
                // The feeder's first write waits for our unlock, so the flush above cannot drop it.
                running = !closed;
                wake.notifyAll();
            }
            line.start();
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }

    /**
     * Takes {@code writeLock}, flushing the line meanwhile: a write blocked on a full buffer
     * returns at a flush, but a write that began just after one blocks again, so flush until the
     * feeder lets go. Gives up (returns {@code false}, lock not held) after {@code LOCK_WAIT_MS}
     * rather than hang the caller, which is usually the FX thread; interrupts are kept for later.
     */
    private boolean lockWriter() {
        long deadline = System.nanoTime() + LOCK_WAIT_MS * 1_000_000L;
        boolean interrupted = false;
        try {
            while (true) {
                line.flush();
                try {
                    if (writeLock.tryLock(2, TimeUnit.MILLISECONDS)) {
                        return true;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("audio writer did not return within {} ms of a flush; continuing without it",
                            LOCK_WAIT_MS);
                    return false;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
            writeLock.lock();
            try {
                // Checked again under the lock: a clock event that bumped it flushes only after
                // this write returns, and no later write of this chunk may follow that flush.
                if (gen == generation.get()) {
                    line.write(out, 0, out.length);
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    @Override
    public void close() {
        synchronized (wake) {
            closed = true;
            running = false;
            generation.incrementAndGet();
            wake.notifyAll();
        }
        line.stop();
        boolean locked = lockWriter();
        try {
            line.flush();
            line.close();
        } finally {
            if (locked) {
                writeLock.unlock();
            }
        }
    }
}
