package ovavss.studio.media;

/**
 * What a media source holds, as probed when it was opened.
 *
 * @param path file or AVSBench clip folder
 * @param container FFmpeg container name (e.g. "mov,mp4,m4a,3gp,3g2,mj2"), or "avsbench-clip"
 * @param avsbenchClip true for an AVSBench clip folder ({@code frames/0.jpg…}, {@code audio.wav})
 * @param hasVideo whether a video stream exists
 * @param width frame width in pixels (0 without video)
 * @param height frame height in pixels (0 without video)
 * @param videoCodec codec name, or "" without video
 * @param averageFps frames / duration from the decoded PTS table (informational; never used for indexing)
 * @param frameCount number of video frames (from the PTS table)
 * @param variableFrameRate true when frame intervals differ
 * @param hasAudio whether an audio stream exists
 * @param sampleRate audio sample rate in Hz (0 without audio)
 * @param channels audio channels (0 without audio)
 * @param audioCodec codec name, or "" without audio
 * @param durationMicros duration of the longest stream in microseconds
 */
public record MediaInfo(String path, String container, boolean avsbenchClip,
                        boolean hasVideo, int width, int height, String videoCodec,
                        double averageFps, int frameCount, boolean variableFrameRate,
                        boolean hasAudio, int sampleRate, int channels, String audioCodec,
                        long durationMicros) {
}
