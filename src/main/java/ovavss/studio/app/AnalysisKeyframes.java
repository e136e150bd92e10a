package ovavss.studio.app;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import ovavss.studio.annotation.KeyframeTimes;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;
import ovavss.studio.model.KeyframeSource;

/**
 * Keyframes of a media file or AVSBench clip folder for the inference service, optionally
 * restricted to a range of keyframes. Keyframe k of a video is the frame on screen at its time on
 * the default grid ({@link KeyframeTimes#onePerSecond}: k seconds, as AVSBench samples one frame
 * per second; a video shorter than a second still gets keyframe 0); an AVSBench folder's frames
 * are its keyframes. A range starting at keyframe k0 shifts the audio to k0's time so that
 * example 0 of the range pairs with its keyframe 0, as in a clip cut at k0.
 */
public final class AnalysisKeyframes implements KeyframeSource {
    private final MediaSource src;
    private final KeyframeTimes grid;
    private final int first;
    private final int count;

    private AnalysisKeyframes(MediaSource src, int first, int count) {
        this.src = src;
        this.grid = grid(src);
        this.first = first;
        this.count = count;
    }

    /** Keyframes in the whole media. */
    public static int keyframesIn(MediaSource src) {
        return grid(src).count();
    }

    /**
     * The keyframe times: one per frame of an AVSBench folder, else the default grid over the
     * video, a sub-second one counted as one second (so it has keyframe 0).
     */
    private static KeyframeTimes grid(MediaSource src) {
        return KeyframeTimes.onePerSecond(src.info().avsbenchClip() ? src.frames().count()
                : Math.max(1, src.info().durationMicros() / 1e6));
    }

    /**
     * Opens keyframes {@code [first, first + count)} of {@code path}; {@code count < 0} means "to the
     * end". The range is clipped to the media.
     *
     * @throws MediaException when the media has no video or the range is empty
     */
    public static AnalysisKeyframes open(Path path, int first, int count) throws MediaException {
        return open(path, first, count, false);
    }

    /**
     * Like {@link #open(Path, int, int)}; with {@code requireAudio} a clip without an audio stream
     * is refused (the analysis would hear silence) instead of analysed.
     */
    public static AnalysisKeyframes open(Path path, int first, int count, boolean requireAudio) throws MediaException {
        MediaSource src = requireAudio ? MediaOpener.openAudioVisual(path) : MediaOpener.open(path);
        try {
            if (!src.info().hasVideo() || src.frames().count() == 0) {
                throw new MediaException(src.info().path() + " has no video frames to analyse.");
            }
            int total = keyframesIn(src);
            int f = Math.max(0, first);
            int n = count < 0 ? total - f : Math.min(count, total - f);
            if (n <= 0) {
                throw new MediaException("the selected range holds no whole keyframe (keyframes are one per second)");
            }
            return new AnalysisKeyframes(src, f, n);
        } catch (MediaException | RuntimeException e) {
            src.close();
            throw e;
        }
    }

    /** Global index of this source's keyframe 0. */
    public int firstKeyframe() {
        return first;
    }

    @Override
    public int keyframeCount() {
        return count;
    }

    @Override
    public int width() {
        return src.info().width();
    }

    @Override
    public int height() {
        return src.info().height();
    }

    @Override
    public int[] keyframe(int k) throws Exception {
        int g = first + k;
        int index = src.info().avsbenchClip() ? g : src.frames().indexAt(Math.round(grid.time(g) * 1e6));
        VideoFrame f = src.frame(index);
        if (f.width() != width() || f.height() != height()) {
            throw new MediaException("frame " + index + " is " + f.width() + "x" + f.height() + ", expected "
                    + width() + "x" + height() + " (all frames of a clip must share one size)");
        }
        return f.argb();
    }

    @Override
    public PcmSource audio() {
        try {
            MediaOpener.awaitAudio(src);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while decoding audio");
        }
        PcmSource a = src.audio();
        if (a == null || first == 0) {
            return a;
        }
        return new Shifted(a, Math.round(grid.time(first) * a.sampleRate()));
    }

    @Override
    public void close() {
        src.close();
    }

    /** The audio from a sample offset on, so a range starts its examples at its first keyframe. */
    private record Shifted(PcmSource base, long offset) implements PcmSource {
        @Override
        public int sampleRate() {
            return base.sampleRate();
        }

        @Override
        public int channels() {
            return base.channels();
        }

        @Override
        public long length() {
            return Math.max(0, base.length() - offset);
        }

        @Override
        public long available() {
            return Math.max(0, base.available() - offset);
        }

        @Override
        public void read(int channel, long start, float[] dst, int off, int len) {
            base.read(channel, start + offset, dst, off, len);
        }
    }
}
