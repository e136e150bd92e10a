package ovavss.studio.media;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_copy;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;

import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;

/**
 * Repeats an encoded clip N times by copying its packets with shifted timestamps (no
 * re-encoding), so an hour-long 1080p test file costs seconds instead of an hour of encoding.
 * Each stream is shifted by its own span (first PTS to last PTS + duration), so packets stay
 * strictly monotonic even when AAC padding makes the audio a little longer than the video.
 */
final class ClipLooper {
    private ClipLooper() { }

    /**
     * @param audioShiftMicros added to every audio timestamp (positive: audio starts after the
     *                         video; used to test start-offset handling)
     */
    static void loop(Path segment, int times, Path out, String format, long audioShiftMicros) throws MediaException {
        AVFormatContext in = FfmpegSupport.openInput(segment);
        AVFormatContext o = new AVFormatContext(null);
        AVPacket pkt = av_packet_alloc();
        boolean headerWritten = false;
        try {
            int r = avformat_alloc_output_context2(o, null, format, out.toString());
            if (r < 0 || o.isNull()) {
                throw new MediaException("cannot create " + format + " output " + out + " (" + FfmpegSupport.error(r) + ").");
            }
            int n = in.nb_streams();
            long[] first = new long[n];
            long[] end = new long[n];
            java.util.Arrays.fill(first, Long.MAX_VALUE);
            java.util.Arrays.fill(end, Long.MIN_VALUE);
            // Pass 1: each stream's span in its own time base.
            while (av_read_frame(in, pkt) >= 0) {
                int s = pkt.stream_index();
                long t = pkt.pts() != AV_NOPTS_VALUE ? pkt.pts() : pkt.dts();
                if (t != AV_NOPTS_VALUE) {
                    first[s] = Math.min(first[s], Math.min(t, pkt.dts() != AV_NOPTS_VALUE ? pkt.dts() : t));
                    end[s] = Math.max(end[s], t + Math.max(0, pkt.duration()));
                }
                av_packet_unref(pkt);
            }
            for (int i = 0; i < n; i++) {
                AVStream os = avformat_new_stream(o, null);
                avcodec_parameters_copy(os.codecpar(), in.streams(i).codecpar());
                os.codecpar().codec_tag(0);
                os.time_base(in.streams(i).time_base());
            }
            AVIOContext pb = new AVIOContext(null);
            r = avio_open(pb, out.toString(), AVIO_FLAG_WRITE);
            if (r < 0) {
                throw new MediaException("cannot write " + out + " (" + FfmpegSupport.error(r) + ").");
            }
            o.pb(pb);
            r = avformat_write_header(o, (AVDictionary) null);
            if (r < 0) {
                throw new MediaException("cannot write the header of " + out + " (" + FfmpegSupport.error(r) + ").");
            }
            headerWritten = true;
            for (int k = 0; k < times; k++) {
                r = avformat_seek_file(in, -1, Long.MIN_VALUE, Long.MIN_VALUE, Long.MIN_VALUE, 0);
                if (r < 0) {
                    throw new MediaException("cannot rewind " + segment + " (" + FfmpegSupport.error(r) + ").");
                }
                while (av_read_frame(in, pkt) >= 0) {
                    int s = pkt.stream_index();
                    long shift = (long) k * (end[s] - first[s]);
                    if (in.streams(s).codecpar().codec_type() == AVMEDIA_TYPE_AUDIO) {
                        shift += FfmpegSupport.fromMicros(audioShiftMicros, in.streams(s).time_base());
                    }
                    if (pkt.pts() != AV_NOPTS_VALUE) {
                        pkt.pts(pkt.pts() + shift);
                    }
                    if (pkt.dts() != AV_NOPTS_VALUE) {
                        pkt.dts(pkt.dts() + shift);
                    }
                    AVRational itb = in.streams(s).time_base();
                    av_packet_rescale_ts(pkt, itb, o.streams(s).time_base());
                    pkt.pos(-1);
                    r = av_interleaved_write_frame(o, pkt);   // takes ownership of the payload
                    if (r < 0) {
                        throw new MediaException("writing " + out + " failed (" + FfmpegSupport.error(r) + ").");
                    }
                }
            }
            r = av_write_trailer(o);
            if (r < 0) {
                throw new MediaException("cannot finish " + out + " (" + FfmpegSupport.error(r) + ").");
            }
        } finally {
            av_packet_free(pkt);
            if (!o.isNull()) {
                if (o.pb() != null && !o.pb().isNull()) {
                    avio_closep(o.pb());
                }
                avformat_free_context(o);
            }
            avformat_close_input(in);
        }
        if (!headerWritten) {
            throw new MediaException("no output written to " + out);
        }
    }
}
