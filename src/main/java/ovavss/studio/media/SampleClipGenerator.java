package ovavss.studio.media;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import ovavss.studio.files.AtomicFiles;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.Java2DFrameConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes synthetic audio-visual clips with JavaCV's FFmpeg recorder: the bundled sample clip
 * (coloured moving shapes, two of which "sound" with their own tone and pulse while it plays),
 * and the clips the tests and benchmarks need (CFR, VFR with irregular timestamps, a tone with a
 * known onset, 1080p, long and cheap). Every frame carries its index as a {@link FrameBarcode}.
 *
 * <p>Run {@code main} with an output path to regenerate the committed sample.</p>
 */
public final class SampleClipGenerator {
    private static final Logger LOG = LoggerFactory.getLogger(SampleClipGenerator.class);

    /**
     * Video codec to encode with. H.264 is OpenH264 in the shipped FFmpeg build (no libx264;
     * baseline profile, no B-frames); MPEG4 is FFmpeg's MPEG-4 Part 2 with two B-frames.
     */
    public enum Codec { H264, MPEG4 }

    /** What the frames show. */
    public enum Scene {
        /** Moving, pulsing shapes over a gradient (the sample clip). */
        SHAPES,
        /** A flat background, the barcode and one small moving dot: cheap to draw and encode. */
        MINIMAL
    }

    /** A sine tone of {@code freqHz} playing in [startS, endS), panned (-1 left … 1 right). */
    public record Tone(double freqHz, double startS, double endS, double amplitude, double pan) {
        boolean playing(double t) {
            return t >= startS && t < endS;
        }
    }

    /**
     * A clip to generate.
     *
     * @param width frame width
     * @param height frame height
     * @param fps nominal frame rate (CFR rate; for VFR the encoder time base is 1/fps)
     * @param frameTimesMicros explicit presentation times per frame (VFR), or {@code null} for CFR
     * @param frameCount number of frames (ignored when frameTimesMicros is given)
     * @param format container muxer name ("mp4", "matroska")
     * @param codec video codec
     * @param gopSize keyframe interval in frames
     * @param videoBitrate bits per second
     * @param scene what to draw
     * @param sampleRate audio rate, or 0 for a clip without audio
     * @param channels audio channels (1 or 2)
     * @param tones tones in the soundtrack (silence elsewhere)
     * @param audioSeconds audio length (normally the video length)
     */
    public record Spec(int width, int height, double fps, long[] frameTimesMicros, int frameCount,
                       String format, Codec codec, int gopSize, int videoBitrate, Scene scene,
                       int sampleRate, int channels, List<Tone> tones, double audioSeconds) {

        int frames() {
            return frameTimesMicros != null ? frameTimesMicros.length : frameCount;
        }

        long frameTime(int i) {
            return frameTimesMicros != null ? frameTimesMicros[i] : Math.round(i * 1_000_000.0 / fps);
        }

        public Spec withAudio(int rate, int ch, List<Tone> newTones, double seconds) {
            return new Spec(width, height, fps, frameTimesMicros, frameCount, format, codec, gopSize,
                    videoBitrate, scene, rate, ch, newTones, seconds);
        }

        public Spec withoutAudio() {
            return withAudio(0, 0, List.of(), 0);
        }

        public Spec withCodec(Codec c) {
            return new Spec(width, height, fps, frameTimesMicros, frameCount, format, c, gopSize,
                    videoBitrate, scene, sampleRate, channels, tones, audioSeconds);
        }
    }

    private SampleClipGenerator() { }

    /** The bundled sample: 10 s, 320×240, 25 fps, H.264 + AAC stereo in mp4, three shapes, two of them sounding. */
    public static Spec sample() {
        return new Spec(320, 240, 25, null, 250, "mp4", Codec.H264, 25, 400_000, Scene.SHAPES,
                44_100, 2, List.of(
                        new Tone(440, 1.0, 4.0, 0.35, -0.6),   // red circle
                        new Tone(440, 6.5, 8.5, 0.35, -0.6),
                        new Tone(660, 3.0, 7.0, 0.30, 0.6)),   // green square
                10.0);
    }

    /** A constant-frame-rate clip of {@code frames} frames with a short tone, for decoding tests. */
    public static Spec cfr(int frames, double fps, Codec codec) {
        double seconds = frames / fps;
        return new Spec(160, 120, fps, null, frames, "mp4", codec, 12, 300_000, Scene.SHAPES,
                44_100, 1, List.of(new Tone(440, seconds / 4, seconds / 2, 0.3, 0)), seconds);
    }

    /**
     * A variable-frame-rate Matroska clip: frame intervals cycle through 10, 30, 50, 20 and 70 ms
     * (all multiples of the 1/100 s encoder time base), no audio.
     */
    public static Spec vfr(int frames) {
        long[] times = new long[frames];
        int[] stepsMs = {10, 30, 50, 20, 70};
        long t = 0;
        for (int i = 0; i < frames; i++) {
            times[i] = t;
            t += stepsMs[i % stepsMs.length] * 1000L;
        }
        return new Spec(160, 120, 100, times, frames, "matroska", Codec.H264, 10, 300_000,
                Scene.SHAPES, 0, 0, List.of(), 0);
    }

    /** Mono 48 kHz silence with a 1 kHz tone from {@code onsetS} to the end, over a small video. */
    public static Spec toneOnset(double onsetS, double seconds) {
        int frames = (int) Math.round(seconds * 10);
        return new Spec(160, 120, 10, null, frames, "mp4", Codec.H264, 10, 200_000, Scene.MINIMAL,
                48_000, 1, List.of(new Tone(1000, onsetS, seconds + 1, 0.5, 0)), seconds);
    }

    /** 1080p H.264, {@code seconds} long at 25 fps with a keyframe every second. */
    public static Spec hd1080(double seconds) {
        int frames = (int) Math.round(seconds * 25);
        return new Spec(1920, 1080, 25, null, frames, "mp4", Codec.H264, 25, 4_000_000, Scene.SHAPES,
                44_100, 2, List.of(new Tone(440, 1, seconds, 0.3, 0)), seconds);
    }

    /**
     * A long 1080p clip that is cheap to make: {@code fps} frames per second of nearly static
     * content (keyframe every 10 s), stereo 44.1 kHz audio with one long tone.
     */
    public static Spec longLowCost(double seconds, double fps) {
        int frames = (int) Math.round(seconds * fps);
        return new Spec(1920, 1080, fps, null, frames, "mp4", Codec.H264, (int) Math.max(1, fps * 10),
                500_000, Scene.MINIMAL, 44_100, 2, List.of(new Tone(300, 0, seconds, 0.2, 0)), seconds);
    }

    /**
     * Encodes {@code spec} into {@code out} (written to a temp file and moved into place).
     *
     * @throws MediaException when the encoder cannot be opened or writing fails
     */
    public static void generate(Spec spec, Path out) throws MediaException {
        try {
            AtomicFiles.writeWith(out, tmp -> encode(spec, tmp));
        } catch (IOException e) {
            throw new MediaException("cannot write generated clip " + out + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes {@code segment} {@code times} times back to back into {@code out} by copying packets
     * with shifted timestamps (no re-encoding): a cheap way to make hour-long files. Frame
     * barcodes repeat with the segment's frame count.
     *
     * @param format output muxer ("mp4", "matroska")
     */
    public static void loop(Path segment, int times, Path out, String format) throws MediaException {
        remux(segment, times, out, format, 0);
    }

    /**
     * Copies {@code in} into {@code out} with every audio timestamp moved by
     * {@code audioShiftMicros} (positive: the audio starts after the first video frame), for
     * testing start-offset handling.
     */
    public static void shiftAudio(Path in, Path out, String format, long audioShiftMicros) throws MediaException {
        remux(in, 1, out, format, audioShiftMicros);
    }

    private static void remux(Path segment, int times, Path out, String format, long audioShiftMicros)
            throws MediaException {
        try {
            AtomicFiles.writeWith(out, tmp -> ClipLooper.loop(segment, times, tmp, format, audioShiftMicros));
        } catch (IOException e) {
            throw new MediaException("cannot write looped clip " + out + ": " + e.getMessage(), e);
        }
    }

    private static void encode(Spec spec, Path file) throws MediaException {
        boolean audio = spec.sampleRate() > 0;
        FFmpegFrameRecorder rec = new FFmpegFrameRecorder(file.toString(), spec.width(), spec.height(),
                audio ? spec.channels() : 0);
        rec.setFormat(spec.format());
        rec.setFrameRate(spec.fps());
        rec.setGopSize(spec.gopSize());
        rec.setVideoBitrate(spec.videoBitrate());
        rec.setPixelFormat(AV_PIX_FMT_YUV420P);
        if (spec.codec() == Codec.H264) {
            rec.setVideoCodecName("libopenh264");
        } else {
            rec.setVideoCodecName("mpeg4");
            rec.setVideoQuality(4);   // fixed quantiser: sharp barcode at small sizes
            // Two B-frames: decode order differs from presentation order, which the PTS
            // table and the seeking code must handle (OpenH264 never makes B-frames).
            rec.setVideoOption("bf", "2");
        }
        if (audio) {
            rec.setAudioCodec(AV_CODEC_ID_AAC);
            rec.setSampleRate(spec.sampleRate());
            rec.setAudioChannels(spec.channels());
            rec.setAudioBitrate(64_000 * spec.channels());
        }
        BufferedImage img = new BufferedImage(spec.width(), spec.height(), BufferedImage.TYPE_3BYTE_BGR);
        try (Java2DFrameConverter conv = new Java2DFrameConverter()) {
            rec.start();
            long samplesWritten = 0;
            long totalSamples = audio ? Math.round(spec.audioSeconds() * spec.sampleRate()) : 0;
            int n = spec.frames();
            for (int i = 0; i < n; i++) {
                long t = spec.frameTime(i);
                // Keep the muxer's interleaving queue short: audio up to the next frame first.
                if (audio) {
                    long until = i + 1 < n ? Math.min(totalSamples,
                            spec.frameTime(i + 1) * spec.sampleRate() / 1_000_000L) : totalSamples;
                    samplesWritten = writeAudio(rec, spec, samplesWritten, until);
                }
                Graphics2D g = img.createGraphics();
                try {
                    drawFrame(g, spec, i, t / 1e6);
                } finally {
                    g.dispose();
                }
                Frame frame = conv.getFrame(img);
                if (spec.frameTimesMicros() != null) {
                    rec.setTimestamp(t);
                }
                rec.record(frame);
            }
            if (audio) {
                writeAudio(rec, spec, samplesWritten, totalSamples);
            }
            rec.stop();
        } catch (FrameRecorder.Exception e) {
            throw new MediaException("cannot encode clip " + file.getFileName() + ": " + e.getMessage(), e);
        } finally {
            try {
                rec.release();
            } catch (FrameRecorder.Exception ignored) {
                // already failed or stopped; nothing more to free
            }
        }
        LOG.debug("generated {} ({} frames)", file, spec.frames());
    }

    private static long writeAudio(FFmpegFrameRecorder rec, Spec spec, long from, long until)
            throws FrameRecorder.Exception {
        int ch = spec.channels();
        int rate = spec.sampleRate();
        int block = 4096;
        short[] buf = new short[block * ch];
        long pos = from;
        while (pos < until) {
            int len = (int) Math.min(block, until - pos);
            for (int i = 0; i < len; i++) {
                double t = (pos + i) / (double) rate;
                double left = 0;
                double right = 0;
                for (Tone tone : spec.tones()) {
                    if (!tone.playing(t)) {
                        continue;
                    }
                    // 1 ms ramps: no clicks, yet a sharp onset for the alignment test.
                    double env = Math.min(1, Math.min(t - tone.startS(), tone.endS() - t) / 0.001);
                    double s = tone.amplitude() * env * Math.sin(2 * Math.PI * tone.freqHz() * (t - tone.startS()));
                    left += s * Math.min(1, 1 - tone.pan());
                    right += s * Math.min(1, 1 + tone.pan());
                }
                if (ch == 1) {
                    buf[i] = toShort((left + right) / 2);
                } else {
                    buf[i * ch] = toShort(left);
                    buf[i * ch + 1] = toShort(right);
                    for (int c = 2; c < ch; c++) {
                        buf[i * ch + c] = 0;
                    }
                }
            }
            rec.recordSamples(rate, ch, ShortBuffer.wrap(buf, 0, len * ch));
            pos += len;
        }
        return pos;
    }

    private static short toShort(double v) {
        return (short) Math.round(Math.max(-1, Math.min(1, v)) * 32767);
    }

    private static void drawFrame(Graphics2D g, Spec spec, int index, double t) {
        int w = spec.width();
        int h = spec.height();
        if (spec.scene() == Scene.MINIMAL) {
            g.setColor(new Color(30, 40, 60));
            g.fillRect(0, 0, w, h);
            g.setColor(new Color(240, 200, 60));
            int r = Math.max(4, h / 30);
            int x = (int) (r + (w - 2 * r) * ((t / 20.0) % 1.0));
            g.fillOval(x - r, h / 2 - r, 2 * r, 2 * r);
            FrameBarcode.draw(g, w, h, index);
            return;
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new java.awt.GradientPaint(0, 0, new Color(24, 32, 56), 0, h, new Color(60, 72, 96)));
        g.fillRect(0, 0, w, h);
        double s = Math.min(w, h) / 240.0;
        int band = FrameBarcode.bandHeight(h);
        List<Tone> tones = spec.tones();
        // Shape 0 (red circle) sounds with tones at 440 Hz, shape 1 (green square) with 660 Hz.
        boolean redSounds = tones.stream().anyMatch(x -> x.freqHz() == 440 && x.playing(t));
        boolean greenSounds = tones.stream().anyMatch(x -> x.freqHz() == 660 && x.playing(t));

        double pulse = 1 + 0.18 * Math.sin(2 * Math.PI * 4 * t);
        // Red circle: left-right sweep.
        double rr = 28 * s * (redSounds ? pulse : 1);
        double cx = w * (0.2 + 0.6 * (0.5 + 0.5 * Math.sin(2 * Math.PI * t / 7)));
        double cy = band + (h - band) * 0.35;
        g.setColor(new Color(220, 50, 50));
        g.fillOval((int) (cx - rr), (int) (cy - rr), (int) (2 * rr), (int) (2 * rr));
        if (redSounds) {
            ring(g, cx, cy, rr + 6 * s, s);
        }
        // Green square: circular path.
        double half = 24 * s * (greenSounds ? pulse : 1);
        double sx = w * 0.5 + w * 0.25 * Math.cos(2 * Math.PI * t / 5);
        double sy = band + (h - band) * 0.62 + (h - band) * 0.18 * Math.sin(2 * Math.PI * t / 5);
        g.setColor(new Color(60, 200, 90));
        g.fillRect((int) (sx - half), (int) (sy - half), (int) (2 * half), (int) (2 * half));
        if (greenSounds) {
            ring(g, sx, sy, half * 1.45 + 4 * s, s);
        }
        // Blue triangle: silent, bouncing.
        double tx = w * (0.15 + 0.7 * ((t / 4) % 1.0));
        double ty = band + (h - band) * (0.85 - 0.15 * Math.abs(Math.sin(2 * Math.PI * t / 2)));
        int ts = (int) (26 * s);
        g.setColor(new Color(70, 110, 230));
        g.fillPolygon(new Polygon(new int[] {(int) tx, (int) tx - ts, (int) tx + ts},
                new int[] {(int) ty - ts, (int) ty + ts / 2, (int) ty + ts / 2}, 3));
        FrameBarcode.draw(g, w, h, index);
    }

    private static void ring(Graphics2D g, double cx, double cy, double r, double s) {
        g.setColor(new Color(255, 255, 255, 170));
        g.setStroke(new BasicStroke((float) Math.max(1.5, 2.5 * s)));
        g.drawOval((int) (cx - r), (int) (cy - r), (int) (2 * r), (int) (2 * r));
    }

    /** Writes the sample clip to {@code args[0]} (default {@code sample.mp4}). */
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "sample.mp4");
        generate(sample(), out);
        System.out.println(out + " " + Files.size(out) + " bytes");
    }
}
