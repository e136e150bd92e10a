package ovavss.studio.media;

import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_ALL;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_DEFAULT;
import static org.bytedeco.ffmpeg.global.avcodec.AVDISCARD_NONREF;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_DISCARD;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_flush_buffers;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_seek_file;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGRA;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_clone;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media file decoded with FFmpeg's own API (through JavaCV's presets).
 *
 * <p>Opening reads every video packet header once (no decoding) to build the exact PTS table
 * and the keyframe list; this is I/O bound (the demuxer still reads packet payloads) and is the
 * price of exact VFR stepping. Frame {@code N} is then found by seeking to the last keyframe at
 * or before it and decoding forward until the decoded PTS equals frame N's PTS; moving forward a
 * few frames just keeps decoding. Frame identity always comes from the decoded PTS.</p>
 *
 * <p>Assumes one coded packet per frame, which holds for mp4/mov/mkv/webm with H.264, H.265,
 * VP9, AV1, MPEG-4 (packed B-frames in old AVI files would break it).</p>
 */
final class FfmpegMediaSource implements MediaSource {
    private static final Logger LOG = LoggerFactory.getLogger(FfmpegMediaSource.class);
    /** Decode forward instead of seeking when the target is at most this many frames ahead. */
    private static final int FORWARD_DECODE_LIMIT = 12;
    /** Decoded-frame cache budget: 12 frames at 1080p, up to 64 small ones. */
    private static final long CACHE_BYTES = 96L << 20;
    /** Budget of the decoded-picture references kept for stepping back (YUV 4:2:0: 60 at 1080p). */
    private static final long GOP_CACHE_BYTES = 192L << 20;
    private static final int MAX_GOP_FRAMES = 120;
    /** Largest 16-bit audio store kept with all channels (768 MiB, about 1 h 15 min of 44.1 kHz stereo). */
    private static final long AUDIO_STORE_BUDGET = 768L << 20;

    private final Path path;
    private final MediaInfo info;
    private final PtsTable table;
    private final long[] rawPts;        // stream time base, presentation order
    private final long[] keySeekTs;     // per frame: seek target if keyframe, else Long.MIN_VALUE
    private final long minRawInterval;   // smallest PTS step, stream time base
    private final Pcm16Track audio;
    private final AudioDecoder audioDecoder;

    private AVFormatContext fmt;
    private AVCodecContext dec;
    private AVPacket pkt;
    private AVFrame frame;
    private SwsContext sws;
    private BytePointer bgra;
    private PointerPointer<BytePointer> dstData;
    private IntPointer dstLinesize;
    private int bufW;
    private int bufH;
    private final int videoStream;

    /** Index of the last frame the decoder produced since the last seek, or -1. */
    private int lastDecoded = -1;
    private int lastRequested = -1;
    /** Pictures the decoder produced since opening (tests: a seek must not decode a GOP too many). */
    private long decodedFrames;
    /** The keyframe a seek by PTS was for, until its first packet is checked; -1 otherwise. */
    private int landingKey = -1;
    /** How many frames before the target decodeUntil keeps converted (backward stepping). */
    private int keepBefore;
    private final int cacheFrames;
    private boolean drained;
    /** Damaged video packets met while decoding (decode thread only); the first is logged as a warning. */
    private long damagedPackets;
    /**
     * Decoded pictures around the playhead kept as references to the decoder's own buffers (no
     * copy, no colour conversion; YUV 4:2:0 is 3 MB at 1080p against 8 MB as ARGB): what stepping
     * back reads from, converted only when shown. Filled when a backward step decodes a GOP.
     */
    private final Map<Integer, AVFrame> gop = new LinkedHashMap<>(64, 0.75f, true);
    private final int gopFrames;
    /** Keyframe pictures decoded for scrubbing (a handful: each is a full frame). */
    private final Map<Integer, VideoFrame> keyPictures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, VideoFrame> e) {
            return size() > Math.max(4, cacheFrames / 2);
        }
    };
    private final Map<Integer, VideoFrame> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, VideoFrame> e) {
            return size() > cacheFrames;
        }
    };

    private FfmpegMediaSource(Path path, MediaInfo info, PtsTable table, long[] rawPts, long[] keySeekTs,
                              AVFormatContext fmt, AVCodecContext dec, int videoStream,
                              Pcm16Track audio, AudioDecoder audioDecoder) {
        this.path = path;
        this.info = info;
        this.table = table;
        this.rawPts = rawPts;
        this.keySeekTs = keySeekTs;
        long minStep = Long.MAX_VALUE;
        for (int i = 1; i < rawPts.length; i++) {
            minStep = Math.min(minStep, rawPts[i] - rawPts[i - 1]);
        }
        this.minRawInterval = rawPts.length > 1 ? minStep : 1;
        long frameBytes = Math.max(1, 4L * info.width() * info.height());
        this.cacheFrames = (int) Math.max(6, Math.min(64, CACHE_BYTES / frameBytes));
        this.gopFrames = (int) Math.max(8, Math.min(MAX_GOP_FRAMES, GOP_CACHE_BYTES / Math.max(1, frameBytes * 3 / 8)));
        this.fmt = fmt;
        this.dec = dec;
        this.videoStream = videoStream;
        this.audio = audio;
        this.audioDecoder = audioDecoder;
        this.pkt = av_packet_alloc();
        this.frame = av_frame_alloc();
    }

    /**
     * Opens {@code path}.
     *
     * @param decodeAudio start the background audio decoder (false: probe only)
     * @param requireVideo fail for files without a video stream
     */
    static MediaSource open(Path path, boolean decodeAudio, boolean requireVideo) throws MediaException {
        AVFormatContext fmt = FfmpegSupport.openInput(path);
        AVCodecContext dec = null;
        try {
            String name = path.getFileName().toString();
            String container = fmt.iformat().name().getString();
            int v = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, (PointerPointer<?>) null, 0);
            int a = av_find_best_stream(fmt, AVMEDIA_TYPE_AUDIO, -1, -1, (PointerPointer<?>) null, 0);
            if (v < 0 && a < 0) {
                throw new MediaException(name + " has neither a video nor an audio stream.");
            }
            if (v < 0 && requireVideo) {
                throw new MediaException(name + " has no video stream (audio-only files cannot be opened as clips).");
            }
            // Attached cover pictures are not a video.
            if (v >= 0 && (fmt.streams(v).disposition() & org.bytedeco.ffmpeg.global.avformat.AV_DISPOSITION_ATTACHED_PIC) != 0) {
                if (requireVideo) {
                    throw new MediaException(name + " only holds a cover picture, no video stream.");
                }
                v = -1;
            }

            long[] raw = new long[0];
            long[] keySeek = new long[0];
            long originMicros = 0;
            int width = 0;
            int height = 0;
            String videoCodec = "";
            long videoEndMicros = 0;
            PtsTable table = PtsTable.EMPTY;
            if (v >= 0) {
                AVStream vs = fmt.streams(v);
                AVCodecParameters par = vs.codecpar();
                width = par.width();
                height = par.height();
                FfmpegSupport.checkResolution(name, width, height);
                videoCodec = avcodec_get_name(par.codec_id()).getString();
                AVCodec codec = avcodec_find_decoder(par.codec_id());
                if (codec == null || codec.isNull()) {
                    throw new MediaException(name + " uses the video codec '" + videoCodec
                            + "', which this FFmpeg build cannot decode.");
                }
                Scan scan = scanVideo(fmt, v, name);
                raw = scan.pts;
                keySeek = scan.keySeek;
                AVRational tb = vs.time_base();
                originMicros = FfmpegSupport.toMicros(raw[0], tb);
                long[] micros = new long[raw.length];
                for (int i = 0; i < raw.length; i++) {
                    micros[i] = FfmpegSupport.toMicros(raw[i], tb) - originMicros;
                }
                table = new PtsTable(micros);
                long lastDur = scan.lastDuration > 0 ? FfmpegSupport.toMicros(scan.lastDuration, tb)
                        : medianInterval(micros);
                videoEndMicros = micros[micros.length - 1] + lastDur;

                dec = avcodec_alloc_context3(codec);
                avcodec_parameters_to_context(dec, par);
                dec.thread_count(decodeThreads());
                int r = avcodec_open2(dec, codec, (PointerPointer<?>) null);
                if (r < 0) {
                    throw new MediaException(name + ": the " + videoCodec + " decoder cannot be opened ("
                            + FfmpegSupport.error(r) + ").");
                }
            }

            boolean hasAudio = a >= 0;
            int rate = 0;
            int channels = 0;
            String audioCodec = "";
            long audioEndMicros = 0;
            long expectedSamples = 0;
            if (hasAudio) {
                AVStream as = fmt.streams(a);
                AVCodecParameters par = as.codecpar();
                rate = par.sample_rate();
                channels = par.ch_layout().nb_channels();
                audioCodec = avcodec_get_name(par.codec_id()).getString();
                AVCodec acodec = avcodec_find_decoder(par.codec_id());
                if (acodec == null || acodec.isNull() || rate <= 0 || channels <= 0) {
                    LOG.warn("{}: audio stream '{}' cannot be decoded; opening without audio", name, audioCodec);
                    hasAudio = false;
                    rate = 0;
                    channels = 0;
                } else {
                    AVRational tb = as.time_base();
                    long start = as.start_time() != AV_NOPTS_VALUE ? FfmpegSupport.toMicros(as.start_time(), tb) : originMicros;
                    long dur = as.duration() != AV_NOPTS_VALUE && as.duration() > 0
                            ? FfmpegSupport.toMicros(as.duration(), tb)
                            : Math.max(0, fmt.duration() - (start - Math.max(0, fmt.start_time())));
                    audioEndMicros = Math.max(0, start - originMicros + dur);
                    expectedSamples = Math.round(audioEndMicros * (double) rate / 1e6);
                }
            }
            if (v < 0 && !hasAudio) {
                throw new MediaException(name + " has no stream that can be decoded.");
            }
            long duration = Math.max(videoEndMicros, audioEndMicros);
            double fps = table.count() > 0 && videoEndMicros > 0 ? table.count() * 1e6 / videoEndMicros : 0;
            // One time-base tick or 1 µs of jitter is rounding, not VFR.
            long tick = v >= 0 ? Math.max(1, FfmpegSupport.toMicros(1, fmt.streams(v).time_base())) : 1;
            MediaInfo info = new MediaInfo(path.toString(), container, false, v >= 0, width, height, videoCodec,
                    fps, table.count(), table.isVariable(tick + 1), hasAudio, rate, channels, audioCodec, duration);

            Pcm16Track track = null;
            AudioDecoder ad = null;
            if (hasAudio && decodeAudio) {
                // 16-bit PCM of a long multi-channel file can outgrow the heap (1 h of 5.1 at
                // 48 kHz is 2 GB): past the budget keep a mono mix instead of every channel.
                int stored = expectedSamples * channels * 2L > AUDIO_STORE_BUDGET ? 1 : channels;
                if (stored != channels) {
                    LOG.warn("{}: {} audio channels over {} s kept as a mono mix to bound memory",
                            name, channels, expectedSamples / Math.max(1, rate));
                }
                track = new Pcm16Track(rate, stored, expectedSamples);
                ad = new AudioDecoder(path, a, originMicros, track);
            }
            FfmpegMediaSource src = new FfmpegMediaSource(path, info, table, raw, keySeek,
                    v >= 0 ? fmt : null, dec, v, track, ad);
            if (v < 0) {
                avformat_close_input(fmt);
            }
            if (ad != null) {
                ad.start();
            }
            LOG.debug("opened {}: {}", path, info);
            return src;
        } catch (MediaException | RuntimeException e) {
            if (dec != null) {
                avcodec_free_context(dec);
            }
            avformat_close_input(fmt);
            throw e;
        }
    }

    private record Scan(long[] pts, long[] keySeek, long lastDuration) { }

    /** Reads all video packet headers: PTS (or DTS), key flags, and rewinds. */
    private static Scan scanVideo(AVFormatContext fmt, int v, String name) throws MediaException {
        for (int i = 0; i < fmt.nb_streams(); i++) {
            fmt.streams(i).discard(i == v ? AVDISCARD_DEFAULT : AVDISCARD_ALL);
        }
        long[] pts = new long[1024];
        long[] seek = new long[1024];
        long[] dur = new long[1024];
        int n = 0;
        int untimed = 0;
        AVPacket p = av_packet_alloc();
        try {
            int r;
            while ((r = av_read_frame(fmt, p)) >= 0) {
                if (p.stream_index() == v && (p.flags() & AV_PKT_FLAG_DISCARD) == 0) {
                    long t = p.pts() != AV_NOPTS_VALUE ? p.pts() : p.dts();
                    if (t != AV_NOPTS_VALUE) {
                        if (n == pts.length) {
                            pts = Arrays.copyOf(pts, n * 2);
                            seek = Arrays.copyOf(seek, n * 2);
                            dur = Arrays.copyOf(dur, n * 2);
                        }
                        pts[n] = t;
                        // Seek by the smaller of PTS and DTS: demuxers index by one or the
                        // other, and seeking backwards from the smaller lands at or before the key.
                        long d = p.dts() != AV_NOPTS_VALUE ? Math.min(p.dts(), t) : t;
                        seek[n] = (p.flags() & AV_PKT_FLAG_KEY) != 0 ? d : Long.MIN_VALUE;
                        dur[n] = p.duration();
                        n++;
                    } else {
                        untimed++;
                    }
                }
                av_packet_unref(p);
            }
            if (r != AVERROR_EOF) {
                if (n == 0) {
                    throw new MediaException(name + " is corrupt: no video packet can be read ("
                            + FfmpegSupport.error(r) + ").");
                }
                LOG.warn("{}: read error after {} video packets ({}); the rest is ignored", name, n, FfmpegSupport.error(r));
            }
        } finally {
            av_packet_free(p);
        }
        if (n == 0) {
            throw new MediaException(untimed > 0
                    ? name + " has video without timestamps (a raw elementary stream?); remux it into mp4 or mkv first."
                    : name + " has a video stream without any frames.");
        }
        if (untimed > 0) {
            LOG.warn("{}: {} video packets without timestamps are ignored", name, untimed);
        }
        // Presentation order: sort packet entries by PTS (B-frames arrive in decode order).
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        final long[] ptsF = pts;
        Arrays.sort(order, (x, y) -> Long.compare(ptsF[x], ptsF[y]));
        long[] sp = new long[n];
        long[] sk = new long[n];
        int m = 0;
        long lastDur = 0;
        boolean anyKey = false;
        for (int i = 0; i < n; i++) {
            int o = order[i];
            if (m > 0 && sp[m - 1] == pts[o]) {
                LOG.warn("{}: duplicate video PTS {}; keeping one frame", name, pts[o]);
                continue;
            }
            sp[m] = pts[o];
            sk[m] = seek[o];
            anyKey |= seek[o] != Long.MIN_VALUE;
            lastDur = dur[o];
            m++;
        }
        if (!anyKey) {
            sk[0] = sp[0];   // no key flags at all: treat the first frame as the only entry point
        }
        // Rewind for decoding: back to the very beginning.
        int r = avformat_seek_file(fmt, v, Long.MIN_VALUE, sp[0], sp[0], 0);
        if (r < 0) {
            r = av_seek_frame(fmt, v, sp[0], AVSEEK_FLAG_BACKWARD);
        }
        if (r < 0) {
            throw new MediaException(name + " cannot be rewound after indexing (" + FfmpegSupport.error(r) + ").");
        }
        return new Scan(Arrays.copyOf(sp, m), Arrays.copyOf(sk, m), lastDur);
    }

    private static long medianInterval(long[] micros) {
        if (micros.length < 2) {
            return 40_000;   // a lone frame: show it for one PAL frame time
        }
        long[] d = new long[micros.length - 1];
        for (int i = 1; i < micros.length; i++) {
            d[i - 1] = micros[i] - micros[i - 1];
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    @Override
    public MediaInfo info() {
        return info;
    }

    @Override
    public FrameIndex frames() {
        return table;
    }

    @Override
    public AudioTrack audio() {
        return audio;
    }

    /** Pictures decoded since opening (non-reference frames skipped on the way to a target not counted). */
    long decodedFrames() {
        return decodedFrames;
    }

    /** Waits for the background audio decoder (tests, CLI); returns at once without audio. */
    void awaitAudio() throws InterruptedException {
        if (audioDecoder != null) {
            audioDecoder.await();
        }
    }

    @Override
    public VideoFrame frame(int index) throws MediaException {
        if (fmt == null || dec == null) {
            throw new MediaException(info.hasVideo() ? path.getFileName() + " is closed."
                    : path.getFileName() + " has no video.");
        }
        if (index < 0 || index >= table.count()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + table.count());
        }
        VideoFrame hit = cache.get(index);
        boolean backwardStep = index == lastRequested - 1;
        lastRequested = index;
        if (hit != null) {
            return hit;
        }
        VideoFrame kept = keptPicture(index);
        if (kept != null) {
            return kept;
        }
        // Stepping backwards pays one keyframe seek per GOP: keep references to the predecessors.
        keepBefore = backwardStep ? gopFrames - 1 : 0;
        // Forward from where the decoder is whenever that is no farther than from the target's
        // keyframe: playback that fell behind catches up instead of seeking back to the keyframe.
        if (!drained && lastDecoded >= 0 && index > lastDecoded
                && (index - lastDecoded <= FORWARD_DECODE_LIMIT || keyAtOrBefore(index) <= lastDecoded)) {
            VideoFrame f = decodeUntil(index);
            if (f != null) {
                return f;
            }
        }
        int k = keyAtOrBefore(index);
        // A demuxer whose idea of a keyframe differs from the packet flags lands too late:
        // retry from up to two GOPs earlier. Beyond that the frame itself is damaged, and
        // decoding from the start of a long file would only stall the decode thread.
        for (int attempt = 0; attempt < 3; attempt++) {
            seekTo(k);
            VideoFrame f = decodeUntil(index);
            if (f != null) {
                return f;
            }
            if (k == 0) {
                break;
            }
            k = keyAtOrBefore(k - 1);
        }
        throw new MediaException(String.format(java.util.Locale.ROOT,
                "Frame %d (at %.3f s) of %s is damaged and cannot be decoded.",
                index, table.timeMicros(index) / 1e6, path.getFileName()));
    }

    @Override
    public VideoFrame nearestPicture(int index) throws MediaException {
        if (fmt == null || dec == null || index < 0 || index >= table.count()) {
            return frame(index);
        }
        int key = keyAtOrBefore(index);
        // the closest picture at hand between the keyframe and the target (the target itself when it is)
        int best = -1;
        for (Map<Integer, ?> atHand : List.of(cache, gop)) {
            for (int i : atHand.keySet()) {
                if (i <= index && i >= key && i > best) {
                    best = i;
                }
            }
        }
        if (best >= 0) {
            VideoFrame converted = cache.get(best);
            return converted != null ? converted : keptPicture(best);
        }
        VideoFrame keyPicture = keyPictures.get(key);
        if (keyPicture != null) {
            return keyPicture;
        }
        // the keyframe alone: one seek and one picture, not the GOP up to the target
        int saved = lastRequested;
        VideoFrame f = frame(key);
        lastRequested = saved;
        keyPictures.put(key, f);
        return f;
    }

    private int keyAtOrBefore(int index) {
        for (int i = index; i > 0; i--) {
            if (keySeekTs[i] != Long.MIN_VALUE) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Seeks to the keyframe {@code keyIndex} by its presentation time: demuxers that index by PTS
     * (Matroska) or correct their decode-time index for the edit list (MP4 with B-frames) land on
     * the key itself. Seeking by the smaller decode time instead lands a whole GOP early in MP4
     * with B-frames (a 10 s GOP decoded for nothing); it remains the fallback when the first packet
     * after the PTS seek shows it landed past the key ({@link #checkLanding}).
     */
    private void seekTo(int keyIndex) throws MediaException {
        seekTo(keyIndex, rawPts[keyIndex]);
        landingKey = keyIndex;
    }

    private void seekTo(int keyIndex, long ts) throws MediaException {
        int r = keyIndex == 0 ? avformat_seek_file(fmt, videoStream, Long.MIN_VALUE, ts, ts, 0)
                : av_seek_frame(fmt, videoStream, ts, AVSEEK_FLAG_BACKWARD);
        if (r < 0) {
            r = av_seek_frame(fmt, videoStream, ts, AVSEEK_FLAG_BACKWARD);
        }
        if (r < 0) {
            throw new MediaException("seeking in " + path.getFileName() + " failed (" + FfmpegSupport.error(r) + ").");
        }
        avcodec_flush_buffers(dec);
        lastDecoded = -1;
        drained = false;
        landingKey = -1;
    }

    /**
     * The first video packet after a seek by PTS must be a keyframe at or before the key asked
     * for; otherwise the seek is redone the safe way (by the smaller of PTS and DTS, which lands at
     * or before it). Returns false when it re-seeked (the packet is then not to be decoded).
     */
    private boolean checkLanding(AVPacket packet) throws MediaException {
        int key = landingKey;
        if (key < 0) {
            return true;
        }
        landingKey = -1;
        long pts = packet.pts() != AV_NOPTS_VALUE ? packet.pts() : packet.dts();
        int idx = pts == AV_NOPTS_VALUE ? -1 : indexOfRaw(pts);
        if ((packet.flags() & AV_PKT_FLAG_KEY) != 0 && idx >= 0 && idx <= key) {
            return true;
        }
        LOG.debug("{}: seeking to frame {} by PTS landed at frame {}; seeking by DTS", path.getFileName(), key, idx);
        seekTo(key, keySeekTs[key]);
        return false;
    }

    /**
     * Decodes forward until frame {@code target}; returns null if the decoder passes it or ends
     * first. When stepping backwards, the {@link #keepBefore} frames before the target are kept too.
     */
    private VideoFrame decodeUntil(int target) throws MediaException {
        while (true) {
            int r = avcodec_receive_frame(dec, frame);
            if (r >= 0) {
                long ts = frame.best_effort_timestamp();
                int idx = ts == AV_NOPTS_VALUE ? lastDecoded + 1 : indexOfRaw(ts);
                if (idx < 0) {
                    continue;   // a frame the index does not know (e.g. before the first PTS)
                }
                lastDecoded = idx;
                decodedFrames++;
                if (idx == target) {
                    VideoFrame f = convert(idx, frame);
                    cache.put(idx, f);
                    return f;
                }
                if (idx > target) {
                    return null;
                }
                if (target - idx <= keepBefore && !cache.containsKey(idx) && !gop.containsKey(idx)) {
                    keep(idx);
                }
                continue;
            }
            if (r == AVERROR_EOF) {
                drained = true;
                return null;
            }
            if (r != AVERROR_EAGAIN()) {
                throw new MediaException(path.getFileName() + " is corrupt: video decoding failed ("
                        + FfmpegSupport.error(r) + ").");
            }
            if (drained) {
                return null;
            }
            int rr = av_read_frame(fmt, pkt);
            if (rr < 0) {
                avcodec_send_packet(dec, null);   // flush the decoder's delayed frames
                drained = true;
                continue;
            }
            if (pkt.stream_index() == videoStream) {
                if (!checkLanding(pkt)) {
                    av_packet_unref(pkt);
                    continue;
                }
                skipIfOnlyPassedThrough(pkt, target);
                int s = avcodec_send_packet(dec, pkt);
                if (s < 0 && s != AVERROR_EAGAIN()) {
                    // one line per damaged packet would bury the log; the first says it, the rest are counted
                    if (damagedPackets++ == 0) {
                        LOG.warn("{}: skipping damaged video packets ({})", path.getFileName(), FfmpegSupport.error(s));
                    } else {
                        LOG.debug("{}: skipping a damaged video packet ({})", path.getFileName(), FfmpegSupport.error(s));
                    }
                }
            }
            av_packet_unref(pkt);
        }
    }

    /**
     * Frames decoded only to reach the target need not be decoded at all when no other frame
     * refers to them: the decoder is told to drop non-reference frames whose packets come before
     * the target (and before the predecessors kept for stepping back). Reference frames are always
     * decoded, so the target's pixels are exactly those of a full decode.
     */
    private void skipIfOnlyPassedThrough(AVPacket packet, int target) {
        long pts = packet.pts();
        int idx = pts == AV_NOPTS_VALUE ? -1 : indexOfRaw(pts);
        int skip = idx >= 0 && idx < target - keepBefore ? AVDISCARD_NONREF : AVDISCARD_DEFAULT;
        if (dec.skip_frame() != skip) {
            dec.skip_frame(skip);
        }
    }

    /**
     * Frame index of a decoded PTS. Exact match normally; a decoder that re-derives timestamps
     * (best-effort PTS from DTS) may land a tick off, so the nearest entry within half the
     * smallest frame interval is accepted too.
     */
    private int indexOfRaw(long ts) {
        int i = Arrays.binarySearch(rawPts, ts);
        if (i >= 0) {
            return i;
        }
        int ins = -i - 1;
        int best = -1;
        long bestDiff = Long.MAX_VALUE;
        for (int c = ins - 1; c <= ins; c++) {
            if (c >= 0 && c < rawPts.length && Math.abs(rawPts[c] - ts) < bestDiff) {
                best = c;
                bestDiff = Math.abs(rawPts[c] - ts);
            }
        }
        return best >= 0 && 2 * bestDiff < minRawInterval ? best : -1;
    }

    /** A picture kept from the decoder, converted and cached; null when {@code index} is not kept. */
    private VideoFrame keptPicture(int index) throws MediaException {
        AVFrame kept = gop.get(index);
        if (kept == null) {
            return null;
        }
        VideoFrame f = convert(index, kept);
        cache.put(index, f);
        return f;
    }

    /** Keeps a reference to the decoder's picture {@code idx} (the oldest is released past the budget). */
    private void keep(int idx) {
        AVFrame ref = av_frame_clone(frame);
        if (ref == null || ref.isNull()) {
            return;
        }
        gop.put(idx, ref);
        if (gop.size() > gopFrames) {
            var eldest = gop.entrySet().iterator().next();
            av_frame_free(eldest.getValue());
            gop.remove(eldest.getKey());
        }
    }

    /**
     * Decoder threads: one per core, at least two (frame threading overlaps the entropy decoding of
     * one picture with the reconstruction of the next); {@code -Dovavss.decode.threads=N} overrides.
     */
    static int decodeThreads() {
        Integer forced = Integer.getInteger("ovavss.decode.threads");
        if (forced != null && forced >= 0) {
            return forced;
        }
        return Math.max(2, Math.min(16, Runtime.getRuntime().availableProcessors()));
    }

    private VideoFrame convert(int index, AVFrame frame) throws MediaException {
        int w = frame.width();
        int h = frame.height();
        FfmpegSupport.checkResolution(path.getFileName().toString(), w, h);
        if (bgra == null || w != bufW || h != bufH) {
            if (bgra != null) {
                bgra.close();
            }
            bgra = new BytePointer((long) w * h * 4);
            dstData = new PointerPointer<>(4);
            dstData.put(0, bgra);
            dstLinesize = new IntPointer(4);
            dstLinesize.put(0, w * 4);
            bufW = w;
            bufH = h;
        }
        sws = sws_getCachedContext(sws, w, h, frame.format(), w, h, AV_PIX_FMT_BGRA, SWS_BILINEAR,
                null, null, (DoublePointer) null);
        if (sws == null || sws.isNull()) {
            throw new MediaException(path.getFileName() + ": unsupported pixel format " + frame.format() + ".");
        }
        sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstData, dstLinesize);
        int[] argb = new int[w * h];
        // BGRA bytes read as little-endian ints are exactly 0xAARRGGBB.
        bgra.position(0).capacity((long) w * h * 4).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(argb);
        return new VideoFrame(index, table.timeMicros(index), w, h, argb);
    }

    @Override
    public void close() {
        if (audioDecoder != null) {
            audioDecoder.cancel();
        }
        cache.clear();
        keyPictures.clear();
        for (AVFrame f : gop.values()) {
            av_frame_free(f);
        }
        gop.clear();
        if (sws != null) {
            sws_freeContext(sws);
            sws = null;
        }
        if (bgra != null) {
            bgra.close();
            bgra = null;
        }
        if (dstData != null) {
            dstData.close();
            dstLinesize.close();
            dstData = null;
        }
        if (frame != null) {
            av_frame_free(frame);
            frame = null;
        }
        if (pkt != null) {
            av_packet_free(pkt);
            pkt = null;
        }
        if (dec != null) {
            avcodec_free_context(dec);
            dec = null;
        }
        if (fmt != null) {
            avformat_close_input(fmt);
            fmt = null;
        }
    }
}
