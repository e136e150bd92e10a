package ovavss.studio.ui.overlay;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Point2D;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.Pane;
import javafx.scene.control.Label;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * The masks of the current keyframe drawn over the video: filled in the vocabulary colours at an
 * adjustable opacity, silent objects as outlines, the selected object outlined in white, the
 * hovered one brighter, and a label per object (with "model" and the score for predictions).
 *
 * <p>It fills the video view and fits the clip frame into itself exactly as the video image is
 * fitted (aspect kept, centred), and drawn without smoothing so each media pixel is a crisp
 * square. {@link #toolLayer()} is where editing tools put their previews (brush cursor, polygon).
 */
public final class MaskOverlay extends Pane {
    /** Okabe–Ito colours (colour-blind safe) for labels not in the vocabulary. */
    private static final int[] FALLBACK = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7};

    /** Objects with less than this share of their mask on top get no label. */
    private static final double HIDDEN_SHARE = 0.2;

    private final ProjectViewModel vm;
    private final ImageView view = new ImageView();
    /** Label tags; placed in its own layout pass, once their skins know their sizes. */
    private final Pane labels = new Pane() {
        @Override
        protected void layoutChildren() {
            placeLabels();
        }
    };
    private final Pane tools = new Pane();
    private final DoubleProperty fillOpacity = new SimpleDoubleProperty(this, "fillOpacity", 0.45);
    private final ReadOnlyStringWrapper hovered = new ReadOnlyStringWrapper(this, "hovered");
    private final StringProperty highlighted = new SimpleStringProperty(this, "highlighted");
    private MaskCompositor compositor;
    private WritableImage image;
    private double scale = 1;
    private double offsetX;
    private double offsetY;

    public MaskOverlay(ProjectViewModel vm) {
        this.vm = vm;
        getStyleClass().add("mask-overlay");
        view.setSmooth(false);
        view.setManaged(false);
        labels.setManaged(false);
        labels.setMouseTransparent(true);
        tools.setManaged(false);
        tools.setMouseTransparent(true);
        getChildren().addAll(view, labels, tools);
        setPickOnBounds(true);
        vm.projectProperty().addListener(o -> rebuild());
        vm.clipIdProperty().addListener(o -> rebuild());
        vm.keyframeProperty().addListener(o -> rebuild());
        vm.selectedObjectIdProperty().addListener(o -> restyle());
        fillOpacity.addListener(o -> restyle());
        hovered.addListener(o -> restyle());
        highlighted.addListener(o -> restyle());
        setOnMouseMoved(e -> hovered.set(objectAtLocal(e.getX(), e.getY())));
        setOnMouseExited(e -> hovered.set(null));
        rebuild();
    }

    /** Fill opacity of sounding/unknown masks, 0..1. */
    public DoubleProperty fillOpacityProperty() {
        return fillOpacity;
    }

    /** Id of the object under the mouse, or null. */
    public ReadOnlyStringProperty hoveredProperty() {
        return hovered.getReadOnlyProperty();
    }

    /**
     * An object to highlight as if hovered (e.g. the row under the mouse in the object list), or
     * null; the mouse over the overlay takes precedence.
     */
    public StringProperty highlightedProperty() {
        return highlighted;
    }

    /** The object drawn highlighted: the one under the mouse, else {@link #highlightedProperty()}. */
    private String emphasised() {
        return hovered.get() != null ? hovered.get() : highlighted.get();
    }

    /** Texts of the object labels on screen (tests and the screenshot check read them). */
    public List<String> labelTexts() {
        List<String> out = new ArrayList<>();
        for (var n : labels.getChildren()) {
            out.add(((Label) n).getText());
        }
        return out;
    }

    /** Pane (in this node's coordinates) for tool previews; not hit-tested. */
    public Pane toolLayer() {
        return tools;
    }

    /** The pixels behind the overlay, or null without a clip. */
    public MaskCompositor compositor() {
        return compositor;
    }

    /** Screen pixels per media pixel. */
    public double scale() {
        return scale;
    }

    /** Media pixel coordinates (continuous; pixel (i, j) spans [i, i+1)) of a point in this node. */
    public Point2D toImage(double x, double y) {
        return new Point2D((x - offsetX) / scale, (y - offsetY) / scale);
    }

    /** This node's coordinates of a media pixel coordinate. */
    public Point2D toLocal(double ix, double iy) {
        return new Point2D(offsetX + ix * scale, offsetY + iy * scale);
    }

    public String objectAtLocal(double x, double y) {
        if (compositor == null) {
            return null;
        }
        Point2D p = toImage(x, y);
        return compositor.objectAt((int) Math.floor(p.getX()), (int) Math.floor(p.getY()));
    }

    /** Colour of an object's label: the vocabulary colour, else a fixed fallback by label. */
    public static int colorOf(Project p, String label) {
        return p.vocabulary().get(label).map(v -> v.rgb())
                .orElse(FALLBACK[Math.floorMod(label.hashCode(), FALLBACK.length)]);
    }

    /** Pushes a changed rectangle of the compositor to the screen (brush segments). */
    public void repaint(int[] rect) {
        if (rect == null || image == null) {
            return;
        }
        image.getPixelWriter().setPixels(rect[0], rect[1], rect[2], rect[3], PixelFormat.getIntArgbInstance(),
                compositor.argb(), rect[1] * compositor.width() + rect[0], compositor.width());
    }

    /** Rebuilds all layers from the project (once per edit, never per mouse move). */
    public void rebuild() {
        Clip clip = vm.currentClip().orElse(null);
        if (clip == null) {
            compositor = null;
            image = null;
            view.setImage(null);
            labels.getChildren().clear();
            return;
        }
        if (compositor == null || compositor.width() != clip.width() || compositor.height() != clip.height()) {
            compositor = new MaskCompositor(clip.width(), clip.height());
            image = new WritableImage(clip.width(), clip.height());
            view.setImage(image);
        }
        int k = vm.getKeyframe();
        List<SoundingObject> objs = new ArrayList<>(clip.objects());
        // Bottom to top by z-order; among equals the better-scored frame on top, so overlapping
        // predictions show the one composition would keep (score-sorted, first wins).
        objs.sort(java.util.Comparator.comparingInt(SoundingObject::zOrder)
                .thenComparingDouble(o -> o.frame(k) == null ? -1 : o.frame(k).score()));
        List<MaskCompositor.Layer> layers = new ArrayList<>();
        Project p = vm.getProject();
        for (SoundingObject o : objs) {
            ObjectFrame f = o.frame(k);
            Mask m = f == null ? Mask.empty(clip.width(), clip.height()) : f.mask();
            layers.add(new MaskCompositor.Layer(o.id(), colorOf(p, o.label()), f != null && f.sound() == SoundFlag.SILENT, m));
        }
        compositor.setLayers(layers);
        compositor.setStyle(fillOpacity.get(), emphasised(), vm.getSelectedObjectId());
        compositor.render(0, 0, compositor.width(), compositor.height());
        repaint(new int[] {0, 0, compositor.width(), compositor.height()});
        rebuildLabels(clip, objs, k);
    }

    private void restyle() {
        if (compositor != null && compositor.setStyle(fillOpacity.get(), emphasised(), vm.getSelectedObjectId())) {
            repaint(new int[] {0, 0, compositor.width(), compositor.height()});
        }
    }

    private void rebuildLabels(Clip clip, List<SoundingObject> objs, int k) {
        labels.getChildren().clear();
        java.util.Map<String, Integer> visible = compositor.visiblePixels();
        for (SoundingObject o : objs) {
            ObjectFrame f = o.frame(k);
            if (f == null) {
                continue;
            }
            int[] bb = f.mask().bounds();
            // No tag for an object hidden (mostly) under others, e.g. a second prediction of the same shape.
            if (bb == null || visible.getOrDefault(o.id(), 0) < HIDDEN_SHARE * f.mask().area()) {
                continue;
            }
            // Model objects show their score; human ones their id (several may share a label).
            String text = o.label()
                    + (f.provenance() == Provenance.MODEL ? String.format(java.util.Locale.ROOT, " %.2f", f.score())
                    : " · " + o.id())
                    + (f.sound() == SoundFlag.SILENT ? " · silent" : f.sound() == SoundFlag.UNKNOWN ? " · ?" : "");
            // A dark tag with a bar in the object's colour reads on any background.
            int rgb = colorOf(vm.getProject(), o.label());
            Label t = new Label(text);
            t.getStyleClass().add("mask-label");
            t.setStyle(String.format(java.util.Locale.ROOT, "-fx-background-color: rgba(0,0,0,0.62); "
                    + "-fx-text-fill: white; -fx-padding: 0 4 0 3; -fx-border-color: #%06x; "
                    + "-fx-border-width: 0 0 0 3;", rgb & 0xFFFFFF));
            // Anchor: the topmost pixel of the mask's largest part, so the tag sits on the object
            // it names even when a mask spans two shapes (its overall top can be on the other one).
            List<ovavss.studio.annotation.Mask> parts = ovavss.studio.annotation.MaskOps.components(f.mask(), true);
            int first = (parts.isEmpty() ? f.mask() : parts.get(0)).runs()[0];
            t.setUserData(new int[] {first % clip.width(), first / clip.width()});
            labels.getChildren().add(t);
        }
        layoutOverlay();
    }

    @Override
    protected void layoutChildren() {
        layoutOverlay();
    }

    private void layoutOverlay() {
        if (compositor == null) {
            return;
        }
        double w = compositor.width();
        double h = compositor.height();
        // Same fit as the video image: aspect kept, centred.
        scale = Math.min(getWidth() / w, getHeight() / h);
        if (!(scale > 0)) {
            scale = 1;
        }
        offsetX = (getWidth() - w * scale) / 2;
        offsetY = (getHeight() - h * scale) / 2;
        view.setFitWidth(w * scale);
        view.setFitHeight(h * scale);
        view.relocate(offsetX, offsetY);
        labels.resizeRelocate(0, 0, getWidth(), getHeight());
        tools.resizeRelocate(0, 0, getWidth(), getHeight());
        labels.requestLayout();
    }

    private void placeLabels() {
        if (compositor == null) {
            return;
        }
        // Tags sit just above their anchor pixel, clamped into the view; a tag that would
        // cover an earlier one moves down below it (overlapping predictions share a corner).
        // Topmost (best) first, so it gets the place nearest its mask.
        List<javafx.geometry.Rectangle2D> placed = new ArrayList<>();
        List<javafx.scene.Node> order = new ArrayList<>(labels.getChildren());
        java.util.Collections.reverse(order);
        for (var n : order) {
            int[] bb = (int[]) n.getUserData();
            Point2D at = toLocal(bb[0], bb[1]);
            double tw = n.prefWidth(-1);
            double th = n.prefHeight(-1);
            // inside the picture, not only the view
            double left = Math.max(0, offsetX);
            double top = Math.max(0, offsetY);
            double right = Math.min(getWidth(), offsetX + compositor.width() * scale);
            double bottom = Math.min(getHeight(), offsetY + compositor.height() * scale);
            double x = Math.max(left, Math.min(at.getX(), right - tw));
            double y = Math.max(top, Math.min(at.getY() - th, bottom - th));
            boolean moved = true;
            while (moved) {
                moved = false;
                for (javafx.geometry.Rectangle2D r : placed) {
                    if (r.intersects(x, y, tw, th)) {
                        y = r.getMaxY() + 1;
                        moved = true;
                    }
                }
            }
            placed.add(new javafx.geometry.Rectangle2D(x, y, tw, th));
            n.resizeRelocate(x, y, tw, th);
        }
    }
}
