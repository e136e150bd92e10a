package ovavss.studio.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import ovavss.studio.app.InstallFiles;
import ovavss.studio.task.Cancellation;
import ovavss.studio.audio.PcmBuffer;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.model.BundleManifest;
import ovavss.studio.model.ClipAnalysis;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.KeyframeSource;
import ovavss.studio.model.LiveVocabulary;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.model.WindowAnalysis;
import ovavss.studio.model.WindowGeometry;

/**
 * {@code bench inference}: full-pipeline clips/s (decode-side preparation, model, host
 * post-processing, relabel) and bare segmenter+audio forward clips/s in the same run, their
 * ratio, CLIP image crops/s, {@code relabel_ms} on an hour of cached keyframes, and native
 * arrays/RSS before and after many windows.
 *
 * <p>Bundle: {@code -Dovavss.bench.bundle=<dir>}, else {@code models/demo-avshapes}, else the tiny
 * random test bundle. Clip: generated 640×360 frames with moving squares and a tone, 10
 * keyframes (2 windows). {@code -Dovavss.bench.clips} (default 6) and
 * {@code -Dovavss.bench.windows} (soak windows, default 1000; RSS is printed every 100) scale the run.
 */
public final class InferenceBenchmark implements Benchmark {
    @Override
    public String name() {
        return "inference";
    }

    private static Path bundleDir() {
        String p = System.getProperty("ovavss.bench.bundle");
        if (p != null) {
            return Path.of(p);
        }
        Path demo = InstallFiles.find("models/demo-avshapes");
        return Files.isRegularFile(demo.resolve("bundle.json")) ? demo : Path.of("src/test/resources/bundles/tiny");
    }

    static KeyframeSource syntheticClip(int keyframes, int width, int height) {
        return new KeyframeSource() {
            @Override
            public int keyframeCount() {
                return keyframes;
            }

            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public int[] keyframe(int k) {
                int[] px = new int[width * height];
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        boolean sq = Math.abs(x - width / 3 - 8 * k) < height / 5 && Math.abs(y - height / 2) < height / 5;
                        px[y * width + x] = sq ? 0xFF2040E0 : 0xFF000000 | ((x * 255 / width) << 16) | (y * 255 / height);
                    }
                }
                return px;
            }

            @Override
            public PcmSource audio() {
                float[] s = new float[16000 * keyframes];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
                }
                return new PcmBuffer(16000, s);
            }

            @Override
            public void close() {
            }
        };
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }

    @Override
    public void run(PrintStream out) throws Exception {
        int clips = Integer.getInteger("ovavss.bench.clips", 6);
        int soakWindows = Integer.getInteger("ovavss.bench.windows", 1000);
        Path dir = bundleDir();
        System.err.println("inference benchmark on bundle " + dir);
        try (ModelBundle bundle = ModelBundle.load(dir, DevicePreference.AUTO);
             InferenceService service = new InferenceService(bundle)) {
            BundleManifest m = bundle.manifest();
            out.println("device " + bundle.deviceName().replace(' ', '_') + " -");
            out.println("decode_threads " + service.decodeThreads() + " threads");
            int w = 640;
            int h = 360;
            WindowGeometry g = m.geometry(h, w);
            service.warmUp(g.paddedHeight(), g.paddedWidth());
            List<String> names = m.defaultVocabulary();
            PostProcessSettings s = service.settings();
            service.vocabulary().textEmbeddings(names);

            // full pipeline as `predict` runs it: 10-keyframe clips (2 windows each) with as many
            // clips prepared ahead as there are decode threads, then relabel; and clip by clip first,
            // as a baseline for the lookahead
            long q0 = System.nanoTime();
            for (int c = 0; c < clips; c++) {
                ClipAnalysis a = service.analyse(() -> syntheticClip(10, w, h), x -> { }, p -> { }, new Cancellation())
                        .get();
                service.vocabulary().relabel(a, names, s);
            }
            double sequentialS = (System.nanoTime() - q0) / 1e9;
            InferenceService.StageTimes before = service.stageTimes();
            List<KeyframeSource.Opener> openers = new ArrayList<>();
            for (int c = 0; c < clips; c++) {
                openers.add(() -> syntheticClip(10, w, h));
            }
            long t0 = System.nanoTime();
            service.analyseInOrder(openers, service.decodeThreads(), new Cancellation(), (i, a, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException("benchmark clip failed", failure);
                }
                service.vocabulary().relabel(a, names, s);
            });
            double pipelineS = (System.nanoTime() - t0) / 1e9;
            InferenceService.StageTimes st = service.stageTimes().minus(before);
            out.printf(Locale.ROOT, "stage_prepare_ms_per_window %.1f ms%n", st.prepareMs() / st.windows());
            out.printf(Locale.ROOT, "stage_wait_ms_per_window %.1f ms%n", st.waitMs() / st.windows());
            out.printf(Locale.ROOT, "stage_model_ms_per_window %.1f ms%n", st.modelMs() / st.windows());
            out.printf(Locale.ROOT, "stage_post_ms_per_window %.1f ms%n", st.postMs() / st.windows());
            double pipelineClips = clips / pipelineS;
            out.printf(Locale.ROOT, "pipeline_sequential_clips_per_s %.3f clips/s%n", clips / sequentialS);

            // bare forward (audio encoder + segmenter) on the same shapes, same number of windows
            float[] padded = new float[m.framesPerClip() * 3 * g.paddedHeight() * g.paddedWidth()];
            float[] logMel = new float[m.framesPerClip() * 96 * 64];
            Random r = new Random(1);
            for (int i = 0; i < padded.length; i++) {
                padded[i] = (float) r.nextGaussian();
            }
            long fwd = 0;
            for (long i = 0; i < st.windows(); i++) {
                fwd += service.forwardNanos(padded, g.paddedHeight(), g.paddedWidth(), logMel);
            }
            double forwardClips = clips / (fwd / 1e9);
            out.printf(Locale.ROOT, "pipeline_clips_per_s %.3f clips/s%n", pipelineClips);
            out.printf(Locale.ROOT, "forward_clips_per_s %.3f clips/s%n", forwardClips);
            out.printf(Locale.ROOT, "pipeline_vs_forward_ratio %.3f x%n", pipelineClips / forwardClips);
            out.printf(Locale.ROOT, "input_size %dx%d_padded_%dx%d -%n", g.width(), g.height(), g.paddedWidth(),
                    g.paddedHeight());

            // CLIP image crops/s
            int rr = m.clipInputSize();
            int k = 64;
            float[] crops = new float[k * 3 * rr * rr];
            for (int i = 0; i < crops.length; i++) {
                crops[i] = (float) r.nextGaussian();
            }
            service.encodeImages(crops, k);
            long c0 = System.nanoTime();
            int reps = 5;
            for (int i = 0; i < reps; i++) {
                service.encodeImages(crops, k);
            }
            out.printf(Locale.ROOT, "clip_crops_per_s %.1f crops/s%n", reps * k / ((System.nanoTime() - c0) / 1e9));

            // text embedding of a new name (prompt ensemble through the text graph)
            long e0 = System.nanoTime();
            service.vocabulary().textEmbeddings(List.of("a never seen name " + System.nanoTime()));
            out.printf(Locale.ROOT, "text_embed_ms_per_name %.2f ms%n", (System.nanoTime() - e0) / 1e6);

            // native memory over many windows
            int arrays0 = service.nativeArrayCount();
            System.gc();
            long rss0 = rssKb();
            int done = 0;
            int nextSample = 0;
            // RSS every 100 windows: a leak climbs steadily, while allocator arenas and caches
            // settle; the second half's growth tells the two apart
            List<Long> rssSamples = new ArrayList<>();
            while (done < soakWindows) {
                ClipAnalysis a = service.analyse(() -> syntheticClip(10, w, h), x -> { }, p -> { }, new Cancellation())
                        .get();
                done += a.windows().size();
                if (done >= nextSample) {
                    long kb = rssKb();
                    rssSamples.add(kb);
                    out.printf(Locale.ROOT, "soak_rss_at_%d_windows %.1f MiB%n", done, kb / 1024.0);
                    nextSample += 100;
                }
            }
            System.gc();
            long rss1 = rssKb();
            long mid = rssSamples.get(rssSamples.size() / 2);
            long last = rssSamples.get(rssSamples.size() - 1);
            out.printf(Locale.ROOT, "soak_rss_growth_first_half %.1f MiB%n", (mid - rssSamples.get(0)) / 1024.0);
            out.printf(Locale.ROOT, "soak_rss_growth_second_half %.1f MiB%n", (last - mid) / 1024.0);
            out.printf(Locale.ROOT, "soak_windows %d windows%n", done);
            out.printf(Locale.ROOT, "native_arrays_before %d arrays%n", arrays0);
            out.printf(Locale.ROOT, "native_arrays_after %d arrays%n", service.nativeArrayCount());
            out.printf(Locale.ROOT, "rss_before %.1f MiB%n", rss0 / 1024.0);
            out.printf(Locale.ROOT, "rss_after %.1f MiB%n", rss1 / 1024.0);
            relabelHour(out, m.clipEmbeddingDim(), names.size(), s);
        }
    }

    /**
     * relabel_ms on an hour of cached keyframes (3600 keyframes = 720 windows with 20 valid
     * queries each, D from the bundle): a fresh vocabulary of V names, then adding one name.
     * Text embeddings are synthetic here (their model cost is {@code text_embed_ms_per_name}).
     */
    static void relabelHour(PrintStream out, int d, int v, PostProcessSettings s) {
        int windows = 720;
        int m = 20;
        Random r = new Random(2);
        ClipAnalysis clip = new ClipAnalysis(windows * 5);
        WindowGeometry g = WindowGeometry.of(5, 360, 640, 360, 1333, 32);
        for (int w = 0; w < windows; w++) {
            float[] mean = new float[m * d];
            for (int i = 0; i < mean.length; i++) {
                mean[i] = (float) r.nextGaussian();
            }
            int[] queries = new int[m];
            boolean[][] valid = new boolean[m][5];
            for (int i = 0; i < m; i++) {
                queries[i] = i * 5;
                java.util.Arrays.fill(valid[i], true);
            }
            clip.add(new WindowAnalysis(w, w * 5, 5, g, new float[100], queries, valid, mean, d, new float[0],
                    new float[m][0]));
        }
        LiveVocabulary lv = new LiveVocabulary(names -> {
            float[][] e = new float[names.size()][d];
            for (float[] row : e) {
                for (int j = 0; j < d; j++) {
                    row[j] = (float) r.nextGaussian();
                }
            }
            return e;
        });
        List<String> vocab = new ArrayList<>();
        for (int i = 0; i < v; i++) {
            vocab.add("name " + i);
        }
        for (int i = 0; i < 3; i++) {
            lv.relabel(clip, vocab, s); // JIT warm-up
        }
        vocab.replaceAll(n -> n + " fresh");
        long t0 = System.nanoTime();
        lv.relabel(clip, vocab, s);
        double fresh = (System.nanoTime() - t0) / 1e6;
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            vocab.add("added " + rep);
            long t1 = System.nanoTime();
            lv.relabel(clip, vocab, s);
            best = Math.min(best, (System.nanoTime() - t1) / 1e6);
        }
        out.printf(Locale.ROOT, "relabel_ms %.1f ms%n", best);
        out.printf(Locale.ROOT, "relabel_fresh_vocabulary_ms %.1f ms%n", fresh);
        out.printf(Locale.ROOT, "relabel_hour_windows %d windows%n", windows);
        out.printf(Locale.ROOT, "relabel_vocabulary_size %d names%n", vocab.size());
        out.printf(Locale.ROOT, "relabel_embedding_dim %d -%n", d);
    }
}
