package ovavss.studio.ui.edit;

import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;
import javafx.scene.transform.Scale;
import javafx.scene.transform.Translate;

/**
 * Zoom and pan for the video view: the wheel zooms around the pointer, a middle-button or
 * Alt+drag pans, {@link #reset()} fits again. The content keeps its own layout and is only
 * transformed, so a mask tool that maps its local mouse coordinates to media pixels stays
 * pixel-exact at any zoom (JavaFX hands it local coordinates through the transform).
 */
public final class ZoomPane extends Region {
    public static final double MAX_ZOOM = 32;

    private final Region content;
    private final Scale scale = new Scale(1, 1, 0, 0);
    private final Translate shift = new Translate();
    private final ReadOnlyDoubleWrapper zoom = new ReadOnlyDoubleWrapper(this, "zoom", 1);
    private double panX;
    private double panY;
    private boolean panning;

    public ZoomPane(Region content) {
        this.content = content;
        getStyleClass().add("zoom-pane");
        getChildren().add(content);
        content.getTransforms().addAll(shift, scale);
        Rectangle clip = new Rectangle();
        clip.widthProperty().bind(widthProperty());
        clip.heightProperty().bind(heightProperty());
        setClip(clip);
        // Filters: the tools underneath never see a zoom or pan gesture.
        addEventFilter(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0) {
                zoomAt(e.getX(), e.getY(), Math.pow(1.25, Math.signum(e.getDeltaY())));
                e.consume();
            }
        });
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            if (e.getButton() == MouseButton.MIDDLE || (e.getButton() == MouseButton.PRIMARY && e.isAltDown())) {
                panning = true;
                panX = e.getX();
                panY = e.getY();
                e.consume();
            }
        });
        addEventFilter(MouseEvent.MOUSE_DRAGGED, e -> {
            if (panning) {
                pan(e.getX() - panX, e.getY() - panY);
                panX = e.getX();
                panY = e.getY();
                e.consume();
            }
        });
        addEventFilter(MouseEvent.MOUSE_RELEASED, e -> {
            if (panning) {
                panning = false;
                e.consume();
            }
        });
        widthProperty().addListener(o -> clamp());
        heightProperty().addListener(o -> clamp());
    }

    /** Screen pixels per content pixel, 1 = fitted. */
    public ReadOnlyDoubleProperty zoomProperty() {
        return zoom.getReadOnlyProperty();
    }

    /** Zooms by {@code factor} keeping the content point under (x, y) (this pane's coordinates) in place. */
    public void zoomAt(double x, double y, double factor) {
        double z = zoom.get();
        double nz = Math.max(1, Math.min(MAX_ZOOM, z * factor));
        double cx = (x - shift.getX()) / z;
        double cy = (y - shift.getY()) / z;
        scale.setX(nz);
        scale.setY(nz);
        zoom.set(nz);
        shift.setX(x - cx * nz);
        shift.setY(y - cy * nz);
        clamp();
    }

    /** Moves the content by (dx, dy) screen pixels. */
    public void pan(double dx, double dy) {
        shift.setX(shift.getX() + dx);
        shift.setY(shift.getY() + dy);
        clamp();
    }

    /** Back to the fitted view. */
    public void reset() {
        scale.setX(1);
        scale.setY(1);
        zoom.set(1);
        shift.setX(0);
        shift.setY(0);
    }

    /** Keeps the zoomed content covering the pane (no empty margins from panning too far). */
    private void clamp() {
        double z = zoom.get();
        shift.setX(Math.max(getWidth() - getWidth() * z, Math.min(0, shift.getX())));
        shift.setY(Math.max(getHeight() - getHeight() * z, Math.min(0, shift.getY())));
    }

    @Override
    protected void layoutChildren() {
        content.resizeRelocate(0, 0, getWidth(), getHeight());
    }

    @Override
    protected double computePrefWidth(double height) {
        return content.prefWidth(height);
    }

    @Override
    protected double computePrefHeight(double width) {
        return content.prefHeight(width);
    }

    @Override
    protected double computeMinWidth(double height) {
        return content.minWidth(height);
    }

    @Override
    protected double computeMinHeight(double width) {
        return content.minHeight(width);
    }
}
