package ovavss.studio.ui;

import java.util.function.LongConsumer;
import javafx.application.Platform;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Line;
import javafx.scene.shape.Rectangle;
import ovavss.studio.ui.timeline.TimelineModel;

/**
 * Base of the panes drawn on the shared time axis: a canvas for the content, the selection band
 * and the playhead line on top. Click or drag seeks; Shift+drag selects a range; the wheel zooms
 * around the pointer and Shift+wheel (or a horizontal wheel) scrolls.
 */
abstract class TimelinePane extends Region {
    protected final TimelineModel model;
    private final Canvas canvas = new Canvas();
    private final Rectangle selection = new Rectangle();
    private final Line playhead = new Line();
    private LongConsumer seeker = t -> { };
    /** Where a drag sends the clock (previews); {@link #scrubEnd} runs when the drag is released. */
    private LongConsumer scrubber = t -> seeker.accept(t);
    private Runnable scrubEnd = () -> { };
    private boolean scrubbed;
    private boolean repaintQueued;
    private long dragAnchor = -1;

    TimelinePane(TimelineModel model, String styleClass) {
        this.model = model;
        getStyleClass().addAll("timeline-pane", styleClass);
        selection.getStyleClass().add("selection");
        selection.setManaged(false);
        selection.setMouseTransparent(true);
        playhead.getStyleClass().add("playhead");
        playhead.setManaged(false);
        playhead.setMouseTransparent(true);
        getChildren().addAll(canvas, selection, playhead);
        setMinHeight(40);

        model.viewStartProperty().addListener(o -> repaint());
        model.viewEndProperty().addListener(o -> repaint());
        model.playheadProperty().addListener(o -> placeOverlays());
        model.selectionStartProperty().addListener(o -> placeOverlays());
        model.selectionEndProperty().addListener(o -> placeOverlays());

        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            dragAnchor = -1;
            if (scrubbed) {
                scrubbed = false;
                scrubEnd.run();
            }
        });
        addEventHandler(ScrollEvent.SCROLL, this::scrolled);
    }

    /** Where a click or drag sends the clock. */
    void setSeeker(LongConsumer seeker) {
        this.seeker = seeker;
    }

    /** Where a drag sends the clock, and what ends it (the window: previews, then the exact frame). */
    void setScrubber(LongConsumer scrubber, Runnable end) {
        this.scrubber = scrubber;
        this.scrubEnd = end;
    }

    /** x of the playhead line in this pane's coordinates. */
    double playheadX() {
        return playhead.getStartX();
    }

    /** Media time drawn under the playhead line. */
    long playheadTime() {
        return model.toTime(playheadX(), getWidth());
    }

    /** Draws the content for the visible range [t0, t1] µs into a w×h canvas. */
    protected abstract void paint(GraphicsContext g, double w, double h, double t0, double t1);

    /** Coalesces repaint requests into one per pulse. */
    final void repaint() {
        if (repaintQueued) {
            return;
        }
        repaintQueued = true;
        Platform.runLater(() -> {
            repaintQueued = false;
            paintNow();
        });
    }

    private void paintNow() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        if (w >= 1 && h >= 1) {
            paint(g, w, h, model.viewStart(), model.viewEnd());
        }
        placeOverlays();
    }

    @Override
    protected void layoutChildren() {
        double w = snapSizeX(getWidth());
        double h = snapSizeY(getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            paintNow();
        }
        placeOverlays();
    }

    private void placeOverlays() {
        double w = getWidth();
        double h = getHeight();
        double x = Math.round(model.toX(model.playheadProperty().get(), w)) + 0.5;
        playhead.setStartX(x);
        playhead.setEndX(x);
        playhead.setStartY(0);
        playhead.setEndY(h);
        playhead.setVisible(x >= 0 && x <= w);
        if (model.hasSelection()) {
            double a = Math.max(0, model.toX(model.selectionStartProperty().get(), w));
            double b = Math.min(w, model.toX(model.selectionEndProperty().get(), w));
            selection.setVisible(b > a);
            selection.setX(a);
            selection.setWidth(Math.max(0, b - a));
            selection.setY(0);
            selection.setHeight(h);
        } else {
            selection.setVisible(false);
        }
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY) {
            return;
        }
        requestFocus();
        long t = model.toTime(e.getX(), getWidth());
        if (e.isShiftDown()) {
            dragAnchor = t;
            model.clearSelection();
        } else {
            dragAnchor = -1;
            seeker.accept(t);
        }
        e.consume();
    }

    private void dragged(MouseEvent e) {
        if (!e.isPrimaryButtonDown()) {
            return;
        }
        long t = model.toTime(e.getX(), getWidth());
        if (dragAnchor >= 0) {
            model.select(dragAnchor, t);
        } else {
            scrubbed = true;
            scrubber.accept(t);
        }
        e.consume();
    }

    private void scrolled(ScrollEvent e) {
        double dx = e.getDeltaX();
        double dy = e.getDeltaY();
        if (e.isShiftDown() || Math.abs(dx) > Math.abs(dy)) {
            // Shift turns a vertical wheel into horizontal on some platforms; accept either delta.
            double d = Math.abs(dx) > Math.abs(dy) ? dx : dy;
            model.scroll(-d / Math.max(1, getWidth()) * model.span());
        } else if (dy != 0) {
            // Wheel notches: platforms report 40 px per notch, or lines directly.
            double notches = e.getTextDeltaYUnits() == ScrollEvent.VerticalTextScrollUnits.LINES
                    ? e.getTextDeltaY() / 3 : dy / 40;
            if (notches == 0) {
                notches = Math.signum(dy);
            }
            double factor = Math.pow(e.isControlDown() ? 0.6 : 0.8, notches);
            model.zoom(factor, model.toTime(e.getX(), getWidth()));
        }
        e.consume();
    }
}
