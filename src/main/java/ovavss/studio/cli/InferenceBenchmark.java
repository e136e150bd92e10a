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
import ovavss.studio.model.Labelling;
import ovavss.studio.model.LiveVocabulary;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.model.Precision;
import ovavss.studio.model.WindowAnalysis;
import ovavss.studio.model.WindowGeometry;

/**
 * {@code bench inference}: full-pipeline clips/s (decode-side preparation, model, host
 * post-processing, relabel) and the bare model forward clips/s in the same run (audio encoder +
 * segmenter + CLIP image encoder on the pipeline's crops per window; also without CLIP), their
 * ratio, CLIP image crops/s, {@code relabel_ms} on an hour of cached keyframes, and native
 * arrays/RSS before and after many windows.
 *
 * <p>Bundle: {@code -Dovavss.bench.bundle=<dir>}, else {@code models/demo-avshapes}, else the tiny
 * random test bundle. Clip: generated 640×360 frames with moving squares and a tone, 10
 * keyframes (2 windows). {@code -Dovavss.bench.clips} (default 6) and
 * {@code -Dovavss.bench.windows} (soak windows, default 1000; RSS, and the GPU memory in use on a
 * GPU, are printed every 100) scale the run; {@code -Dovavss.bench.soakSeconds} ends the soak
 * early (after at least one clip; {@code soak_windows} says how many ran).
 *
 * <p>{@code -Dovavss.bench.precision=fp32|fp16} (default fp32) picks the bundle's graphs (fp16 on a
 * CPU runs fp32 with a warning, see {@link ModelBundle#load(Path, DevicePreference, Precision)});
 * with {@code -Dovavss.bench.agreement=true} an fp16 run also loads the fp32 graphs on the same
 * device and prints how often the two label the same ({@code fp16_label_agreement},
 * {@code fp16_mask_iou}, see {@link Agreement}).
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
        return syntheticClip(keyframes, width, height, 0);
    }

    /**
     * Clip {@code variant} of the generated ones: variant 0 is the benchmark's clip; others move
     * the square from elsewhere and change the tone, so a comparison over several clips does not
     * see one clip several times.
     */
    static KeyframeSource syntheticClip(int keyframes, int width, int height, int variant) {
        int startX = width / 3 + variant * width / 7 % (width / 2);
        double hz = 440 * Math.pow(2, variant / 4.0);
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
                        boolean sq = Math.abs(x - startX - 8 * k) < height / 5 && Math.abs(y - height / 2) < height / 5;
                        px[y * width + x] = sq ? 0xFF2040E0 : 0xFF000000 | ((x * 255 / width) << 16) | (y * 255 / height);
                    }
                }
                return px;
            }

            @Override
            public PcmSource audio() {
                float[] s = new float[16000 * keyframes];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000.0));
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

    /** {@code -Dovavss.bench.precision}, fp32 when unset. */
    private static Precision precision() {
        String p = System.getProperty("ovavss.bench.precision", "fp32");
        try {
            return Precision.parse(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-Dovavss.bench.precision: " + e.getMessage(), e);
        }
    }

    /** {@code -Dovavss.bench.soakSeconds} in nanoseconds, unbounded when unset. */
    private static long soakNanos() {
        String v = System.getProperty("ovavss.bench.soakSeconds");
        if (v == null) {
            return Long.MAX_VALUE;
        }
        try {
            double s = Double.parseDouble(v);
            if (s > 0 && s < 1e9) {
                return (long) (s * 1e9);
            }
        } catch (NumberFormatException ignored) {
            // the message below
        }
        throw new IllegalArgumentException("-Dovavss.bench.soakSeconds: '" + v + "' is not a number of seconds > 0");
    }

    @Override
    public void run(PrintStream out) throws Exception {
        int clips = Integer.getInteger("ovavss.bench.clips", 6);
        int soakWindows = Integer.getInteger("ovavss.bench.windows", 1000);
        // a time box for the soak, so that a run on lent GPU time still ends with its figures (a
        // full-size bundle with random weights crops every query: seconds per window on a CPU)
        long soakNanos = soakNanos();
        Precision requested = precision();
        boolean agreement = Boolean.getBoolean("ovavss.bench.agreement");
        Path dir = bundleDir();
        System.err.println("inference benchmark on bundle " + dir);
        try (ModelBundle bundle = ModelBundle.load(dir, DevicePreference.AUTO, requested);
             InferenceService service = new InferenceService(bundle)) {
            BundleManifest m = bundle.manifest();
            bundle.precisionNote().ifPresent(note -> WarningLines.print(System.err, List.of(note)));
            out.println("device " + bundle.deviceName().replace(' ', '_') + " -");
            out.println("precision " + bundle.precision().id() + " -");
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
            // queries with a valid mask decide how many CLIP crops the post stage encodes: the figure
            // to compare with official_pipeline.py's official_valid_queries_per_window
            long[] validQueries = new long[2];
            service.analyseInOrder(openers, service.decodeThreads(), new Cancellation(), (i, a, failure) -> {
                if (failure != null) {
                    throw new IllegalStateException("benchmark clip failed", failure);
                }
                for (WindowAnalysis wa : a.windows()) {
                    validQueries[0] += wa.validQueries();
                    validQueries[1] += wa.embeddingDim() == 0 ? 0 : wa.cropEmbeddings().length / wa.embeddingDim();
                }
                service.vocabulary().relabel(a, names, s);
            });
            double pipelineS = (System.nanoTime() - t0) / 1e9;
            InferenceService.StageTimes st = service.stageTimes().minus(before);
            out.printf(Locale.ROOT, "stage_prepare_ms_per_window %.1f ms%n", st.prepareMs() / st.windows());
            out.printf(Locale.ROOT, "stage_wait_ms_per_window %.1f ms%n", st.waitMs() / st.windows());
            out.printf(Locale.ROOT, "stage_model_ms_per_window %.1f ms%n", st.modelMs() / st.windows());
            out.printf(Locale.ROOT, "stage_post_ms_per_window %.1f ms%n", st.postMs() / st.windows());
            // the post stage split: CLIP on the crops, and the host work around it (upsampling,
            // boxes, cutting crops on the inference thread and its helpers)
            out.printf(Locale.ROOT, "stage_post_clip_ms_per_window %.1f ms%n", st.postClipMs() / st.windows());
            out.printf(Locale.ROOT, "stage_post_host_ms_per_window %.1f ms%n",
                    (st.postMs() - st.postClipMs()) / st.windows());
            out.printf(Locale.ROOT, "valid_queries_per_window %.1f queries%n", (double) validQueries[0] / st.windows());
            out.printf(Locale.ROOT, "clip_crops_per_window %.1f crops%n", (double) validQueries[1] / st.windows());
            double pipelineClips = clips / pipelineS;
            out.printf(Locale.ROOT, "pipeline_sequential_clips_per_s %.4f clips/s%n", clips / sequentialS);

            // bare forward on the same shapes and number of windows: audio encoder + segmenter, then
            // the CLIP image encoder on as many (random) crops as the pipeline's windows had on
            // average, as the official model's forward runs CLIP over its valid masks; the
            // segmenter-only figure is the forward of the 2026-11-23 GPU figures
            Random r = new Random(1);
            float[] padded = gaussian(r, m.framesPerClip() * 3 * g.paddedHeight() * g.paddedWidth());
            float[] logMel = new float[m.framesPerClip() * 96 * 64];
            int rr = m.clipInputSize();
            int cropsPerWindow = (int) Math.round((double) validQueries[1] / st.windows());
            float[] windowCrops = gaussian(r, cropsPerWindow * 3 * rr * rr);
            long segmenterNanos = 0;
            long clipNanos = 0;
            for (long i = 0; i < st.windows(); i++) {
                long[] ns = service.forwardNanos(padded, g.paddedHeight(), g.paddedWidth(), logMel, windowCrops,
                        cropsPerWindow);
                segmenterNanos += ns[0];
                clipNanos += ns[1];
            }
            double forwardClips = clips / ((segmenterNanos + clipNanos) / 1e9);
            double segmenterClips = clips / (segmenterNanos / 1e9);
            out.printf(Locale.ROOT, "pipeline_clips_per_s %.4f clips/s%n", pipelineClips);
            out.printf(Locale.ROOT, "forward_clips_per_s %.4f clips/s%n", forwardClips);
            out.printf(Locale.ROOT, "pipeline_vs_forward_ratio %.3f x%n", pipelineClips / forwardClips);
            out.printf(Locale.ROOT, "forward_segmenter_ms_per_window %.1f ms%n", segmenterNanos / 1e6 / st.windows());
            out.printf(Locale.ROOT, "forward_clip_ms_per_window %.1f ms%n", clipNanos / 1e6 / st.windows());
            out.printf(Locale.ROOT, "forward_segmenter_clips_per_s %.4f clips/s%n", segmenterClips);
            out.printf(Locale.ROOT, "pipeline_vs_segmenter_forward_ratio %.3f x%n", pipelineClips / segmenterClips);
            out.printf(Locale.ROOT, "input_size %dx%d_padded_%dx%d -%n", g.width(), g.height(), g.paddedWidth(),
                    g.paddedHeight());

            // CLIP image crops/s
            int k = 64;
            float[] crops = gaussian(r, k * 3 * rr * rr);
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
            // on a GPU the device memory too (CUDA's figure for the whole device; nothing on a CPU)
            List<Long> gpuSamples = new ArrayList<>();
            long soak0 = System.nanoTime();
            while (done < soakWindows && (done == 0 || System.nanoTime() - soak0 < soakNanos)) {
                ClipAnalysis a = service.analyse(() -> syntheticClip(10, w, h), x -> { }, p -> { }, new Cancellation())
                        .get();
                done += a.windows().size();
                if (done >= nextSample) {
                    long kb = rssKb();
                    rssSamples.add(kb);
                    out.printf(Locale.ROOT, "soak_rss_at_%d_windows %.1f MiB%n", done, kb / 1024.0);
                    bundle.gpuMemoryUsedBytes().ifPresent(bytes -> {
                        gpuSamples.add(bytes);
                        out.printf(Locale.ROOT, "gpu_memory_used_mib %.1f MiB%n", bytes / MIB);
                    });
                    nextSample += 100;
                }
            }
            System.gc();
            long rss1 = rssKb();
            long mid = rssSamples.get(rssSamples.size() / 2);
            long last = rssSamples.get(rssSamples.size() - 1);
            out.printf(Locale.ROOT, "soak_rss_growth_first_half %.1f MiB%n", (mid - rssSamples.get(0)) / 1024.0);
            out.printf(Locale.ROOT, "soak_rss_growth_second_half %.1f MiB%n", (last - mid) / 1024.0);
            if (!gpuSamples.isEmpty()) {
                out.printf(Locale.ROOT, "gpu_memory_growth_second_half %.1f MiB%n",
                        (gpuSamples.get(gpuSamples.size() - 1) - gpuSamples.get(gpuSamples.size() / 2)) / MIB);
            }
            out.printf(Locale.ROOT, "soak_windows %d windows%n", done);
            out.printf(Locale.ROOT, "native_arrays_before %d arrays%n", arrays0);
            out.printf(Locale.ROOT, "native_arrays_after %d arrays%n", service.nativeArrayCount());
            out.printf(Locale.ROOT, "rss_before %.1f MiB%n", rss0 / 1024.0);
            out.printf(Locale.ROOT, "rss_after %.1f MiB%n", rss1 / 1024.0);
            relabelHour(out, m.clipEmbeddingDim(), names.size(), s);
            if (agreement) {
                if (bundle.precision() == Precision.FP16) {
                    fp16Agreement(out, service, clips, w, h);
                } else {
                    System.err.println("warning: no fp16 label agreement: the run is at "
                            + bundle.precision().id());
                }
            }
        }
    }

    private static final double MIB = 1024.0 * 1024.0;

    /** n standard-normal floats, drawn in order from {@code r} (synthetic inputs and embeddings). */
    private static float[] gaussian(Random r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    /**
     * fp16 against fp32 on {@code clips} generated clips (variants 0..clips-1, 10 keyframes each),
     * labelled with the bundle's default vocabulary as {@code predict} labels them: the fp32 graphs
     * of the same bundle are loaded on the same device next to the fp16 ones.
     */
    private static void fp16Agreement(PrintStream out, InferenceService fp16, int clips, int w, int h)
            throws Exception {
        ModelBundle b16 = fp16.bundle();
        List<String> names = b16.manifest().defaultVocabulary();
        PostProcessSettings s = fp16.settings();
        Agreement agreement = new Agreement();
        try (ModelBundle b32 = ModelBundle.load(b16.dir(), b16.onGpu() ? DevicePreference.GPU : DevicePreference.CPU,
                Precision.FP32); InferenceService fp32 = new InferenceService(b32)) {
            for (int c = 0; c < clips; c++) {
                int variant = c;
                Labelling l16 = labelled(fp16, () -> syntheticClip(10, w, h, variant), names, s);
                Labelling l32 = labelled(fp32, () -> syntheticClip(10, w, h, variant), names, s);
                agreement.add(l16, l32);
            }
        }
        out.printf(Locale.ROOT, "fp16_label_agreement %.4f -%n", agreement.labelAgreement());
        out.printf(Locale.ROOT, "fp16_mask_iou %.4f -%n", agreement.meanMaskIou());
        out.printf(Locale.ROOT, "fp16_agreement_keyframes %d keyframes%n", agreement.keyframes());
    }

    private static Labelling labelled(InferenceService service, KeyframeSource.Opener clip, List<String> names,
                                      PostProcessSettings s) throws Exception {
        ClipAnalysis a = service.analyse(clip, x -> { }, p -> { }, new Cancellation()).get();
        return service.vocabulary().relabel(a, names, s);
    }

    /**
     * How alike two labellings of the same clips are, keyframe by keyframe, on the label maps
     * {@code predict} writes ({@link Labelling#labelMaps}: per pixel the class of the object that
     * won it, 0 for background):
     * <ul>
     * <li>label agreement: the share of keyframes whose set of classes present in the map is the
     *     same in both (which sounding objects were found and what they were called; the figure
     *     {@code packaging/gpu/compare_labels.py} computes from predict's PNGs);</li>
     * <li>mask IoU: the mean over keyframes of the IoU of the two union masks (every labelled
     *     pixel, whatever its class); a keyframe where both are empty counts 1.</li>
     * </ul>
     */
    static final class Agreement {
        private int keyframes;
        private int sameLabels;
        private double iouSum;

        /** Adds every real keyframe of two labellings of the same analysis windows. */
        void add(Labelling a, Labelling b) {
            if (a.windowCount() != b.windowCount()) {
                throw new IllegalStateException("the labellings cover " + a.windowCount() + " and "
                        + b.windowCount() + " windows");
            }
            for (int w = 0; w < a.windowCount(); w++) {
                int[][] ma = a.labelMaps(w);
                int[][] mb = b.labelMaps(w);
                for (int f = 0; f < a.window(w).realFrames(); f++) {
                    add(ma[f], mb[f]);
                }
            }
        }

        /** Adds one keyframe's label maps (same size). */
        void add(int[] a, int[] b) {
            if (a.length != b.length) {
                throw new IllegalArgumentException("label maps of " + a.length + " and " + b.length + " pixels");
            }
            java.util.BitSet classesA = new java.util.BitSet();
            java.util.BitSet classesB = new java.util.BitSet();
            long both = 0;
            long either = 0;
            for (int i = 0; i < a.length; i++) {
                classesA.set(a[i]);
                classesB.set(b[i]);
                both += a[i] != 0 && b[i] != 0 ? 1 : 0;
                either += a[i] != 0 || b[i] != 0 ? 1 : 0;
            }
            classesA.clear(0);
            classesB.clear(0);
            keyframes++;
            sameLabels += classesA.equals(classesB) ? 1 : 0;
            iouSum += either == 0 ? 1.0 : (double) both / either;
        }

        int keyframes() {
            return keyframes;
        }

        /** Keyframes with the same classes present / keyframes (NaN for none). */
        double labelAgreement() {
            return keyframes == 0 ? Double.NaN : (double) sameLabels / keyframes;
        }

        /** Mean IoU of the union masks over keyframes (NaN for none). */
        double meanMaskIou() {
            return keyframes == 0 ? Double.NaN : iouSum / keyframes;
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
            float[] mean = gaussian(r, m * d);
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
            float[][] e = new float[names.size()][];
            for (int i = 0; i < e.length; i++) {
                e[i] = gaussian(r, d);
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
