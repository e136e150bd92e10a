package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.LatestProgress;
import ovavss.studio.audio.PcmBuffer;
import ovavss.studio.pcm.PcmSource;

/** The service end to end on the tiny bundle with generated frames and audio. */
class InferenceServiceTest {
    private static ModelBundle bundle;
    private static InferenceService service;

    @BeforeAll
    static void start() throws Exception {
        bundle = ModelBundle.load(ModelBundleTest.TINY, DevicePreference.CPU);
        service = new InferenceService(bundle);
    }

    @AfterAll
    static void stop() {
        service.close();
        bundle.close();
    }

    /** Moving coloured squares over a gradient, with a tone; {@code keyframes} frames of 90×60. */
    static KeyframeSource synthetic(int keyframes, List<String> threads) {
        return new KeyframeSource() {
            @Override
            public int keyframeCount() {
                return keyframes;
            }

            @Override
            public int width() {
                return 90;
            }

            @Override
            public int height() {
                return 60;
            }

            @Override
            public int[] keyframe(int k) {
                threads.add(Thread.currentThread().getName());
                int[] px = new int[90 * 60];
                for (int y = 0; y < 60; y++) {
                    for (int x = 0; x < 90; x++) {
                        boolean sq = x >= 10 + 3 * k && x < 40 + 3 * k && y >= 15 && y < 45;
                        px[y * 90 + x] = sq ? 0xFFE02020 : 0xFF000000 | (x * 2) << 8 | (y * 3);
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

    @Test
    void streamsWindowsAndPadsTheLast() throws Exception {
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        List<WindowAnalysis> seen = Collections.synchronizedList(new ArrayList<>());
        LatestProgress progress = new LatestProgress();
        ClipAnalysis clip = service.analyse(() -> synthetic(12, threads), seen::add, progress, new Cancellation())
                .get(60, TimeUnit.SECONDS);
        assertEquals(3, clip.windows().size());
        assertEquals(3, seen.size());
        assertEquals(2, clip.windows().get(2).realFrames(), "12 keyframes = 5 + 5 + 2 real");
        assertEquals(10, clip.windows().get(2).firstKeyframe());
        assertEquals(3, progress.get().done());
        assertEquals(3, progress.get().total());
        assertTrue(!threads.isEmpty() && threads.stream().allMatch(n -> n.startsWith("ovavss-decode-")),
                "decoding on the decode threads: " + threads);
        for (WindowAnalysis w : clip.windows()) {
            for (boolean[] vf : w.validFrames()) {
                for (int f = w.realFrames(); f < vf.length; f++) {
                    assertFalse(vf[f], "padding frames never yield objects");
                }
            }
        }
    }

    @Test
    void cancelBetweenWindowsKeepsDeliveredWindows() throws Exception {
        Cancellation cancel = new Cancellation();
        AtomicInteger delivered = new AtomicInteger();
        CompletableFuture<ClipAnalysis> f = service.analyse(() -> synthetic(40, new ArrayList<>()), w -> {
            delivered.incrementAndGet();
            cancel.cancel();
        }, p -> { }, cancel);
        assertThrows(CancellationException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertTrue(f.isCompletedExceptionally());
        assertEquals(1, delivered.get());
        // the service is still usable afterwards
        ClipAnalysis again = service.analyse(() -> synthetic(5, new ArrayList<>()), w -> { }, p -> { },
                new Cancellation()).get(60, TimeUnit.SECONDS);
        assertEquals(1, again.windows().size());
    }

    @Test
    void manyClipsComeInOrderWithTheNextOneOpenedAheadAndFailuresReported() throws Exception {
        java.util.concurrent.CountDownLatch secondOpened = new java.util.concurrent.CountDownLatch(1);
        List<KeyframeSource.Opener> clips = new ArrayList<>();
        int[] sizes = {7, 5, 0, 10};
        for (int c = 0; c < sizes.length; c++) {
            int id = c;
            clips.add(() -> {
                if (id == 1) {
                    secondOpened.countDown();
                }
                return synthetic(sizes[id], new ArrayList<>());
            });
        }
        List<Integer> windows = new ArrayList<>();
        service.analyseInOrder(clips, 1, new Cancellation(), (i, a, failure) -> {
            if (i == 0) {
                // one clip of lookahead: clip 1 gets opened while clip 0 is still being handed out
                // (clip by clip, it would only be opened after this callback returns)
                assertTrue(secondOpened.await(30, TimeUnit.SECONDS), "clip 1 opened ahead");
            }
            if (i == 2) {
                assertNull(a);
                assertTrue(failure.getMessage().contains("no keyframes"), failure.getMessage());
            } else {
                assertNull(failure);
                windows.add(a.windows().size());
            }
        });
        assertEquals(List.of(2, 1, 2), windows, "results in input order; the failed clip does not stop the rest");
    }

    @Test
    void severalDecodeThreadsPrepareClipsAtOnce() throws Exception {
        java.util.concurrent.CountDownLatch thirdOpened = new java.util.concurrent.CountDownLatch(1);
        List<KeyframeSource.Opener> clips = List.of(
                () -> synthetic(5, new ArrayList<>()),
                () -> {
                    // only opens once clip 2 is being prepared at the same time, on another thread
                    if (!thirdOpened.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("clip 2 was never prepared alongside clip 1");
                    }
                    return synthetic(5, new ArrayList<>());
                },
                () -> {
                    thirdOpened.countDown();
                    return synthetic(5, new ArrayList<>());
                });
        List<Throwable> failures = new ArrayList<>();
        try (InferenceService two = new InferenceService(bundle, 2)) {
            assertEquals(2, two.decodeThreads());
            two.analyseInOrder(clips, two.decodeThreads(), new Cancellation(), (i, a, failure) -> {
                if (failure != null) {
                    failures.add(failure);
                }
            });
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void aThrowingConsumerStopsTheClipsStartedAhead() {
        AtomicInteger opened = new AtomicInteger();
        List<KeyframeSource.Opener> clips = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            clips.add(() -> {
                opened.incrementAndGet();
                return synthetic(40, new ArrayList<>());
            });
        }
        Cancellation cancel = new Cancellation();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> service.analyseInOrder(clips, 2, cancel, (i, a, failure) -> {
                    throw new IllegalStateException("disk full");
                }));
        assertEquals("disk full", e.getMessage());
        assertTrue(cancel.isCancelled());
        assertTrue(opened.get() <= 3, "at most the clip handed out and two ahead were started: " + opened.get());
    }

    @Test
    void badSourceFailsWithMessage() {
        CompletableFuture<ClipAnalysis> f = service.analyse(() -> synthetic(0, new ArrayList<>()), w -> { },
                p -> { }, new Cancellation());
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no keyframes"), e.getCause().getMessage());
    }

    @Test
    void relabelComputesOnlyNewNamesAndMatchesDirectScoring() throws Exception {
        ClipAnalysis clip = service.analyse(() -> synthetic(10, new ArrayList<>()), w -> { }, p -> { },
                new Cancellation()).get(60, TimeUnit.SECONDS);
        LiveVocabulary lv = service.vocabulary();
        PostProcessSettings s = service.settings().withScoreThreshold(0f);
        List<String> v1 = List.of("red circle", "blue square", "green triangle");
        int before = lv.cachedNames();
        Labelling l1 = lv.relabel(clip, v1, s);
        assertTrue(lv.cachedNames() <= before + 3);
        int afterFirst = lv.cachedNames();
        List<String> v2 = List.of("red circle", "blue square", "green triangle", "purple hexagon");
        Labelling l2 = lv.relabel(clip, v2, s);
        assertEquals(afterFirst + 1, lv.cachedNames(), "only the new name is encoded");
        assertFalse(l1.allObjects().isEmpty(), "threshold 0 keeps the top-k");
        // the cached-column path equals direct scoring with freshly computed text embeddings
        float[][] text = lv.textEmbeddings(v2);
        float[] flat = new float[4 * text[0].length];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(text[i], 0, flat, i * text[0].length, text[0].length);
        }
        for (int w = 0; w < l2.windowCount(); w++) {
            List<WindowPostProcessor.Kept> direct = WindowPostProcessor.pick(l2.window(w), flat, 4, s);
            List<ObjectPrediction> objs = l2.objects(w);
            assertEquals(direct.size(), objs.size());
            for (int i = 0; i < direct.size(); i++) {
                assertEquals(direct.get(i).query(), objs.get(i).query());
                assertEquals(direct.get(i).classIndex(), objs.get(i).classIndex());
                assertEquals(direct.get(i).score(), objs.get(i).score(), 1e-5);
                assertEquals(v2.get(objs.get(i).classIndex()), objs.get(i).label());
            }
            int[][] maps = l2.labelMaps(w);
            assertEquals(5, maps.length);
            assertEquals(90 * 60, maps[0].length);
        }
    }

    @Test
    void aBaseCalibrationLowersTheBaseNamesLogitsBeforeTheSoftmax() throws Exception {
        ClipAnalysis clip = service.analyse(() -> synthetic(10, new ArrayList<>()), w -> { }, p -> { },
                new Cancellation()).get(60, TimeUnit.SECONDS);
        LiveVocabulary lv = service.vocabulary();
        PostProcessSettings plain = service.settings().withScoreThreshold(0f);
        List<String> names = List.of("red circle", "blue square", "green triangle", "purple hexagon");
        // "Red-Circle" and "blue_square" are the names the bundle was trained on, as a user may type them
        NameCalibration gamma = NameCalibration.of(0.5f, List.of("Red-Circle", "blue_square"));
        PostProcessSettings calibrated = new PostProcessSettings(plain.validMaskProb(), plain.topK(),
                plain.scoreThreshold(), plain.maskLogitThreshold(), plain.clipInputSize(), plain.temperature(),
                plain.clipMean(), plain.clipStd(), plain.soundGate(), gamma);
        Labelling without = lv.relabel(clip, names, plain);
        Labelling with = lv.relabel(clip, names, calibrated);
        float[][] text = lv.textEmbeddings(names);
        int d = text[0].length;
        float[] flat = new float[4 * d];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(text[i], 0, flat, i * d, d);
        }
        boolean changed = false;
        for (int w = 0; w < with.windowCount(); w++) {
            WindowAnalysis a = with.window(w);
            float[] logits = ClipScoring.logits(a.meanEmbedding(), a.validQueries(), flat, 4, d, plain.temperature());
            for (int i = 0; i < a.validQueries(); i++) {
                logits[i * 4] -= plain.temperature() * 0.5f;
                logits[i * 4 + 1] -= plain.temperature() * 0.5f;
            }
            List<WindowPostProcessor.Kept> direct = WindowPostProcessor.pickFromLogits(a, logits, 4, plain);
            List<ObjectPrediction> objs = with.objects(w);
            assertEquals(direct.size(), objs.size());
            for (int i = 0; i < direct.size(); i++) {
                assertEquals(direct.get(i).classIndex(), objs.get(i).classIndex());
                assertEquals(direct.get(i).score(), objs.get(i).score(), 1e-5);
            }
            for (int i = 0; i < objs.size(); i++) {
                changed |= i >= without.objects(w).size()
                        || objs.get(i).classIndex() != without.objects(w).get(i).classIndex()
                        || Math.abs(objs.get(i).score() - without.objects(w).get(i).score()) > 1e-4;
            }
        }
        assertTrue(changed, "lowering two of four names changes the picks or their scores");
    }

    /** The soak runs the same two-window job 100 times (200 windows), after 50 warm-up runs. */
    private static final int SOAK_RUNS = 100;
    private static final int SOAK_WARMUP_RUNS = 50;
    private static final int SOAK_WINDOWS_PER_RUN = 2;

    @Test
    void soakKeepsNativeArraysFlat() throws Exception {
        KeyframeSource.Opener job = () -> synthetic(5 * SOAK_WINDOWS_PER_RUN, new ArrayList<>());
        // Warm-up: over the first runs the JVM touches its heap and the native allocator fills its
        // caches (RSS rises by 100-200 MB here); measure after that.
        for (int i = 0; i < SOAK_WARMUP_RUNS; i++) {
            service.analyse(job, w -> { }, p -> { }, new Cancellation()).get(60, TimeUnit.SECONDS);
        }
        int arrays0 = service.nativeArrayCount();
        long rss0 = rssKb();
        long heap0 = Runtime.getRuntime().totalMemory() / 1024;
        AtomicInteger windows = new AtomicInteger();
        for (int i = 0; i < SOAK_RUNS; i++) {
            service.analyse(job, w -> windows.incrementAndGet(), p -> { }, new Cancellation()).get(60, TimeUnit.SECONDS);
        }
        int arrays1 = service.nativeArrayCount();
        long rss1 = rssKb();
        long heap1 = Runtime.getRuntime().totalMemory() / 1024;
        System.out.printf("soak: %d runs, %d windows, native arrays %d -> %d, RSS %d -> %d kB, heap committed %d -> %d kB%n",
                SOAK_RUNS, windows.get(), arrays0, arrays1, rss0, rss1, heap0, heap1);
        assertEquals(SOAK_RUNS * SOAK_WINDOWS_PER_RUN, windows.get(), "windows analysed by the soak");
        assertEquals(arrays0, arrays1, "native arrays leaked");
        // RSS is a coarse backstop for native memory outside DJL's count: the JVM growing its heap
        // (seen: up to +92 MB) is taken off, heap pages touched late stay in (seen: up to ~80 MB),
        // so the bound catches leaks of a megabyte a window or more (1 MB a predict: +600 MB).
        long grown = (rss1 - rss0) - Math.max(0, heap1 - heap0);
        assertTrue(grown < 200_000, "RSS grew by " + grown + " kB over " + windows.get()
                + " windows besides heap growth (RSS " + rss0 + " -> " + rss1 + " kB)");
    }

    /** VmRSS of this process from /proc/self/status; fails the test (not skips it) where it cannot be read. */
    static long rssKb() {
        Path status = Path.of("/proc/self/status");
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException | UnsupportedOperationException e) {
            throw new AssertionError("cannot read the soak's RSS from " + status + ": " + e, e);
        }
        for (String line : lines) {
            if (line.startsWith("VmRSS:")) {
                String kb = line.substring("VmRSS:".length()).replace("kB", "").trim();
                try {
                    return Long.parseLong(kb);
                } catch (NumberFormatException e) {
                    throw new AssertionError("unreadable VmRSS line in " + status + ": " + line, e);
                }
            }
        }
        throw new AssertionError("no VmRSS line in " + status + ": the soak cannot check memory");
    }
}
