package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import ovavss.studio.task.NamedThreads;

/**
 * The host post-processing on several threads: every item once, failures passed on, and a window
 * analysed on a pool exactly as on one thread (crops, embeddings, validity), with many crops.
 */
class HostParallelismTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2, NamedThreads.numbered("test-post"));

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void everyItemRunsOnceInDisjointRangesOnSeveralThreads() {
        HostParallelism host = new HostParallelism(pool, 3);
        AtomicIntegerArray seen = new AtomicIntegerArray(101);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<int[]> ranges = java.util.Collections.synchronizedList(new ArrayList<>());
        host.forRanges(101, (from, to) -> {
            ranges.add(new int[] {from, to});
            threads.add(Thread.currentThread().getName());
            for (int i = from; i < to; i++) {
                seen.incrementAndGet(i);
            }
        });
        for (int i = 0; i < 101; i++) {
            assertEquals(1, seen.get(i), "item " + i);
        }
        assertEquals(3, ranges.size());
        assertTrue(threads.size() >= 2, "the calling thread and a helper: " + threads);
        // too few items for a hand-off: one range, on the calling thread
        List<String> small = new ArrayList<>();
        host.forRanges(5, (from, to) -> small.add(Thread.currentThread().getName() + " " + from + "-" + to));
        assertEquals(List.of(Thread.currentThread().getName() + " 0-5"), small);
    }

    @Test
    void aFailingRangeFailsTheCallWithItsException() {
        HostParallelism host = new HostParallelism(pool, 3);
        IllegalStateException boom = new IllegalStateException("bad crop");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> host.forRanges(60,
                (from, to) -> {
                    if (from > 0) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
    }

    @Test
    void aWindowAnalysedOnAPoolEqualsTheOneThreadAnalysis() {
        int t = 5;
        int q = 30;
        WindowGeometry g = WindowGeometry.of(t, 90, 160, 96, 1333, 32);
        Random r = new Random(7);
        float[] low = new float[q * t * g.maskHeight() * g.maskWidth()];
        for (int i = 0; i < low.length; i++) {
            low[i] = (float) (r.nextGaussian() * 2 - 1);
        }
        float[] rgb = new float[t * 3 * g.height() * g.width()];
        for (int i = 0; i < rgb.length; i++) {
            rgb[i] = r.nextFloat() * 255;
        }
        float[] sound = new float[q * 2];
        PostProcessSettings s = new PostProcessSettings(0.5f, 10, 0.3f, 0f, 16, 100f,
                new float[] {0.48f, 0.46f, 0.41f}, new float[] {0.27f, 0.26f, 0.28f}, false, NameCalibration.NONE);
        List<float[]> oneThread = new ArrayList<>();
        List<float[]> onPool = new ArrayList<>();
        WindowAnalysis a = WindowPostProcessor.analyse(0, 0, t, g, rgb, low, sound, q, s, encoder(oneThread), null,
                HostParallelism.SEQUENTIAL);
        WindowAnalysis b = WindowPostProcessor.analyse(0, 0, t, g, rgb, low, sound, q, s, encoder(onPool), null,
                new HostParallelism(pool, 3));
        int crops = a.cropEmbeddings().length / a.embeddingDim();
        assertTrue(crops >= 50, "many crops, so that each thread cuts some: " + crops);
        assertArrayEquals(oneThread.get(0), onPool.get(0), "the crops, bit for bit");
        assertArrayEquals(a.cropEmbeddings(), b.cropEmbeddings());
        assertArrayEquals(a.queries(), b.queries());
        assertArrayEquals(a.validFrames(), b.validFrames());
        assertArrayEquals(a.meanEmbedding(), b.meanEmbedding());
    }

    /** A stand-in CLIP: 3 sums over each crop, and the crops kept to compare. */
    private static ImageEncoder encoder(List<float[]> seen) {
        return (crops, k) -> {
            seen.add(crops.clone());
            int per = crops.length / k;
            float[] out = new float[k * 3];
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < per; j++) {
                    out[i * 3 + j % 3] += crops[i * per + j] * (1 + j % 7);
                }
            }
            return out;
        };
    }
}
