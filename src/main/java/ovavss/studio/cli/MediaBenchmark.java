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
        seekBenchmark(out, dir);
        heapBenchmark(out, dir);
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
            Arrays.sort(ms);
            line(out, "seek_median_ms", ms[SEEKS / 2], "ms");
            line(out, "seek_p95_ms", ms[(int) Math.ceil(SEEKS * 0.95) - 1], "ms");
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
