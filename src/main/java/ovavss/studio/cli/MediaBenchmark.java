package ovavss.studio.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import ovavss.studio.media.AudioTrack;
import ovavss.studio.media.FrameBarcode;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.MediaSource;
import ovavss.studio.media.SampleClipGenerator;

/**
 * {@code bench media}: random-seek latency on a generated 1080p H.264 clip and the heap held
 * after opening and scrubbing an hour-long 1080p file. Clips are generated once into
 * {@code <tmp>/ovavss-bench/} and reused; the hour is a 60 s encoded segment repeated by packet
 * copy (encoding a real hour on a small machine would take longer than the benchmark is worth).
 */
public final class MediaBenchmark implements Benchmark {
    private static final int SEEKS = 100;

    @Override
    public String name() {
        return "media";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Path dir = Path.of(System.getProperty("java.io.tmpdir"), "ovavss-bench");
        Files.createDirectories(dir);
        // -Dovavss.bench.media=longgop (or seek, heap) runs one part
        String only = System.getProperty("ovavss.bench.media", "");
        if (only.isEmpty() || only.equals("seek")) {
            seekBenchmark(out, dir);
        }
        if (only.isEmpty() || only.equals("longgop")) {
            longGopBenchmark(out, dir);
        }
        if (only.isEmpty() || only.equals("4k")) {
            fourKBenchmark(out, dir);
        }
        if (only.isEmpty() || only.equals("vfr")) {
            vfrBenchmark(out, dir);
        }
        if (only.isEmpty() || only.equals("heap")) {
            heapBenchmark(out, dir);
        }
    }

    /** The 4 s 1080p segment (100 frames, barcoded) that both clips repeat. */
    private static Path segment(Path dir) throws MediaException {
        Path seg = dir.resolve("segment-1080p-4s.mp4");
        if (!Files.isRegularFile(seg)) {
            SampleClipGenerator.generate(SampleClipGenerator.hd1080(4.0), seg);
        }
        return seg;
    }

    private static Path looped(Path dir, String name, int times) throws MediaException {
        Path file = dir.resolve(name);
        if (Files.isRegularFile(file)) {
            try {
                MediaOpener.probe(file);
                return file;
            } catch (MediaException stale) {
                // regenerate below
            }
        }
        SampleClipGenerator.loop(segment(dir), times, file, "mp4");
        return file;
    }

    private static void seekBenchmark(PrintStream out, Path dir) throws Exception {
        int segFrames = 100;
        Path clip = looped(dir, "seek-1080p-20s.mp4", 5);
        out.println("# seek clip: 1920x1080 H.264 (OpenH264), 25 fps, keyframe every 25 frames, 20 s, " + clip);
        try (MediaSource src = MediaOpener.open(clip)) {
            int n = src.frames().count();
            Random rnd = new Random(2024);
            for (int i = 0; i < 5; i++) {
                src.frame(rnd.nextInt(n));   // warm-up: natives, JIT, caches
            }
            double[] ms = new double[SEEKS];
            int wrong = 0;
            int prev = -1;
            for (int i = 0; i < SEEKS; i++) {
                int target;
                do {
                    target = rnd.nextInt(n);
                } while (Math.abs(target - prev) < 8);   // a real seek, not a neighbour cache hit
                long t0 = System.nanoTime();
                int got = FrameBarcode.read(src.frame(target));
                ms[i] = (System.nanoTime() - t0) / 1e6;
                if (got != target % segFrames) {
                    wrong++;
                }
                prev = target;
            }
            timings(out, "seek", ms);
            line(out, "seek_wrong_frames", wrong, "count");
            int start = n / 2;
            src.frame(start);
            long t0 = System.nanoTime();
            for (int i = 1; i <= 50; i++) {
                src.frame(start + i);
            }
            line(out, "step_forward_ms", (System.nanoTime() - t0) / 1e6 / 50, "ms");
        }
    }

    /** Frames of the long-GOP segment: its barcodes repeat with this period. */
    private static final int LONGGOP_SEGMENT_FRAMES = 120;

    /**
     * The footage users bring: 60 s of 1080p30 H.264 High profile with B-frames and a keyframe every
     * 10 s (x264 veryfast, as phones and screen recorders make them), barcoded frames. A 4 s segment
     * is generated, repeated, and re-encoded by the system's ffmpeg (libx264); null without one.
     */
    private static Path longGopClip(Path dir) throws Exception {
        Path file = dir.resolve("longgop-1080p30-60s.mp4");
        if (Files.isRegularFile(file)) {
            return file;
        }
        Path seg = dir.resolve("segment-1080p30-4s.mp4");
        if (!Files.isRegularFile(seg)) {
            SampleClipGenerator.Spec hd = SampleClipGenerator.hd1080(4.0);
            SampleClipGenerator.generate(new SampleClipGenerator.Spec(1920, 1080, 30, null, LONGGOP_SEGMENT_FRAMES,
                    "mp4", hd.codec(), 30, 6_000_000, hd.scene(), hd.sampleRate(), hd.channels(), hd.tones(), 4.0), seg);
        }
        Path looped = dir.resolve("longgop-source.mp4");
        SampleClipGenerator.loop(seg, 15, looped, "mp4");
        return x264(looped, dir.resolve("longgop-encoding.mp4"), file) ? file : null;
    }

    private static void longGopBenchmark(PrintStream out, Path dir) throws Exception {
        Path clip;
        try {
            clip = longGopClip(dir);
        } catch (java.io.IOException e) {
            clip = null;
        }
        if (clip == null) {
            out.println("# long-GOP seeks skipped: the system's ffmpeg with libx264 is needed to make the file");
            return;
        }
        out.println("# long-GOP clip: 60 s 1920x1080 30 fps H.264 High (x264 veryfast, B-frames), keyframe every"
                + " 10 s, " + clip);
        try (MediaSource src = MediaOpener.open(clip)) {
            int[] targets = randomTargets(src.frames().count(), 60, 2026);
            double median = seeks(out, "seek_longgop", src, LONGGOP_SEGMENT_FRAMES, targets, 30);

            // stepping back from inside a GOP, at five places (the first one a warm-up): the first
            // step, then the following 30
            int[] places = {770, 1070, 470, 1570, 1370};
            double[] firstMs = new double[places.length - 1];
            double nextMs = 0;
            int stepWrong = 0;
            for (int p = 0; p < places.length; p++) {
                int at = places[p];
                src.frame(at);
                long t0 = System.nanoTime();
                if (FrameBarcode.read(src.frame(at - 1)) != (at - 1) % LONGGOP_SEGMENT_FRAMES) {
                    stepWrong++;
                }
                long t1 = System.nanoTime();
                for (int k = 2; k <= 31; k++) {
                    if (FrameBarcode.read(src.frame(at - k)) != (at - k) % LONGGOP_SEGMENT_FRAMES) {
                        stepWrong++;
                    }
                }
                if (p > 0) {
                    firstMs[p - 1] = (t1 - t0) / 1e6;
                    nextMs += (System.nanoTime() - t1) / 1e6 / 30 / (places.length - 1);
                }
            }
            Arrays.sort(firstMs);
            line(out, "step_back_first_ms", (firstMs[1] + firstMs[2]) / 2, "ms");
            line(out, "step_back_first_max_ms", firstMs[firstMs.length - 1], "ms");
            line(out, "step_back_next_ms", nextMs, "ms");
            line(out, "step_back_wrong_frames", stepWrong, "count");
            src.frame(600);
            long fwd0 = System.nanoTime();
            for (int k = 601; k <= 900; k++) {
                src.frame(k);
            }
            line(out, "step_forward_longgop_ms", (System.nanoTime() - fwd0) / 1e6 / 300, "ms");
            playback(out, clip);
            scrub(out, clip);
            double opencv = openCvSeekMedian(out, clip, targets);
            if (opencv > 0) {
                line(out, "seek_longgop_vs_opencv_ratio", opencv / median, "x");
            }
        }
    }

    /**
     * 1x playback of the whole file through the window's decode path ({@code MediaSession}: the
     * decode thread, latest request wins) driven by a 60 Hz pulse on the wall clock, counted as the
     * window counts it ({@code PlaybackStats}). Leaves out the copy into the JavaFX image.
     */
    private static void playback(PrintStream out, Path clip) throws Exception {
        playback(out, clip, "playback_1080p30");
    }

    private static void playback(PrintStream out, Path clip, String name) throws Exception {
        try (ovavss.studio.app.playback.MediaSession s = ovavss.studio.app.playback.MediaSession
                .open(clip, MediaOpener::open).get()) {
            var frames = s.frames();
            var stats = new ovavss.studio.app.playback.PlaybackStats();
            long durationMicros = frames.timeMicros(frames.count() - 1);
            long start = System.nanoTime();
            long pulse = 0;
            while (true) {
                long t = (System.nanoTime() - start) / 1000;
                if (t > durationMicros) {
                    break;
                }
                int due = frames.indexAt(t);
                s.requestFrame(due);
                s.prefetch(due + 1);   // as the window's player does while playing
                ovavss.studio.media.VideoFrame shown = s.latestFrame();
                int on = shown == null ? -1 : shown.index();
                stats.pulse(true, due, frames.timeMicros(due), on, on < 0 ? 0 : frames.timeMicros(on));
                pulse++;
                long next = start + pulse * 16_666_667L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            out.println("# " + name + ": " + stats.summary());
            line(out, name + "_dropped_pct", stats.droppedPercent(), "%");
            line(out, name.equals("playback_1080p30") ? "playback_av_offset_ms" : name + "_av_offset_ms",
                    stats.meanOffsetMs(), "ms");
        }
    }

    /**
     * A drag across the whole file on a freshly opened source, as the window scrubs: 120 moves
     * about half a second apart, each answered by {@code nearestPicture} (the picture at hand or
     * the keyframe alone); the time of each answer, and how many were the exact frame.
     */
    private static void scrub(PrintStream out, Path clip) throws Exception {
        try (MediaSource src = MediaOpener.open(clip)) {
            int n = src.frames().count();
            Random rnd = new Random(5);
            double[] ms = new double[120];
            int exact = 0;
            int wrong = 0;
            for (int i = 0; i < ms.length; i++) {
                int target = Math.min(n - 1, (int) ((i + rnd.nextDouble()) * n / ms.length));
                long t0 = System.nanoTime();
                ovavss.studio.media.VideoFrame f = src.nearestPicture(target);
                ms[i] = (System.nanoTime() - t0) / 1e6;
                exact += f.index() == target ? 1 : 0;
                // the picture is the frame its index says (it may be an earlier one than the target)
                wrong += FrameBarcode.read(f) == f.index() % LONGGOP_SEGMENT_FRAMES && f.index() <= target ? 0 : 1;
            }
            timings(out, "scrub_preview", ms);
            line(out, "scrub_preview_mislabelled", wrong, "count");
            out.println("# scrub: " + exact + " of " + ms.length + " previews were the exact frame");
        }
    }

    /** {@code count} random frames of {@code n}, each at least 8 from the one before (a real seek, not a neighbour). */
    private static int[] randomTargets(int n, int count, long seed) {
        Random rnd = new Random(seed);
        int[] targets = new int[count];
        int prev = -1;
        for (int i = 0; i < count; i++) {
            int t;
            do {
                t = rnd.nextInt(n);
            } while (Math.abs(t - prev) < 8 && n > 16);
            targets[i] = prev = t;
        }
        return targets;
    }

    /**
     * Exact seeks to {@code targets}, after three warm-up seeks to frames that are not targets (a
     * warm-up on a target would leave it in the cache and time a hit): prints the median and p95
     * time and how many frames were wrong (barcode or PTS not the target's, or, given a nominal
     * frame rate, a PTS more than 1 ms off its nominal time). Returns the median.
     */
    private static double seeks(PrintStream out, String name, MediaSource src, int modulus, int[] targets,
                                double nominalFps) throws Exception {
        int n = src.frames().count();
        java.util.Set<Integer> asked = new java.util.HashSet<>();
        for (int t : targets) {
            asked.add(t);
        }
        for (int w = n / 7, warmed = 0; w < n && warmed < 3; w += Math.max(1, n / 4)) {
            if (!asked.contains(w)) {
                src.frame(w);
                warmed++;
            }
        }
        double[] ms = new double[targets.length];
        int wrong = 0;
        for (int i = 0; i < targets.length; i++) {
            int t = targets[i];
            long t0 = System.nanoTime();
            ovavss.studio.media.VideoFrame f = src.frame(t);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            if (FrameBarcode.read(f) != t % modulus || f.ptsMicros() != src.frames().timeMicros(t)
                    || (nominalFps > 0 && Math.abs(f.ptsMicros() - Math.round(t * 1e6 / nominalFps)) > 1_000)) {
                wrong++;
            }
        }
        double median = timings(out, name, ms);
        line(out, name + "_wrong_frames", wrong, "count");
        return median;
    }

    /** Prints the median and p95 of {@code ms} (sorted here) as {@code <name>_median_ms}, {@code <name>_p95_ms}; the median. */
    private static double timings(PrintStream out, String name, double[] ms) {
        Arrays.sort(ms);
        double median = ms[ms.length / 2];
        line(out, name + "_median_ms", median, "ms");
        line(out, name + "_p95_ms", ms[(int) Math.ceil(ms.length * 0.95) - 1], "ms");
        return median;
    }

    /** 20 s of 4K30 H.264 (x264 veryfast, B-frames, keyframe every 10 s): seeks and 1x playback. */
    private static void fourKBenchmark(PrintStream out, Path dir) throws Exception {
        Path file = dir.resolve("4k30-20s.mp4");
        int segFrames = 60;
        if (!Files.isRegularFile(file)) {
            Path seg = dir.resolve("segment-4k30-2s.mp4");
            if (!Files.isRegularFile(seg)) {
                SampleClipGenerator.Spec hd = SampleClipGenerator.hd1080(2.0);
                SampleClipGenerator.generate(new SampleClipGenerator.Spec(3840, 2160, 30, null, segFrames, "mp4",
                        hd.codec(), 30, 16_000_000, hd.scene(), hd.sampleRate(), hd.channels(), hd.tones(), 2.0), seg);
            }
            Path looped = dir.resolve("4k-source.mp4");
            SampleClipGenerator.loop(seg, 10, looped, "mp4");
            if (!x264(looped, dir.resolve("4k-encoding.mp4"), file)) {
                out.println("# 4K skipped: the system's ffmpeg with libx264 is needed to make the file");
                return;
            }
        }
        out.println("# 4K clip: 20 s 3840x2160 30 fps H.264 High (x264 veryfast, B-frames), keyframe every 10 s, " + file);
        try (MediaSource src = MediaOpener.open(file)) {
            seeks(out, "seek_4k", src, segFrames, randomTargets(src.frames().count(), 20, 99), 0);
        }
        playback(out, file, "playback_4k30");
    }

    /** A variable-frame-rate 1080p Matroska file (intervals 10-70 ms): exact seeks and playback. */
    private static void vfrBenchmark(PrintStream out, Path dir) throws Exception {
        Path file = dir.resolve("vfr-1080p.mkv");
        SampleClipGenerator.Spec vfr = SampleClipGenerator.vfr(600);
        if (!Files.isRegularFile(file)) {
            SampleClipGenerator.generate(new SampleClipGenerator.Spec(1920, 1080, vfr.fps(), vfr.frameTimesMicros(),
                    600, "matroska", vfr.codec(), 100, 4_000_000, vfr.scene(), 0, 0, java.util.List.of(), 0), file);
        }
        out.println("# VFR clip: 600 frames 1920x1080 H.264 in Matroska, intervals cycling 10/30/50/20/70 ms, " + file);
        try (MediaSource src = MediaOpener.open(file)) {
            seeks(out, "seek_vfr", src, 1 << FrameBarcode.DATA_BITS, randomTargets(src.frames().count(), 40, 99), 0);
        }
        playback(out, file, "playback_vfr");
    }

    /** Re-encodes {@code in} with the system's ffmpeg the way phones do (x264 veryfast, 10 s GOP); false without it. */
    private static boolean x264(Path in, Path tmp, Path out) throws Exception {
        Process p = new ProcessBuilder("ffmpeg", "-y", "-loglevel", "error", "-i", in.toString(), "-c:v", "libx264",
                "-preset", "veryfast", "-g", "300", "-keyint_min", "300", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
                "-c:a", "aac", tmp.toString()).inheritIO().start();
        if (p.waitFor() != 0) {
            return false;
        }
        Files.deleteIfExists(in);
        Files.move(tmp, out);
        return true;
    }

    /** Runs the OpenCV baseline on the same file and targets; its median in ms, or -1 without OpenCV. */
    private static double openCvSeekMedian(PrintStream out, Path clip, int[] targets) throws Exception {
        Path script = Files.createTempFile("ovavss-opencv-seek", ".py");
        try {
            try (var in = MediaBenchmark.class.getResourceAsStream("opencv_seek.py")) {
                Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
            String list = String.join(",", Arrays.stream(targets).mapToObj(Integer::toString).toList());
            Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), clip.toString(),
                    Integer.toString(LONGGOP_SEGMENT_FRAMES), list).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                out.println("# no OpenCV baseline (apt install python3-opencv): " + text.strip().lines().reduce((a, b) -> b).orElse(""));
                return -1;
            }
            double median = -1;
            for (String l : text.strip().split("\n")) {
                out.println(l);
                if (l.startsWith("opencv_seek_longgop_median_ms ")) {
                    median = Double.parseDouble(l.split(" ")[1]);
                }
            }
            return median;
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static void heapBenchmark(PrintStream out, Path dir) throws Exception {
        Path clip = looped(dir, "long-1080p-1h.mp4", 900);
        out.println("# long clip: 1 h, 1920x1080 H.264 25 fps (90000 frames, keyframe every 1 s) + AAC stereo 44.1 kHz;"
                + " the 4 s segment repeated 900 times by packet copy (no re-encoding); " + clip);
        try {
            long t0 = System.nanoTime();
            try (MediaSource src = MediaOpener.open(clip)) {
                line(out, "open_1h_1080p_ms", (System.nanoTime() - t0) / 1e6, "ms");
                MediaOpener.awaitAudio(src);
                line(out, "audio_decode_1h_s", (System.nanoTime() - t0) / 1e9, "s");
                int n = src.frames().count();
                Random rnd = new Random(7);
                for (int i = 0; i < 100; i++) {
                    src.frame(rnd.nextInt(n));
                }
                for (int i = 0; i < 30; i++) {
                    src.frame(n / 3 + i);
                }
                AudioTrack a = src.audio();
                float[] buf = new float[1 << 16];
                for (int i = 0; i < 100; i++) {
                    a.read(-1, (long) (rnd.nextDouble() * Math.max(1, a.length() - buf.length)), buf, 0, buf.length);
                }
                for (int i = 0; i < 3; i++) {
                    System.gc();
                    Thread.sleep(100);
                }
                Runtime rt = Runtime.getRuntime();
                double heapMb = (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
                line(out, "heap_mb_1h_1080p", heapMb, "MB");
                out.println("# of which the 16-bit audio store: "
                        + String.format(Locale.ROOT, "%.0f MB", a.length() * a.channels() * 2 / (1024.0 * 1024.0)));
            }
        } finally {
            // About 0.9 GB: rebuilt by packet copy in seconds, not worth keeping in the temp dir.
            Files.deleteIfExists(clip);
        }
    }

    private static void line(PrintStream out, String name, double value, String unit) {
        out.println(String.format(Locale.ROOT, "%s %.2f %s", name, value, unit));
    }
}
