package ovavss.studio.app.playback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.Control;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.SourceDataLine;
import ovavss.studio.audio.PcmBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The audio output as the clock's time base, against a fake line whose "device" plays only when
 * the test says so: what is heard after a seek or speed change, and the clock reading it gives.
 * Every wait is bounded and the class has a timeout, so a deadlock fails instead of hanging.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AudioPlaybackTest {
    private static final int RATE = 1000;
    private static final int RAMP = 20_000;
    private FakeLine line;
    private AudioPlayback audio;
    private PlaybackClock clock;

    @BeforeEach
    void setUp() {
        start(256);
    }

    /** (Re)creates the output on a fake line holding {@code capacityFrames} (the feeder writes 20-frame chunks). */
    private void start(int capacityFrames) {
        if (audio != null) {
            audio.close();
        }
        // Sample i holds i / RAMP, so every played sample tells which source sample it came from.
        float[] x = new float[RAMP];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) i / RAMP;
        }
        line = new FakeLine(capacityFrames);
        audio = new AudioPlayback(new PcmBuffer(RATE, x), line, 1);
        audio.startFeeder();
        clock = new PlaybackClock(audio);
        clock.addListener(audio);
        clock.setDuration(20_000_000);
    }

    @AfterEach
    @Timeout(5)
    void tearDown() {
        audio.close();
    }

    private static int sourceIndex(short s) {
        return Math.round(s / 32767f * RAMP);
    }

    @Test
    void playsFromTheSeekPositionAndTheClockCountsPlayedFrames() throws Exception {
        clock.seek(2_000_000);
        clock.play();
        short[] heard = line.play(100);
        assertEquals(2000, sourceIndex(heard[0]), 1);
        assertEquals(2099, sourceIndex(heard[99]), 1);
        assertEquals(2_100_000, clock.timeMicros());

        clock.seek(5_000_000);
        heard = line.play(50);
        assertEquals(5000, sourceIndex(heard[0]), 1, "no stale audio after a seek");
        assertEquals(5_050_000, clock.timeMicros());
    }

    @Test
    void doubleSpeedSkipsEveryOtherSampleAndDoublesClockSpeed() throws Exception {
        clock.seek(1_000_000);
        clock.play();
        line.play(10);
        clock.setRate(2.0);
        short[] heard = line.play(40);
        assertEquals(1010, sourceIndex(heard[0]), 1);
        assertEquals(1012, sourceIndex(heard[1]), 1);
        assertEquals(1_010_000 + 80_000, clock.timeMicros());
    }

    @Test
    void pauseStopsTheDeviceAndTheClock() throws Exception {
        clock.play();
        line.play(30);
        clock.pause();
        assertEquals(30_000, clock.timeMicros());
        assertEquals(0, line.buffered());
        clock.play();
        short[] heard = line.play(5);
        assertEquals(30, sourceIndex(heard[0]), 1);
    }

    @Test
    void aWriteThatStartsJustAfterTheSeekFlushNeitherDeadlocksNorLeavesStaleAudio() throws Exception {
        // The buffer is smaller than one chunk, so every write blocks until the device plays or
        // the line is flushed: the case where the earlier locking version deadlocked.
        start(8);
        clock.seek(2_000_000);
        clock.play();
        line.play(30);
        line.holdNextWriteUntilFlush();
        line.play(10);   // the rest of the second chunk; the third chunk's write waits for a flush
        line.awaitHeldWrite();
        clock.seek(7_000_000);   // its first flush releases that write, which then blocks again
        short[] heard = line.play(10);
        assertEquals(7000, sourceIndex(heard[0]), 1, "no stale audio after a seek");
        assertEquals(7009, sourceIndex(heard[9]), 1);
        assertEquals(7_010_000, clock.timeMicros());
    }

    @Test
    void randomSeeksPausesAndSpeedChangesAlwaysResumeAtTheClockTime() throws Exception {
        Random rnd = new Random(42);
        double[] rates = {0.5, 1.0, 1.5, 2.0};
        clock.play();
        for (int step = 0; step < 300; step++) {
            switch (rnd.nextInt(4)) {
                case 0 -> clock.seek(1000L * rnd.nextInt(15_000));
                case 1 -> clock.setRate(rates[rnd.nextInt(rates.length)]);
                case 2 -> {
                    clock.pause();
                    assertEquals(0, line.buffered(), "pause leaves nothing queued");
                    clock.play();
                }
                default -> line.play(rnd.nextInt(40));
            }
            long t = clock.timeMicros();
            short[] heard = line.play(4);
            assertEquals(t / 1000.0, sourceIndex(heard[0]), 1.0, "step " + step + ": first sample heard");
            assertEquals(t + Math.round(4000 * clock.rate()), clock.timeMicros(), "step " + step + ": clock");
        }
    }

    /** A line with a small buffer; frames leave it only when the test calls {@link #play}. */
    static final class FakeLine implements SourceDataLine {
        private final int capacity;
        private final ArrayDeque<Short> buffer = new ArrayDeque<>();
        private long position;
        private long flushes;
        private boolean running;
        private boolean closed;
        private byte pendingLow = 0;
        private boolean havePending;
        private boolean holdNextWrite;
        private boolean writeHeld;

        FakeLine(int capacityFrames) {
            this.capacity = capacityFrames;
        }

        /** Lets the device play {@code n} frames (waiting for the feeder to supply them). */
        short[] play(int n) throws InterruptedException {
            short[] out = new short[n];
            long deadline = System.nanoTime() + 5_000_000_000L;
            synchronized (this) {
                for (int i = 0; i < n; i++) {
                    while (buffer.isEmpty() || !running) {
                        long left = deadline - System.nanoTime();
                        assertTrue(left > 0, "the feeder did not supply audio");
                        wait(Math.max(1, left / 1_000_000));
                    }
                    out[i] = buffer.poll();
                    position++;
                    notifyAll();
                }
            }
            return out;
        }

        synchronized int buffered() {
            return buffer.size();
        }

        /** Makes the next {@link #write} begin only after the next flush, as if it lost that race. */
        synchronized void holdNextWriteUntilFlush() {
            holdNextWrite = true;
        }

        /** Waits until a write is being held by {@link #holdNextWriteUntilFlush}. */
        synchronized void awaitHeldWrite() throws InterruptedException {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!writeHeld) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the feeder did not start another write");
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /**
         * Blocks while the buffer is full, like a real line; returns early at a flush or close.
         * Even so it gives up after a minute (far past the class timeout, so it cannot hide a
         * deadlock) and a broken player cannot pin the feeder thread forever.
         */
        @Override
        public synchronized int write(byte[] b, int off, int len) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            try {
                if (holdNextWrite) {
                    holdNextWrite = false;
                    writeHeld = true;
                    notifyAll();
                    long flushesBefore = flushes;
                    while (flushes == flushesBefore && !closed && System.nanoTime() < deadline) {
                        wait(10);
                    }
                    writeHeld = false;
                }
            } catch (InterruptedException e) {
                return 0;
            }
            long flushAtStart = flushes;
            int i = 0;
            while (i < len) {
                while (buffer.size() >= capacity && flushes == flushAtStart && !closed) {
                    if (System.nanoTime() > deadline) {
                        return i;
                    }
                    try {
                        wait(10);
                    } catch (InterruptedException e) {
                        return i;
                    }
                }
                if (flushes != flushAtStart || closed) {
                    return i;
                }
                if (!havePending) {
                    pendingLow = b[off + i];
                    havePending = true;
                } else {
                    buffer.add((short) ((b[off + i] << 8) | (pendingLow & 0xFF)));
                    havePending = false;
                    notifyAll();
                }
                i++;
            }
            return i;
        }

        /** Like ALSA's, the position after a flush counts the discarded frames as played. */
        @Override
        public synchronized void flush() {
            position += buffer.size();
            buffer.clear();
            havePending = false;
            flushes++;
            notifyAll();
        }

        @Override
        public synchronized void start() {
            running = true;
            notifyAll();
        }

        @Override
        public synchronized void stop() {
            running = false;
            notifyAll();
        }

        @Override
        public synchronized long getLongFramePosition() {
            return position;
        }

        @Override
        public int getFramePosition() {
            return (int) getLongFramePosition();
        }

        @Override
        public long getMicrosecondPosition() {
            return getLongFramePosition() * 1_000_000L / RATE;
        }

        @Override
        public synchronized boolean isRunning() {
            return running;
        }

        @Override
        public boolean isActive() {
            return isRunning();
        }

        @Override
        public void open(AudioFormat format, int bufferSize) {
        }

        @Override
        public void open(AudioFormat format) {
        }

        @Override
        public void open() {
        }

        @Override
        public void drain() {
        }

        @Override
        public AudioFormat getFormat() {
            return new AudioFormat(RATE, 16, 1, true, false);
        }

        @Override
        public int getBufferSize() {
            return capacity * 2;
        }

        @Override
        public synchronized int available() {
            return (capacity - buffer.size()) * 2;
        }

        @Override
        public float getLevel() {
            return javax.sound.sampled.AudioSystem.NOT_SPECIFIED;
        }

        @Override
        public Line.Info getLineInfo() {
            return new Line.Info(SourceDataLine.class);
        }

        @Override
        public synchronized void close() {
            buffer.clear();
            closed = true;
            notifyAll();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public Control[] getControls() {
            return new Control[0];
        }

        @Override
        public boolean isControlSupported(Control.Type control) {
            return false;
        }

        @Override
        public Control getControl(Control.Type control) {
            throw new IllegalArgumentException("no controls");
        }

        @Override
        public void addLineListener(LineListener listener) {
        }

        @Override
        public void removeLineListener(LineListener listener) {
        }
    }
}
