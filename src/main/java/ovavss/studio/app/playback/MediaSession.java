package ovavss.studio.app.playback;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import ovavss.studio.media.AudioTrack;
import ovavss.studio.media.FrameIndex;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;
import ovavss.studio.task.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open media source together with the decode thread that owns it. The source is opened,
 * used and closed on that thread only. Frame requests are "latest wins": while the decoder is
 * busy, newer requests replace older ones, so scrubbing never builds a backlog. The decoded
 * frame is published as a lock-free snapshot ({@link #latestFrame()}) that the UI samples on
 * its own pulse.
 */
public final class MediaSession implements AutoCloseable {
    /** Opens a media path; {@code MediaOpener::open} in the application. */
    @FunctionalInterface
    public interface Opener {
        MediaSource open(Path path) throws MediaException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(MediaSession.class);
    private static final AtomicInteger SERIAL = new AtomicInteger();

    private final ExecutorService decoder;
    private final MediaSource source;
    private final MediaInfo info;
    private final FrameIndex frames;
    private final AudioTrack audio;
    /** The latest request ({@link #request}'s code), -1 before the first. */
    private final AtomicInteger wanted = new AtomicInteger(-1);
    /** The next frame during playback, decoded before it is due ({@link #prefetch}). */
    private final AtomicReference<VideoFrame> ahead = new AtomicReference<>();
    private final AtomicInteger aheadWanted = new AtomicInteger(-1);
    /** The code of the request last answered (decode thread writes, any thread reads). */
    private volatile int served = -1;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicReference<VideoFrame> latest = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private volatile boolean closed;

    private MediaSession(ExecutorService decoder, MediaSource source) {
        this.decoder = decoder;
        this.source = source;
        this.info = source.info();
        this.frames = source.frames();
        this.audio = source.audio();
    }

    /**
     * Opens {@code path} on a new decode thread. The future completes on that thread, exceptionally
     * with the {@link MediaException} when the media cannot be opened (the thread is then released).
     */
    public static CompletableFuture<MediaSession> open(Path path, Opener opener) {
        ExecutorService exec = Executors.newSingleThreadExecutor(NamedThreads.named("decode-" + SERIAL.incrementAndGet()));
        CompletableFuture<MediaSession> result = new CompletableFuture<>();
        exec.execute(() -> {
            try {
                MediaSource src = opener.open(path);
                if (src == null) {
                    throw new MediaException("Cannot open " + path);
                }
                result.complete(new MediaSession(exec, src));
            } catch (Exception | LinkageError e) {
                exec.shutdown();
                result.completeExceptionally(e instanceof MediaException ? e
                        : new MediaException("Cannot open " + path.getFileName() + ": " + e.getMessage(), e));
            }
        });
        return result;
    }

    public MediaInfo info() {
        return info;
    }

    public FrameIndex frames() {
        return frames;
    }

    /** The audio track, or {@code null}. Reading PCM is safe from any thread. */
    public AudioTrack audio() {
        return audio;
    }

    /** Waits until the audio has been decoded to its end (at once without audio); any thread but the FX thread. */
    public void awaitAudio() throws InterruptedException {
        MediaOpener.awaitAudio(source);
    }

    /** Asks the decode thread for frame {@code index}; returns at once. */
    public void requestFrame(int index) {
        if (closed || frames.count() == 0) {
            return;
        }
        int clamped = Math.max(0, Math.min(frames.count() - 1, index));
        VideoFrame a = ahead.get();
        if (a != null && a.index() == clamped) {
            // decoded ahead during playback: on screen in this very pulse, no round trip to the decoder
            synchronized (this) {
                wanted.set(clamped * 2);
                latest.set(a);
                served = clamped * 2;
            }
            return;
        }
        request(clamped, false);
    }

    /**
     * During playback: decode frame {@code index} (the next one) while the decoder has nothing
     * else to do, so that {@link #requestFrame} can show it the moment it is due.
     */
    public void prefetch(int index) {
        if (closed || frames.count() == 0 || index < 0 || index >= frames.count()) {
            return;
        }
        VideoFrame a = ahead.get();
        if ((a != null && a.index() == index) || aheadWanted.getAndSet(index) == index) {
            return;
        }
        if (scheduled.compareAndSet(false, true)) {
            decoder.execute(this::decodeWanted);
        }
    }

    /**
     * Asks for a picture to show while scrubbing: the frame if it is at hand, else the nearest
     * picture at hand or its keyframe ({@link MediaSource#nearestPicture}); the published frame's
     * index says which it is. Returns at once.
     */
    public void requestPreview(int index) {
        request(index, true);
    }

    /** A request as one number (index * 2, plus 1 for a preview), so "latest wins" is one atomic swap. */
    private void request(int index, boolean preview) {
        if (closed || frames.count() == 0) {
            return;
        }
        int clamped = Math.max(0, Math.min(frames.count() - 1, index));
        int code = clamped * 2 + (preview ? 1 : 0);
        if (wanted.get() == code && satisfied(code)) {
            return;
        }
        wanted.set(code);
        if (scheduled.compareAndSet(false, true)) {
            decoder.execute(this::decodeWanted);
        }
    }

    /** The request was answered: that exact frame was published, or any answer to that preview. */
    private boolean satisfied(int code) {
        int s = served;
        return s == code || (code % 2 == 1 && s == code - 1);
    }

    private void decodeWanted() {
        try {
            while (!closed) {
                int want = wanted.get();
                if (want < 0 || satisfied(want)) {
                    if (!decodeAhead()) {
                        return;
                    }
                    continue;
                }
                int index = want / 2;
                try {
                    VideoFrame f = want % 2 == 1 ? source.nearestPicture(index) : source.frame(index);
                    synchronized (this) {
                        // a frame shown from the ahead slot meanwhile is newer: never step back to this one
                        if (wanted.get() == want || !satisfied(wanted.get())) {
                            latest.set(f);
                            served = want;
                        }
                    }
                    lastError.set(null);
                } catch (MediaException | RuntimeException e) {
                    LOG.warn("cannot decode frame {}: {}", index, e.getMessage());
                    lastError.set(e.getMessage());
                    return;
                }
            }
        } finally {
            scheduled.set(false);
            // A request may have arrived between the last check and clearing the flag.
            int want = wanted.get();
            int next = aheadWanted.get();
            VideoFrame a = ahead.get();
            boolean aheadToDo = next >= 0 && (a == null || a.index() != next);
            if (!closed && ((want >= 0 && !satisfied(want) && lastError.get() == null) || aheadToDo)
                    && scheduled.compareAndSet(false, true)) {
                decoder.execute(this::decodeWanted);
            }
        }
    }

    /** Decodes the frame asked for by {@link #prefetch} into the ahead slot; false when there is none to do. */
    private boolean decodeAhead() {
        int next = aheadWanted.get();
        VideoFrame a = ahead.get();
        if (next < 0 || (a != null && a.index() == next)) {
            return false;
        }
        try {
            ahead.set(source.frame(next));
        } catch (MediaException | RuntimeException e) {
            aheadWanted.compareAndSet(next, -1);   // shown (and reported) when it is requested for real
            return false;
        }
        return true;
    }

    /** The most recently decoded frame, or {@code null} before the first. */
    public VideoFrame latestFrame() {
        return latest.get();
    }

    /** Message of the last decode failure, or {@code null}. */
    public String lastError() {
        return lastError.get();
    }

    /** Closes the source on its own thread; returns at once. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        decoder.execute(source::close);
        decoder.shutdown();
    }
}
