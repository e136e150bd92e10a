package ovavss.studio.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpectrogramTilesTest {
    private final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterEach
    void shutdown() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    /** 1 kHz in the first half, 4 kHz in the second half, 10 s at 16 kHz. */
    private static PcmBuffer twoTones() {
        int sr = 16000;
        float[] x = new float[sr * 10];
        for (int i = 0; i < x.length; i++) {
            double f = i < x.length / 2 ? 1000 : 4000;
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / sr));
        }
        return new PcmBuffer(sr, x);
    }

    @Test
    void tileShowsTheToneInTheRightRowAndTopRowIsHighestFrequency() {
        PcmBuffer pcm = twoTones();
        SpectrogramSettings s = SpectrogramSettings.defaults().withScale(FrequencyScale.LINEAR).withRows(400)
                .withColorMap(ColorMap.GREYSCALE);
        try (SpectrogramTiles tiles = new SpectrogramTiles(pcm, 0, s, pool)) {
            double spc = 160;
            SpectrogramTile t = tiles.compute(spc, 0, Cancellation.NEVER);
            assertEquals(256, t.columns());
            assertEquals(400, t.rows());
            FrequencyRuler ruler = tiles.ruler();
            int brightest = brightestRow(t, 100);
            assertEquals(1000, ruler.rowToHz(brightest + 0.5), 25, "row " + brightest);
            // Second half: column of sample 120000 is in tile 2 at zoom 160 (column 750).
            SpectrogramTile t2 = tiles.compute(spc, 2, Cancellation.NEVER);
            int b2 = brightestRow(t2, 750 - 512);
            assertEquals(4000, ruler.rowToHz(b2 + 0.5), 25);
            assertTrue(b2 < brightest, "higher frequency must be nearer the top");
        }
    }

    /** Listeners run after a tile enters the cache; wait until the jobs have fully finished. */
    private static void waitIdle(SpectrogramTiles tiles) throws InterruptedException {
        for (int i = 0; i < 1000 && tiles.pendingCount() > 0; i++) {
            Thread.sleep(5);
        }
        assertEquals(0, tiles.pendingCount());
    }

    private static int brightestRow(SpectrogramTile t, int column) {
        int best = 0;
        int bestV = -1;
        for (int r = 0; r < t.rows(); r++) {
            int v = t.pixel(column, r) & 0xFF;
            if (v > bestV) {
                bestV = v;
                best = r;
            }
        }
        return best;
    }

    @Test
    void viewCompletesInBackgroundNotifiesListenersAndIsCachedPerZoom() throws Exception {
        PcmBuffer pcm = twoTones();
        try (SpectrogramTiles tiles = new SpectrogramTiles(pcm, PcmSource.MONO_MIX, SpectrogramSettings.defaults(),
                pool, 8)) {
            List<SpectrogramTile> ready = new CopyOnWriteArrayList<>();
            List<String> threads = new CopyOnWriteArrayList<>();
            tiles.addListener(t -> {
                ready.add(t);
                threads.add(Thread.currentThread().getName());
            });
            double spc = 100;
            assertEquals(1600, tiles.columnCount(spc));
            assertFalse(tiles.isViewComplete(spc, 0, 1000));
            assertNull(tiles.tile(spc, 0));
            assertTrue(tiles.awaitView(spc, 0, 1000, 20_000));
            waitIdle(tiles);
            assertEquals(4, ready.size(), "tiles 0..3 cover columns 0..1023");
            assertFalse(threads.contains(Thread.currentThread().getName()), "listener runs on the worker");
            SpectrogramTile cached = tiles.tile(spc, 1);
            assertNotNull(cached);
            tiles.requestView(spc, 0, 1000); // all cached: nothing new
            assertEquals(0, tiles.pendingCount());
            assertEquals(4, ready.size());
            assertTrue(tiles.tile(spc, 1) == cached, "same instance from the cache");
            // Another zoom level has its own tiles; the LRU (8 tiles) evicts the oldest.
            assertNull(tiles.tile(50, 0));
            assertTrue(tiles.awaitView(50, 0, 1280, 20_000));
            assertNotNull(tiles.tile(50, 4));
            int cachedOld = 0;
            for (int i = 0; i < 4; i++) {
                cachedOld += tiles.tile(spc, i) != null ? 1 : 0;
            }
            assertTrue(cachedOld < 4, "LRU bound respected");
            // The last tile at a zoom may be narrower.
            assertTrue(tiles.awaitView(spc, 1500, 100, 20_000));
            assertEquals(1600 - 6 * 256, tiles.tile(spc, 6).columns());
        }
    }

    @Test
    void cancelPendingDropsQueuedWorkAndCloseStopsEverything() throws Exception {
        PcmBuffer pcm = twoTones();
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            SpectrogramTiles tiles = new SpectrogramTiles(pcm, 0, SpectrogramSettings.defaults(), single);
            List<SpectrogramTile> ready = new ArrayList<>();
            tiles.addListener(t -> {
                synchronized (ready) {
                    ready.add(t);
                }
            });
            // Block the single worker so everything requested stays queued.
            Object gate = new Object();
            boolean[] open = {false};
            single.execute(() -> {
                synchronized (gate) {
                    while (!open[0]) {
                        try {
                            gate.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            tiles.requestView(20, 0, 256 * 20);
            assertEquals(20, tiles.pendingCount());
            tiles.cancelPending();
            tiles.requestView(20, 0, 256); // a new request after cancelling is scheduled again
            synchronized (gate) {
                open[0] = true;
                gate.notifyAll();
            }
            assertTrue(tiles.awaitView(20, 0, 256, 20_000));
            single.submit(() -> { }).get(10, TimeUnit.SECONDS);
            synchronized (ready) {
                assertEquals(1, ready.size(), "cancelled tiles are not computed");
            }
            tiles.close();
            assertNull(tiles.tile(20, 0), "close empties the cache");
            assertFalse(tiles.awaitView(20, 0, 256, 100));
        } finally {
            single.shutdownNow();
        }
    }

    @Test
    void incompleteTilesAreRecomputedWhenMoreAudioIsDecoded() throws Exception {
        PcmBuffer full = twoTones();
        long[] available = {40_000};
        PcmSource progressive = new PcmSource() {
            @Override
            public int sampleRate() {
                return 16000;
            }

            @Override
            public int channels() {
                return 1;
            }

            @Override
            public long length() {
                return full.length();
            }

            @Override
            public long available() {
                return available[0];
            }

            @Override
            public void read(int channel, long start, float[] dst, int off, int len) {
                full.read(channel, start, dst, off, len);
                for (int i = 0; i < len; i++) {
                    if (start + i >= available[0]) {
                        dst[off + i] = 0;
                    }
                }
            }
        };
        try (SpectrogramTiles tiles = new SpectrogramTiles(progressive, 0, SpectrogramSettings.defaults(), pool)) {
            double spc = 625; // 256 columns = the whole 160000 samples
            assertFalse(tiles.awaitView(spc, 0, 256, 300), "cannot complete while audio is missing");
            SpectrogramTile partial = tiles.tile(spc, 0);
            assertNotNull(partial);
            assertFalse(partial.complete());
            available[0] = full.length();
            assertTrue(tiles.awaitView(spc, 0, 256, 20_000));
            assertTrue(tiles.tile(spc, 0).complete());
        }
    }
}
