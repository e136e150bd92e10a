package ovavss.studio.media;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way into the media layer: opens a media file (anything FFmpeg decodes) or an
 * AVSBench clip folder as a {@link MediaSource}. Call on the thread that will own the source.
 *
 * <p>Failures are {@link MediaException}s whose message can be shown to the user as is:
 * missing/empty/garbage/corrupt files, audio-only files, absurd resolutions (more than
 * {@value FfmpegSupport#MAX_SIDE} px a side or {@value FfmpegSupport#MAX_PIXELS} pixels), AVSBench folders with gaps in
 * their frame numbers.</p>
 */
public final class MediaOpener {
    private MediaOpener() { }

    /**
     * Opens a video file or AVSBench clip folder; a video without an audio stream opens with
     * {@link MediaSource#audio()} {@code null} (see {@link #noticeFor(MediaInfo)}). Audio is decoded
     * in a background thread and fills {@link AudioTrack#available()} progressively.
     *
     * @throws MediaException when the input cannot be used (message for the user)
     */
    public static MediaSource open(Path path) throws MediaException {
        return open(path, false);
    }

    /**
     * Like {@link #open(Path)} but an audio-visual clip is required: a video without audio (or
     * an AVSBench folder without {@code audio.wav}) is refused with a clear message.
     */
    public static MediaSource openAudioVisual(Path path) throws MediaException {
        return open(path, true);
    }

    private static MediaSource open(Path path, boolean requireAudio) throws MediaException {
        if (path == null) {
            throw new MediaException("No media path given.");
        }
        if (Files.isDirectory(path)) {
            if (!AvsbenchClipSource.looksLikeClip(path)) {
                throw new MediaException(path + " is a folder but not an AVSBench clip folder (no frames/ inside).");
            }
            return AvsbenchClipSource.open(path, true, requireAudio);
        }
        MediaSource src = FfmpegMediaSource.open(path, true, true);
        if (requireAudio && !src.info().hasAudio()) {
            src.close();
            throw new MediaException(path.getFileName() + " has no audio stream; an audio-visual clip needs one.");
        }
        return src;
    }

    /**
     * Probes {@code path} without decoding pictures or audio: stream facts plus the exact frame
     * count from the PTS table. Unlike {@link #open(Path)}, audio-only files are accepted.
     */
    public static MediaInfo probe(Path path) throws MediaException {
        if (path != null && Files.isDirectory(path)) {
            if (!AvsbenchClipSource.looksLikeClip(path)) {
                throw new MediaException(path + " is a folder but not an AVSBench clip folder (no frames/ inside).");
            }
            try (MediaSource s = AvsbenchClipSource.open(path, false, false)) {
                return s.info();
            }
        }
        if (path == null) {
            throw new MediaException("No media path given.");
        }
        try (MediaSource s = FfmpegMediaSource.open(path, false, false)) {
            return s.info();
        }
    }

    /**
     * A user-facing notice for media that opened but lack something (e.g. no audio), or
     * {@code null} when nothing is missing.
     */
    public static String noticeFor(MediaInfo info) {
        if (info.hasVideo() && !info.hasAudio()) {
            return "This video has no audio stream: the waveform and spectrogram stay empty.";
        }
        if (!info.hasVideo()) {
            return "This file has no video stream.";
        }
        return null;
    }

    /**
     * Blocks until the background audio decoding of {@code source} (opened here) has finished;
     * returns at once when there is no audio. For tests and command-line tools, never the UI.
     */
    public static void awaitAudio(MediaSource source) throws InterruptedException {
        if (source instanceof FfmpegMediaSource f) {
            f.awaitAudio();
        } else if (source instanceof AvsbenchClipSource c) {
            c.awaitAudio();
        }
    }
}
