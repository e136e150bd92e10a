package ovavss.studio.ui.timeline;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleLongProperty;

/**
 * The one time axis shared by the ruler, waveform and spectrogram panes (and the playhead shown
 * over the video): the visible time range, the playhead and the selection, all in microseconds
 * of media time. Uses only {@code javafx.beans}, so it is testable without a toolkit.
 */
public final class TimelineModel {
    /** Narrowest visible range: 20 ms. */
    public static final double MIN_SPAN_MICROS = 20_000;

    private final LongProperty duration = new SimpleLongProperty(this, "duration", 0);
    private final DoubleProperty viewStart = new SimpleDoubleProperty(this, "viewStart", 0);
    private final DoubleProperty viewEnd = new SimpleDoubleProperty(this, "viewEnd", 1);
    private final LongProperty playhead = new SimpleLongProperty(this, "playhead", 0);
    private final LongProperty selectionStart = new SimpleLongProperty(this, "selectionStart", -1);
    private final LongProperty selectionEnd = new SimpleLongProperty(this, "selectionEnd", -1);
    private final BooleanProperty loop = new SimpleBooleanProperty(this, "loop", false);

    public LongProperty durationProperty() {
        return duration;
    }

    public DoubleProperty viewStartProperty() {
        return viewStart;
    }

    public DoubleProperty viewEndProperty() {
        return viewEnd;
    }

    public LongProperty playheadProperty() {
        return playhead;
    }

    public LongProperty selectionStartProperty() {
        return selectionStart;
    }

    public LongProperty selectionEndProperty() {
        return selectionEnd;
    }

    public BooleanProperty loopProperty() {
        return loop;
    }

    public double viewStart() {
        return viewStart.get();
    }

    public double viewEnd() {
        return viewEnd.get();
    }

    public double span() {
        return viewEnd.get() - viewStart.get();
    }

    /** Shows the whole media and clears the selection. */
    public void reset(long durationMicros) {
        duration.set(Math.max(1, durationMicros));
        setView(0, duration.get());
        playhead.set(0);
        clearSelection();
        loop.set(false);
    }

    public boolean hasSelection() {
        return selectionStart.get() >= 0 && selectionEnd.get() > selectionStart.get();
    }

    public void clearSelection() {
        selectionStart.set(-1);
        selectionEnd.set(-1);
    }

    public void select(long a, long b) {
        long d = duration.get();
        selectionStart.set(Math.max(0, Math.min(d, Math.min(a, b))));
        selectionEnd.set(Math.max(0, Math.min(d, Math.max(a, b))));
    }

    /** Multiplies the visible span by {@code factor} (&lt; 1 zooms in) keeping {@code anchorMicros} in place. */
    public void zoom(double factor, double anchorMicros) {
        double s = span();
        double ns = Math.max(MIN_SPAN_MICROS, Math.min(maxSpan(), s * factor));
        double rel = s <= 0 ? 0.5 : (anchorMicros - viewStart.get()) / s;
        double start = anchorMicros - rel * ns;
        setView(start, start + ns);
    }

    /** Moves the visible range by {@code deltaMicros}, staying inside the media. */
    public void scroll(double deltaMicros) {
        setView(viewStart.get() + deltaMicros, viewEnd.get() + deltaMicros);
    }

    /** Pages the view so that {@code t} is visible (used to follow the playhead while playing). */
    public void follow(long t) {
        double s = span();
        if (t < viewStart.get() || t > viewEnd.get()) {
            double start = t - 0.05 * s;
            setView(start, start + s);
        }
    }

    /** Sets the visible range, clamped to [0, duration] and at least {@link #MIN_SPAN_MICROS} wide. */
    public void setView(double start, double end) {
        double d = Math.max(1, duration.get());
        double s = Math.max(Math.min(MIN_SPAN_MICROS, d), Math.min(maxSpan(), end - start));
        double st = Math.max(0, Math.min(d - s, start));
        viewStart.set(st);
        viewEnd.set(st + s);
    }

    private double maxSpan() {
        return Math.max(1, duration.get());
    }

    /** x pixel (in a pane {@code width} wide) of media time {@code t}. */
    public double toX(double t, double width) {
        return (t - viewStart.get()) / span() * width;
    }

    /** Media time at pixel {@code x}, clamped to the media. */
    public long toTime(double x, double width) {
        double t = viewStart.get() + x / Math.max(1, width) * span();
        return Math.max(0, Math.min(duration.get(), Math.round(t)));
    }
}
