package ovavss.studio.media;

import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.avutil.setLogCallback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.avutil.LogCallback;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;

/** Small FFmpeg helpers shared by the decoders: checked opening, error text, time conversion. */
final class FfmpegSupport {
    /**
     * Largest frame side we agree to decode (8K is 7680; a 16384-wide file exhausted the heap
     * through the frame cache before it was refused).
     */
    static final int MAX_SIDE = 8192;
    /** Largest frame area: 8K UHD with room (8192 x 4352 = 35.7 M pixels, 143 MB as ARGB). */
    static final long MAX_PIXELS = 8192L * 4352;

    private static volatile boolean logLevelSet;

    private FfmpegSupport() { }

    /**
     * FFmpeg writes its log to stderr by default, where its lines came before our one-line message;
     * they go to the log file instead (logger {@code ffmpeg}, which the console does not show).
     */
    static void quietLogs() {
        if (!logLevelSet) {
            synchronized (FfmpegSupport.class) {
                if (!logLevelSet) {
                    av_log_set_level(AV_LOG_WARNING);
                    setLogCallback(ToLogFile.INSTANCE);
                    logLevelSet = true;
                }
            }
        }
    }

    /** Hands FFmpeg's log lines to SLF4J; held in a static field so the native side never calls a collected object. */
    private static final class ToLogFile extends LogCallback {
        static final ToLogFile INSTANCE = new ToLogFile();
        private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("ffmpeg");

        @Override
        public void call(int level, BytePointer msg) {
            String line = msg == null ? "" : msg.getString().strip();
            if (line.isEmpty()) {
                return;
            }
            if (level <= AV_LOG_ERROR) {
                LOG.error(line);
            } else if (level <= AV_LOG_WARNING) {
                LOG.warn(line);
            } else {
                LOG.debug(line);
            }
        }
    }

    static String error(int code) {
        byte[] buf = new byte[256];
        av_strerror(code, buf, buf.length);
        int n = 0;
        while (n < buf.length && buf[n] != 0) {
            n++;
        }
        return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Checks existence, type, readability and size before FFmpeg sees the path. */
    static void checkFile(Path path) throws MediaException {
        if (!Files.exists(path)) {
            throw new MediaException(path + " does not exist.");
        }
        if (!Files.isRegularFile(path)) {
            throw new MediaException(path + " is not a media file.");
        }
        if (!Files.isReadable(path)) {
            throw new MediaException(path + " cannot be read (permission denied).");
        }
        try {
            if (Files.size(path) == 0) {
                throw new MediaException(path.getFileName() + " is empty (0 bytes).");
            }
        } catch (IOException e) {
            throw new MediaException(path + " cannot be read: " + e.getMessage(), e);
        }
    }

    static void checkResolution(String what, int width, int height) throws MediaException {
        if (width <= 0 || height <= 0) {
            throw new MediaException(what + " has no valid frame size (" + width + "×" + height + ").");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
            throw new MediaException(what + " has an unsupported resolution " + width + "×" + height
                    + " (limit " + MAX_SIDE + " px per side and " + MAX_PIXELS + " pixels).");
        }
    }

    /** Opens and probes a file; the caller owns the returned context. */
    static AVFormatContext openInput(Path path) throws MediaException {
        quietLogs();
        checkFile(path);
        AVFormatContext fmt = new AVFormatContext(null);
        int r = avformat_open_input(fmt, path.toString(), null, (AVDictionary) null);
        if (r < 0) {
            throw new MediaException(path.getFileName() + " cannot be opened: it is not a media file FFmpeg can read, or it is corrupt or truncated ("
                    + error(r) + ").");
        }
        r = avformat_find_stream_info(fmt, (PointerPointer<?>) null);
        if (r < 0) {
            avformat_close_input(fmt);
            throw new MediaException(path.getFileName() + " is corrupt or truncated: its streams cannot be read ("
                    + error(r) + ").");
        }
        return fmt;
    }

    /** {@code ts} in {@code tb} units → microseconds, rounding to nearest, overflow-safe for media times. */
    static long toMicros(long ts, AVRational tb) {
        return Math.round(ts * 1_000_000.0 * tb.num() / tb.den());
    }

    static long fromMicros(long micros, AVRational tb) {
        return (long) Math.floor(micros / 1_000_000.0 * tb.den() / tb.num());
    }
}
