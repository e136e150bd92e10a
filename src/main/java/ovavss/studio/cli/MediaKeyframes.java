package ovavss.studio.cli;

import java.nio.file.Path;
import ovavss.studio.audio.PcmSource;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.VideoFrame;
import ovavss.studio.model.KeyframeSource;

/**
 * Keyframes of a media file or AVSBench clip folder for the inference service. An AVSBench
 * folder's frames are its keyframes (frame k ↔ audio example k). For a video, keyframe k is the
 * frame on screen at k seconds (AVSBench samples one frame per second), for every whole second.
 */
final class MediaKeyframes implements KeyframeSource {
    private final MediaSource src;
    private final int count;

    private MediaKeyframes(MediaSource src) throws MediaException {
        this.src = src;
        if (!src.info().hasVideo() || src.frames().count() == 0) {
            src.close();
            throw new MediaException(src.info().path() + " has no video frames to analyse.");
        }
        if (src.info().avsbenchClip()) {
            count = src.frames().count();
        } else {
            count = (int) Math.max(1, src.info().durationMicros() / 1_000_000L);
        }
    }

    static MediaKeyframes open(Path path) throws MediaException {
        return new MediaKeyframes(MediaOpener.open(path));
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
        int index = src.info().avsbenchClip() ? k : src.frames().indexAt(k * 1_000_000L);
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
            throw new java.util.concurrent.CancellationException("interrupted while decoding audio");
        }
        return src.audio();
    }

    @Override
    public void close() {
        src.close();
    }
}
