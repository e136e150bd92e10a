package ovavss.studio.app.export;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import ovavss.studio.annotation.Clip;
import ovavss.studio.avsbench.ClipMedia;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.media.AudioTrack;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Futures;
import ovavss.studio.task.NamedThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ClipMedia} over the media decoders, for headless export: keyframe k of a clip is the
 * frame shown at {@code mediaStart + keyframeTimes[k]}; audio is the clip span mixed to mono.
 *
 * <p>Thread-safe, because the exporter's workers call it at once: a {@link MediaSource} is not
 * (FFmpeg handles, one owning thread), so every source is opened, read and closed on this
 * object's single decode thread and the workers wait for their frame there; only the copy and
 * resize of a decoded frame run on the worker. Up to {@code openLimit} sources stay open
 * (least recently used closed first): with one per worker, clips in flight from different media
 * do not reopen each other's file for every frame. Must be closed.
 */
final class DecodedClipMedia implements ClipMedia, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DecodedClipMedia.class);

    private final int openLimit;
    private final ExecutorService decode = Executors.newSingleThreadExecutor(NamedThreads.named("export-decode"));
    /** Open sources by media path, least recently used first; decode thread only. */
    private final Map<String, MediaSource> open = new LinkedHashMap<>(16, 0.75f, true);

    DecodedClipMedia(int openLimit) {
        if (openLimit < 1) {
            throw new IllegalArgumentException("openLimit must be at least 1, got " + openLimit);
        }
        this.openLimit = openLimit;
    }

    /** Decode thread only. */
    private MediaSource source(Clip clip) throws IOException {
        MediaSource s = open.get(clip.media());
        if (s != null) {
            return s;
        }
        if (open.size() >= openLimit) {
            var eldest = open.entrySet().iterator().next();
            open.remove(eldest.getKey());
            eldest.getValue().close();
        }
        try {
            s = MediaOpener.open(Path.of(clip.media()));
        } catch (MediaException e) {
            throw new IOException("cannot open media of clip '" + clip.id() + "': " + e.getMessage(), e);
        }
        open.put(clip.media(), s);
        return s;
    }

    /** Runs {@code work} on the decode thread and waits for it. */
    private <T> T onDecodeThread(Callable<T> work) throws IOException {
        Future<T> f = decode.submit(work);
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the decoder");
        } catch (ExecutionException e) {
            throw Futures.unwrap(e, IOException::new);
        }
    }

    @Override
    public int[] frame(Clip clip, int k) throws IOException {
        VideoFrame f = onDecodeThread(() -> {
            MediaSource s = source(clip);
            if (s.frames().count() == 0) {
                return null;
            }
            long t = Math.round((clip.mediaStart() + clip.keyframeTimes().get(k)) * 1e6);
            try {
                return s.frame(s.frames().indexAt(t));
            } catch (MediaException e) {
                throw new IOException("cannot decode frame " + k + " of clip '" + clip.id() + "': "
                        + e.getMessage(), e);
            }
        });
        if (f == null) {
            return null;
        }
        // the source caches its frames: copy before masking off alpha
        int[] px = f.argb().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return ImageFiles.resizeNearest(px, f.width(), f.height(), clip.width(), clip.height());
    }

    @Override
    public Audio audio(Clip clip) throws IOException {
        return onDecodeThread(() -> {
            MediaSource s = source(clip);
            AudioTrack a = s.audio();
            if (a == null) {
                return null;
            }
            try {
                MediaOpener.awaitAudio(s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while decoding audio");
            }
            long start = Math.round(clip.mediaStart() * a.sampleRate());
            int len = (int) Math.round(clip.duration() * a.sampleRate());
            float[] out = new float[len];
            a.read(PcmSource.MONO_MIX, start, out, 0, len);
            return new Audio(out, a.sampleRate());
        });
    }

    /** Closes every source on the decode thread, then ends that thread. */
    @Override
    public void close() {
        try {
            onDecodeThread(() -> {
                for (MediaSource s : open.values()) {
                    s.close();
                }
                open.clear();
                return null;
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing the export media failed", e);
        } finally {
            decode.shutdown();
            boolean interrupted = false;
            while (true) {
                try {
                    if (decode.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
