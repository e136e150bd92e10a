package ovavss.studio.audio;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background, cached computation of spectrogram tiles for one source, channel and
 * {@link SpectrogramSettings}. Change the settings by closing this and creating a new one.
 *
 * <p>The time axis is cut into tiles of {@value #TILE_COLUMNS} pixel columns per zoom level
 * ({@code samplesPerColumn}). {@link #requestView} schedules the missing tiles of a view on the
 * caller's executor (centre of the view first); each finished tile goes into a bounded LRU cache
 * keyed by (zoom level, tile index) and is announced to the {@link Listener}s <b>on the worker
 * thread</b> — a UI marshals to its own thread. {@link #isViewComplete} tells whether everything a view
 * needs is cached (the screenshot path waits on it).
 *
 * <p>Typical UI use:
 * <pre>{@code
 * tiles = new SpectrogramTiles(track, PcmSource.MONO_MIX, SpectrogramSettings.defaults(), decodeExecutor);
 * tiles.addListener(t -> Platform.runLater(canvas::requestRedraw));
 * // on every paint:
 * tiles.requestView(spc, firstColumn, width);
 * for (int i = tiles.tileIndexOf(firstColumn); i <= tiles.tileIndexOf(firstColumn + width - 1); i++) {
 *     SpectrogramTile t = tiles.tile(spc, i);   // null = not ready yet, draw background
 * }
 * }</pre>
 *
 * <p>{@link #cancelPending()} drops scheduled work that has not started (e.g. after a zoom change);
 * {@link #close()} cancels everything, running tiles stop at their next column.
 */
public final class SpectrogramTiles implements AutoCloseable {
    /** Pixel columns per tile. */
    public static final int TILE_COLUMNS = 256;
    /** Default LRU capacity in tiles (256×256 ARGB tiles: 256 KiB each). */
    public static final int DEFAULT_CACHE_TILES = 192;

    private static final Logger LOG = LoggerFactory.getLogger(SpectrogramTiles.class);

    /** Receives every finished tile, on the worker thread that computed it. */
    @FunctionalInterface
    public interface Listener {
        void tileReady(SpectrogramTile tile);
    }

    private record Key(long spcBits, int index) {
        Key(double spc, int index) {
            this(Double.doubleToLongBits(spc), index);
        }
    }

    private final PcmSource source;
    private final int channel;
    private final SpectrogramSettings settings;
    private final Spectrogram spectrogram;
    private final Executor executor;
    private final int cacheTiles;
    private final Map<Key, SpectrogramTile> cache;
    private final Map<Key, Cancellation> pending = new ConcurrentHashMap<>();
    private final Map<Key, Long> availableWhenComputed = new ConcurrentHashMap<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Cancellation generation = new Cancellation();
    private volatile boolean closed;
    private final Object progressMonitor = new Object();

    /** Tiles for {@code channel} (or {@link PcmSource#MONO_MIX}) with the default cache size. */
    public SpectrogramTiles(PcmSource source, int channel, SpectrogramSettings settings, Executor executor) {
        this(source, channel, settings, executor, DEFAULT_CACHE_TILES);
    }

    /**
     * @param executor   runs tile jobs; owned by the caller (never shut down here)
     * @param cacheTiles LRU capacity in tiles, at least 1
     */
    public SpectrogramTiles(PcmSource source, int channel, SpectrogramSettings settings, Executor executor,
                            int cacheTiles) {
        if (channel != PcmSource.MONO_MIX && (channel < 0 || channel >= source.channels())) {
            throw new IllegalArgumentException("no channel " + channel);
        }
        if (cacheTiles < 1) {
            throw new IllegalArgumentException("cache must hold at least one tile");
        }
        this.source = source;
        this.channel = channel;
        this.settings = settings;
        this.spectrogram = new Spectrogram(settings, source.sampleRate());
        this.executor = executor;
        this.cacheTiles = cacheTiles;
        this.cache = new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, SpectrogramTile> eldest) {
                if (size() > SpectrogramTiles.this.cacheTiles) {
                    availableWhenComputed.remove(eldest.getKey());
                    return true;
                }
                return false;
            }
        };
    }

    public SpectrogramSettings settings() {
        return settings;
    }

    /** The computation used for the tiles (row ↔ frequency edges, dB mapping). */
    public Spectrogram spectrogram() {
        return spectrogram;
    }

    /** A frequency ruler matching the tiles' rows. */
    public FrequencyRuler ruler() {
        return new FrequencyRuler(settings.scale(), spectrogram.minHz(), spectrogram.maxHz(), settings.rows());
    }

    public PcmSource source() {
        return source;
    }

    public int channel() {
        return channel;
    }

    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }

    /** Tile containing pixel column {@code column}. */
    public static int tileIndexOf(long column) {
        return (int) Math.floorDiv(column, TILE_COLUMNS);
    }

    /** Pixel columns of the whole signal at this zoom: {@code ceil(length / samplesPerColumn)}. */
    public long columnCount(double samplesPerColumn) {
        return (long) Math.ceil(source.length() / samplesPerColumn);
    }

    /** Tiles of the whole signal at this zoom. */
    public int tileCount(double samplesPerColumn) {
        return (int) ((columnCount(samplesPerColumn) + TILE_COLUMNS - 1) / TILE_COLUMNS);
    }

    /** The cached tile, or null when it is not computed yet. Never schedules work. */
    public SpectrogramTile tile(double samplesPerColumn, int index) {
        synchronized (cache) {
            return cache.get(new Key(samplesPerColumn, index));
        }
    }

    /**
     * Schedules the missing (or stale incomplete) tiles covering columns
     * {@code [firstColumn, firstColumn + columns)}, clipped to the signal, centre first.
     * Cheap when everything is cached or already scheduled; call it on every repaint.
     */
    public void requestView(double samplesPerColumn, long firstColumn, int columns) {
        checkZoom(samplesPerColumn);
        if (closed) {
            return;
        }
        List<Integer> order = viewTiles(samplesPerColumn, firstColumn, columns);
        // Centre outwards: the middle of the view is where the eye is.
        int mid = order.size() / 2;
        List<Integer> sorted = new ArrayList<>(order.size());
        for (int d = 0; sorted.size() < order.size(); d++) {
            if (mid + d < order.size()) {
                sorted.add(order.get(mid + d));
            }
            if (d > 0 && mid - d >= 0) {
                sorted.add(order.get(mid - d));
            }
        }
        for (int index : sorted) {
            schedule(samplesPerColumn, index);
        }
    }

    /** Schedules one tile if it is missing or stale; returns the cached tile or null. */
    public SpectrogramTile request(double samplesPerColumn, int index) {
        checkZoom(samplesPerColumn);
        SpectrogramTile t = tile(samplesPerColumn, index);
        if (!closed && (t == null || isStale(t))) {
            schedule(samplesPerColumn, index);
        }
        return t;
    }

    /** True when every tile of the view is cached and complete (all its audio was decoded). */
    public boolean isViewComplete(double samplesPerColumn, long firstColumn, int columns) {
        checkZoom(samplesPerColumn);
        for (int index : viewTiles(samplesPerColumn, firstColumn, columns)) {
            SpectrogramTile t = tile(samplesPerColumn, index);
            if (t == null || !t.complete()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Blocks until the view is complete (see {@link #isViewComplete}), re-requesting stale tiles while
     * it waits. For headless paths (screenshot, CLI, tests) only; never call it on a UI thread.
     *
     * @return true when complete, false on timeout or when closed
     */
    public boolean awaitView(double samplesPerColumn, long firstColumn, int columns, long timeoutMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (!closed) {
            requestView(samplesPerColumn, firstColumn, columns);
            if (isViewComplete(samplesPerColumn, firstColumn, columns)) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (progressMonitor) {
                progressMonitor.wait(Math.max(1, Math.min(20, left / 1_000_000L)));
            }
        }
        return false;
    }

    /** Tile jobs scheduled or running. */
    public int pendingCount() {
        return pending.size();
    }

    /** Drops scheduled tiles that have not started and stops running ones at their next column. */
    public void cancelPending() {
        Cancellation old = generation;
        generation = new Cancellation();
        old.cancel();
    }

    /** Cancels all work, empties the cache and forgets listeners. Never blocks. */
    @Override
    public void close() {
        closed = true;
        generation.cancel();
        listeners.clear();
        synchronized (cache) {
            cache.clear();
        }
    }

    /**
     * Computes one tile on the calling thread (also used by the jobs). Does not touch the cache.
     *
     * @throws CancellationException when {@code cancel} fires
     */
    public SpectrogramTile compute(double samplesPerColumn, int index, Cancellation cancel) {
        checkZoom(samplesPerColumn);
        long first = (long) index * TILE_COLUMNS;
        long total = columnCount(samplesPerColumn);
        int columns = (int) Math.max(1, Math.min(TILE_COLUMNS, total - first));
        long available = source.available();
        float[] db = spectrogram.columnsDb(source, channel, samplesPerColumn, first, columns, cancel);
        int[] argb = spectrogram.render(db);
        // Frames reach half a window past the last column.
        double lastSample = (first + columns) * samplesPerColumn + settings.windowLength() / 2.0;
        boolean complete = available >= source.length() || available >= lastSample;
        return new SpectrogramTile(samplesPerColumn, index, first, columns, settings.rows(), argb, complete);
    }

    private List<Integer> viewTiles(double samplesPerColumn, long firstColumn, int columns) {
        long total = columnCount(samplesPerColumn);
        long from = Math.max(0, firstColumn);
        long to = Math.min(total, firstColumn + columns); // exclusive
        List<Integer> out = new ArrayList<>();
        if (to <= from) {
            return out;
        }
        for (int i = tileIndexOf(from); i <= tileIndexOf(to - 1); i++) {
            out.add(i);
        }
        return out;
    }

    private boolean isStale(SpectrogramTile t) {
        if (t.complete()) {
            return false;
        }
        Long seen = availableWhenComputed.get(new Key(t.samplesPerColumn(), t.index()));
        return seen == null || source.available() > seen;
    }

    private void schedule(double samplesPerColumn, int index) {
        Key key = new Key(samplesPerColumn, index);
        SpectrogramTile cached = tile(samplesPerColumn, index);
        if (cached != null && !isStale(cached)) {
            return;
        }
        Cancellation gen = generation;
        boolean[] fresh = {false};
        // A job left over from a cancelled generation does not block rescheduling.
        pending.compute(key, (k, v) -> {
            if (v == null || v.isCancelled()) {
                fresh[0] = true;
                return gen;
            }
            return v;
        });
        if (!fresh[0]) {
            return;
        }
        try {
            executor.execute(() -> run(key, samplesPerColumn, index, gen));
        } catch (RejectedExecutionException e) {
            pending.remove(key, gen);
            LOG.debug("spectrogram tile {} rejected by executor", index);
        }
    }

    private void run(Key key, double samplesPerColumn, int index, Cancellation gen) {
        try {
            if (gen.isCancelled() || closed) {
                return;
            }
            long available = source.available();
            SpectrogramTile tile = compute(samplesPerColumn, index, gen);
            if (gen.isCancelled() || closed) {
                return;
            }
            synchronized (cache) {
                cache.put(key, tile);
                availableWhenComputed.put(key, available);
            }
            for (Listener l : listeners) {
                try {
                    l.tileReady(tile);
                } catch (RuntimeException e) {
                    LOG.warn("spectrogram tile listener failed", e);
                }
            }
        } catch (CancellationException e) {
            // Cancelled between columns: nothing to publish.
        } catch (RuntimeException e) {
            LOG.warn("spectrogram tile {} at {} samples/column failed", index, samplesPerColumn, e);
        } finally {
            pending.remove(key, gen);
            synchronized (progressMonitor) {
                progressMonitor.notifyAll();
            }
        }
    }

    private static void checkZoom(double samplesPerColumn) {
        if (!(samplesPerColumn > 0) || Double.isInfinite(samplesPerColumn)) {
            throw new IllegalArgumentException("samplesPerColumn must be positive and finite: " + samplesPerColumn);
        }
    }
}
