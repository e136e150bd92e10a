package ovavss.studio.ui;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import ovavss.studio.audio.FrequencyRuler;
import ovavss.studio.audio.SpectrogramSettings;
import ovavss.studio.audio.SpectrogramTile;
import ovavss.studio.audio.SpectrogramTiles;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.ui.timeline.TimelineModel;

/**
 * Spectrogram drawn from background-computed {@link SpectrogramTiles}. The zoom is quantised to
 * powers of two samples per column so tiles are reused while scrolling and cached per level; tiles
 * are stretched to the exact view. While the current level fills in, cached coarser levels are
 * drawn underneath, so zooming never shows a blank pane.
 */
final class SpectrogramPane extends TimelinePane {
    private static final Color BG = Color.web("#0d0d12");
    private static final Color TEXT = Color.web("#7f8896");
    private static final int FALLBACK_LEVELS = 6;

    private final Executor worker;
    private final AtomicBoolean tileRepaintQueued = new AtomicBoolean();
    /** The audio defaults, with the axis cut at 8 kHz where most of the sound of everyday scenes lives. */
    static final SpectrogramSettings DEFAULTS = SpectrogramSettings.defaults().withFrequencyRange(0, 8000);
    private SpectrogramSettings settings = DEFAULTS;
    private PcmSource source;
    private SpectrogramTiles tiles;
    private Runnable settingsListener = () -> { };
    private double lastSpc;
    private long lastFirst;
    private int lastCols;
    /** FX images of tiles, keyed by the tile object itself (a recomputed tile is a new object). */
    private final Map<SpectrogramTile, Image> images = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<SpectrogramTile, Image> e) {
            return size() > 96;
        }
    };

    SpectrogramPane(TimelineModel model, Executor worker) {
        super(model, "spectrogram-pane");
        this.worker = worker;
    }

    SpectrogramSettings settings() {
        return settings;
    }

    void setSettingsListener(Runnable r) {
        settingsListener = r;
    }

    void setSettings(SpectrogramSettings s) {
        settings = s;
        rebuild();
    }

    void setSource(PcmSource pcm) {
        source = pcm;
        rebuild();
    }

    private void rebuild() {
        if (tiles != null) {
            tiles.close();
        }
        images.clear();
        lastSpc = 0;
        tiles = source == null ? null : new SpectrogramTiles(source, PcmSource.MONO_MIX, settings, worker);
        if (tiles != null) {
            tiles.addListener(t -> {
                if (tileRepaintQueued.compareAndSet(false, true)) {
                    Platform.runLater(() -> {
                        tileRepaintQueued.set(false);
                        repaint();
                    });
                }
            });
        }
        settingsListener.run();
        repaint();
    }

    /** The ruler for the current tiles, or null without audio. */
    FrequencyRuler ruler() {
        return tiles == null ? null : tiles.ruler();
    }

    /** Zoom level for the view: the power of two samples per column at or below the exact one. */
    private double level(double w) {
        double exact = model.span() / 1e6 * source.sampleRate() / Math.max(1, w);
        double l = Math.pow(2, Math.floor(Math.log(Math.max(exact, 1.0 / 64)) / Math.log(2)));
        return Math.max(1.0 / 64, l);
    }

    /** True when every tile the current view needs is computed from fully decoded audio (or there is no audio). */
    boolean isViewComplete() {
        if (tiles == null) {
            return true;
        }
        double w = Math.max(1, getWidth());
        double spc = level(w);
        long first = firstColumn(spc);
        return tiles.isViewComplete(spc, first, columns(spc, w, first));
    }

    private long firstColumn(double spc) {
        return (long) Math.floor(model.viewStart() / 1e6 * source.sampleRate() / spc);
    }

    private int columns(double spc, double w, long first) {
        double endSample = model.viewEnd() / 1e6 * source.sampleRate();
        return (int) Math.max(1, Math.ceil(endSample / spc) - first);
    }

    @Override
    protected void paint(GraphicsContext g, double w, double h, double t0, double t1) {
        g.setFill(BG);
        g.fillRect(0, 0, w, h);
        if (tiles == null) {
            g.setFill(TEXT);
            g.fillText("no audio", 8, h / 2);
            return;
        }
        double spc = level(w);
        long first = firstColumn(spc);
        int cols = columns(spc, w, first);
        if (spc != lastSpc || first != lastFirst || cols != lastCols) {
            // The view moved: work queued for the old view is no longer urgent.
            tiles.cancelPending();
            lastSpc = spc;
            lastFirst = first;
            lastCols = cols;
        }
        tiles.requestView(spc, first, cols);
        g.setImageSmoothing(true);
        // Coarser cached levels first, then the current level on top.
        for (int k = FALLBACK_LEVELS; k >= 0; k--) {
            double lspc = spc * (1L << k);
            long lf = (long) Math.floor(first * spc / lspc);
            long ll = (long) Math.ceil((first + cols) * spc / lspc);
            for (int i = SpectrogramTiles.tileIndexOf(lf); i <= SpectrogramTiles.tileIndexOf(Math.max(lf, ll - 1)); i++) {
                SpectrogramTile t = tiles.tile(lspc, i);
                if (t != null) {
                    draw(g, t, w, h);
                }
            }
        }
    }

    private void draw(GraphicsContext g, SpectrogramTile t, double w, double h) {
        Image img = images.computeIfAbsent(t, SpectrogramPane::toImage);
        double rate = source.sampleRate();
        double x0 = model.toX(t.startSample() / rate * 1e6, w);
        double x1 = model.toX((t.firstColumn() + t.columns()) * t.samplesPerColumn() / rate * 1e6, w);
        // Snap outwards to whole pixels so neighbouring tiles overlap instead of leaving a seam.
        double a = Math.floor(x0);
        g.drawImage(img, a, 0, Math.ceil(x1) - a, h);
    }

    private static Image toImage(SpectrogramTile t) {
        WritableImage img = new WritableImage(t.columns(), t.rows());
        img.getPixelWriter().setPixels(0, 0, t.columns(), t.rows(), PixelFormat.getIntArgbInstance(),
                t.argb(), 0, t.columns());
        return img;
    }
}
