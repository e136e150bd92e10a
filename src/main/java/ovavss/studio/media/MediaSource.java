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

    /** The audio stream, or {@code null} when there is none. */
    AudioTrack audio();

    @Override
    void close();
}
