package ovavss.studio.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_DBL;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_FLT;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S16;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S32;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_S64;
import static org.bytedeco.ffmpeg.global.avutil.AV_SAMPLE_FMT_U8;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_get_bytes_per_sample;
import static org.bytedeco.ffmpeg.global.avutil.av_get_packed_sample_fmt;
import static org.bytedeco.ffmpeg.global.avutil.av_sample_fmt_is_planar;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes one audio stream into a {@link Pcm16Track} on its own thread, with its own demuxer
 * (FFmpeg contexts are not shared across threads), so the video decode thread never waits for
 * audio and a long file's waveform fills in progressively.
 */
final class AudioDecoder implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(AudioDecoder.class);

    private final Path path;
    private final int streamIndex;
    private final long originMicros;
    private final Pcm16Track track;
    private volatile boolean cancelled;
    private Thread thread;

    /**
     * @param originMicros media time 0 (the first video frame's PTS) in the file's timeline;
     *                     audio before it is dropped, a gap after it is left silent
     */
    AudioDecoder(Path path, int streamIndex, long originMicros, Pcm16Track track) {
        this.path = path;
        this.streamIndex = streamIndex;
        this.originMicros = originMicros;
        this.track = track;
    }

    void start() {
        thread = new Thread(this, "audio-decode-" + path.getFileName());
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler((t, e) -> {
            LOG.error("audio decoding of {} failed", path, e);
            track.finish("audio decoding failed: " + e);
        });
        thread.start();
    }

    /** Asks the thread to stop and waits briefly; the thread frees its own native handles. */
    void cancel() {
        cancelled = true;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Blocks until decoding has finished (tests, CLI). */
    void await() throws InterruptedException {
        Thread t = thread;
        if (t != null) {
            t.join();
        }
    }

    @Override
    public void run() {
        AVFormatContext fmt = null;
        AVCodecContext ctx = null;
        AVPacket pkt = null;
        AVFrame frame = null;
        String failure = null;
        try {
            fmt = FfmpegSupport.openInput(path);
            for (int i = 0; i < fmt.nb_streams(); i++) {
                fmt.streams(i).discard(i == streamIndex ? AVDISCARD_DEFAULT : AVDISCARD_ALL);
            }
            AVStream st = fmt.streams(streamIndex);
            AVRational tb = st.time_base();
            AVCodec codec = avcodec_find_decoder(st.codecpar().codec_id());
            ctx = avcodec_alloc_context3(codec);
            avcodec_parameters_to_context(ctx, st.codecpar());
            if (avcodec_open2(ctx, codec, (PointerPointer<?>) null) < 0) {
                throw new MediaException("the audio decoder cannot be opened");
            }
            pkt = av_packet_alloc();
            frame = av_frame_alloc();
            long next = Long.MIN_VALUE;   // output position of the next decoded sample
            short[] buf = new short[0];
            boolean eof = false;
            int damaged = 0;
            while (!cancelled) {
                int r = avcodec_receive_frame(ctx, frame);
                if (r >= 0) {
                    long pts = frame.best_effort_timestamp();
                    if (pts != AV_NOPTS_VALUE) {
                        long t = FfmpegSupport.toMicros(pts, tb);
                        long at = Math.round((t - originMicros) * (double) track.sampleRate() / 1e6);
                        // Normally frames follow each other exactly; follow the timestamps only
                        // after a real gap (damaged packets skipped), so rounding never adds clicks.
                        if (next == Long.MIN_VALUE || Math.abs(at - next) > track.sampleRate() / 50) {
                            next = at;
                        }
                    } else if (next == Long.MIN_VALUE) {
                        next = 0;
                    }
                    int n = frame.nb_samples();
                    int ch = track.channels();
                    if (buf.length < n * ch) {
                        buf = new short[n * ch];
                    }
                    convert(frame, n, ch, buf);
                    // Audio before media time 0 is dropped (stream starts earlier than the video).
                    int skip = next < 0 ? (int) Math.min(n, -next) : 0;
                    if (skip < n) {
                        if (skip > 0) {
                            System.arraycopy(buf, skip * ch, buf, 0, (n - skip) * ch);
                        }
                        track.write(next + skip, buf, n - skip);
                    }
                    next += n;
                    continue;
                }
                if (r == AVERROR_EOF || eof && r != AVERROR_EAGAIN()) {
                    break;
                }
                int rr = av_read_frame(fmt, pkt);
                if (rr < 0) {
                    eof = true;
                    avcodec_send_packet(ctx, null);   // drain
                    continue;
                }
                if (pkt.stream_index() == streamIndex) {
                    int s = avcodec_send_packet(ctx, pkt);
                    if (s < 0 && s != AVERROR_EAGAIN() && damaged++ == 0) {
                        LOG.warn("{}: skipping damaged audio packets ({})", path.getFileName(), FfmpegSupport.error(s));
                    }
                }
                av_packet_unref(pkt);
            }
            if (damaged > 1) {
                LOG.warn("{}: {} damaged audio packets skipped in all", path.getFileName(), damaged);
            }
        } catch (MediaException e) {
            failure = e.getMessage();
            LOG.warn("audio of {}: {}", path, failure);
        } finally {
            if (frame != null) {
                av_frame_free(frame);
            }
            if (pkt != null) {
                av_packet_free(pkt);
            }
            if (ctx != null) {
                avcodec_free_context(ctx);
            }
            if (fmt != null) {
                avformat_close_input(fmt);
            }
            track.finish(cancelled ? "cancelled" : failure);
        }
    }

    /**
     * Any FFmpeg sample format, planar or packed, to interleaved 16-bit. A mono store of a
     * multi-channel stream (see the store budget in {@link FfmpegMediaSource}) gets the average.
     */
    private static void convert(AVFrame frame, int n, int ch, short[] out) {
        int f = frame.format();
        int bps = av_get_bytes_per_sample(f);
        boolean planar = av_sample_fmt_is_planar(f) != 0;
        int packed = av_get_packed_sample_fmt(f);
        int frameCh = Math.max(1, frame.ch_layout().nb_channels());
        // AVFrame.data holds 8 planes; channels beyond that (planar only) are left out.
        int usable = planar ? Math.min(frameCh, 8) : frameCh;
        ByteBuffer[] bufs = new ByteBuffer[planar ? usable : 1];
        for (int p = 0; p < bufs.length; p++) {
            long bytes = (long) n * bps * (planar ? 1 : frameCh);
            bufs[p] = frame.data(p).capacity(bytes).asByteBuffer().order(ByteOrder.nativeOrder());
        }
        boolean mix = ch == 1 && usable > 1;
        for (int i = 0; i < n; i++) {
            if (mix) {
                double sum = 0;
                for (int c = 0; c < usable; c++) {
                    sum += sample(bufs, planar, frameCh, packed, bps, c, i);
                }
                out[i] = toShort(sum / usable);
            } else {
                for (int c = 0; c < ch; c++) {
                    out[i * ch + c] = toShort(sample(bufs, planar, frameCh, packed, bps, Math.min(c, usable - 1), i));
                }
            }
        }
    }

    private static double sample(ByteBuffer[] bufs, boolean planar, int frameCh, int packed, int bps, int c, int i) {
        ByteBuffer bb = planar ? bufs[c] : bufs[0];
        int at = (planar ? i : i * frameCh + c) * bps;
        if (packed == AV_SAMPLE_FMT_FLT) {
            return bb.getFloat(at);
        } else if (packed == AV_SAMPLE_FMT_S16) {
            return bb.getShort(at) / 32768.0;
        } else if (packed == AV_SAMPLE_FMT_S32) {
            return bb.getInt(at) / 2147483648.0;
        } else if (packed == AV_SAMPLE_FMT_DBL) {
            return bb.getDouble(at);
        } else if (packed == AV_SAMPLE_FMT_U8) {
            return ((bb.get(at) & 0xFF) - 128) / 128.0;
        } else if (packed == AV_SAMPLE_FMT_S64) {
            return bb.getLong(at) / 9.223372036854776E18;
        }
        return 0;
    }

    private static short toShort(double v) {
        return (short) Math.max(-32768, Math.min(32767, Math.round(v * 32768)));
    }
}
