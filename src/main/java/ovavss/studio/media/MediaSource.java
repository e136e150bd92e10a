package ovavss.studio.media;

/**
 * An opened media file or AVSBench clip folder. Not thread-safe: create, use and close it on one
 * decode thread (it owns native FFmpeg handles).
 */
public interface MediaSource extends AutoCloseable {
    MediaInfo info();

    /** PTS table of the video frames (empty when there is no video). */
    FrameIndex frames();

    /** Decodes exactly frame {@code index} (seeking as needed). */
    VideoFrame frame(int index) throws MediaException;

    /**
     * A picture for scrubbing, fast: frame {@code index} when it is at hand, else the nearest
     * picture at hand before it, else its keyframe decoded alone. The returned frame's index says
     * which frame it is (it may differ from {@code index}: the picture is then approximate).
     */
    default VideoFrame nearestPicture(int index) throws MediaException {
        return frame(index);
    }

    /** The audio stream, or {@code null} when there is none. */
    AudioTrack audio();

    @Override
    void close();
}
