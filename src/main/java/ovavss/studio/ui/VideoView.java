package ovavss.studio.ui;

import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import ovavss.studio.media.VideoFrame;

/** Shows decoded frames, scaled to fit with the aspect ratio kept. */
final class VideoView extends StackPane {
    private final ImageView view = new ImageView();
    private final Label placeholder = new Label();
    private final ReadOnlyIntegerWrapper shownFrame = new ReadOnlyIntegerWrapper(this, "shownFrame", -1);
    private WritableImage image;
    private VideoFrame shown;
    /** Drawn only over a picture: masks over a placeholder message would belong to no frame. */
    private javafx.scene.Node overlay;

    VideoView() {
        getStyleClass().add("video-view");
        view.setPreserveRatio(true);
        view.setSmooth(true);
        view.fitWidthProperty().bind(widthProperty());
        view.fitHeightProperty().bind(heightProperty());
        view.setManaged(false);
        placeholder.getStyleClass().add("video-placeholder");
        getChildren().addAll(view, placeholder);
        setMinSize(160, 90);
        showMessage("Open a video, an audio file or an AVSBench clip folder (File › Open, or drop it here)");
    }

    @Override
    protected void layoutChildren() {
        super.layoutChildren();
        // Centre the scaled image ourselves: an unmanaged ImageView keeps the StackPane from growing with it.
        double w = view.getBoundsInLocal().getWidth();
        double h = view.getBoundsInLocal().getHeight();
        view.relocate((getWidth() - w) / 2, (getHeight() - h) / 2);
    }

    /**
     * Puts a layer (the mask overlay) above the picture; it fills this view and fits the frame the
     * same way (aspect kept, centred).
     */
    void setOverlay(javafx.scene.Node overlay) {
        this.overlay = overlay;
        overlay.setVisible(shown != null);
        getChildren().add(overlay);
    }

    /** Index of the frame on screen, or -1. */
    ReadOnlyIntegerProperty shownFrameProperty() {
        return shownFrame.getReadOnlyProperty();
    }

    void show(VideoFrame f) {
        if (f == null || f == shown) {
            return;
        }
        shown = f;
        if (image == null || (int) image.getWidth() != f.width() || (int) image.getHeight() != f.height()) {
            image = new WritableImage(f.width(), f.height());
            view.setImage(image);
        }
        image.getPixelWriter().setPixels(0, 0, f.width(), f.height(), PixelFormat.getIntArgbInstance(),
                f.argb(), 0, f.width());
        placeholder.setVisible(false);
        if (overlay != null) {
            overlay.setVisible(true);
        }
        shownFrame.set(f.index());
        requestLayout();
    }

    void showMessage(String text) {
        shown = null;
        image = null;
        view.setImage(null);
        placeholder.setText(text);
        placeholder.setVisible(true);
        if (overlay != null) {
            overlay.setVisible(false);
        }
        shownFrame.set(-1);
    }
}
