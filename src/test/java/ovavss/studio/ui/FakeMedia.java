package ovavss.studio.ui;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import ovavss.studio.audio.PcmBuffer;
import ovavss.studio.media.AudioTrack;
import ovavss.studio.media.FrameIndex;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;

/** An in-memory media source with an arbitrary (e.g. VFR) PTS table and a sine track. */
final class FakeMedia implements MediaSource {
    final long[] pts;
    final AtomicInteger decodes = new AtomicInteger();
    volatile Thread owner;
    private final MediaInfo info;
    private final AudioTrack audio;

    FakeMedia(long[] pts, long durationMicros) {
        this.pts = pts;
        int rate = 8000;
        float[] pcm = new float[(int) (durationMicros * rate / 1_000_000)];
        for (int i = 0; i < pcm.length; i++) {
            pcm[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / rate));
        }
        PcmBuffer buf = new PcmBuffer(rate, pcm);
        this.audio = new AudioTrack() {
            @Override
            public int sampleRate() {
                return buf.sampleRate();
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public long length() {
                return buf.length();
            }

            @Override
            public void read(int channel, long start, float[] dst, int off, int len) {
                buf.read(channel, start, dst, off, len);
            }
        };
        this.info = new MediaInfo("fake.mp4", "fake", false, true, 16, 8, "raw",
                pts.length * 1e6 / durationMicros, pts.length, true, true, rate, 1, "pcm", durationMicros);
    }

    /** An opener that hands out {@code media}, recording the decode thread. */
    static ovavss.studio.app.playback.MediaSession.Opener opener(FakeMedia media) {
        return p -> {
            if (p.toString().contains("broken")) {
                throw new MediaException(p.getFileName() + " is not a media file (test).");
            }
            media.owner = Thread.currentThread();
            return media;
        };
    }

    static Path path() {
        return Path.of("fake.mp4");
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public FrameIndex frames() {
        return new FrameIndex() {
            @Override
            public int count() {
                return pts.length;
            }

            @Override
            public long timeMicros(int index) {
                return pts[index];
            }

            @Override
            public int indexAt(long t) {
                int i = Arrays.binarySearch(pts, t);
                int idx = i >= 0 ? i : -i - 2;
                return Math.max(0, Math.min(pts.length - 1, idx));
            }
        };
    }

    @Override
    public VideoFrame frame(int index) throws MediaException {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("decoded off the owning thread");
        }
        decodes.incrementAndGet();
        int[] argb = new int[16 * 8];
        Arrays.fill(argb, 0xFF000000 | index * 2654435 & 0xFFFFFF);
        return new VideoFrame(index, pts[index], 16, 8, argb);
    }

    /** Previews answered: the "keyframe" of every third frame (what a long-GOP file gives at first). */
    final AtomicInteger previews = new AtomicInteger();

    @Override
    public VideoFrame nearestPicture(int index) throws MediaException {
        previews.incrementAndGet();
        return frame(index - index % 3);
    }

    @Override
    public AudioTrack audio() {
        return audio;
    }

    @Override
    public void close() {
    }
}
