package ovavss.studio.ui.edit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Point2D;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Polyline;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Edits;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.overlay.MaskCompositor;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * The mask tools on the overlay: brush, eraser, polygon, hole fill and select, plus the editing
 * keys. Brush segments go straight into the overlay's {@link MaskCompositor} (only the pixels
 * under the brush are recomputed and uploaded); the finished stroke becomes one undoable edit.
 */
public final class MaskEditor {
    /** Editing tools. */
    public enum Tool { SELECT, BRUSH, ERASER, POLYGON, FILL }

    private final ProjectViewModel vm;
    private final MaskOverlay overlay;
    private final ObjectProperty<Tool> tool = new SimpleObjectProperty<>(this, "tool", Tool.SELECT);
    private final DoubleProperty brushRadius = new SimpleDoubleProperty(this, "brushRadius", 12);
    private final Circle cursor = new Circle();
    private final Polyline polygonPreview = new Polyline();
    private final List<Double> polygon = new ArrayList<>();
    private Point2D lastImagePoint;
    private String strokeObject;
    private boolean strokeErase;
    private Point2D mouseLocal;
    /** The object selected before the current one: the other half of a merge. */
    private String previousSelection;
    /** Names the keys in messages; {@link #registerActions} puts the window's registry here. */
    private Shortcuts keys = new Shortcuts();

    public MaskEditor(ProjectViewModel vm, MaskOverlay overlay) {
        this.vm = vm;
        this.overlay = overlay;
        cursor.setFill(Color.TRANSPARENT);
        cursor.setStroke(Color.WHITE);
        cursor.getStrokeDashArray().setAll(4.0, 3.0);
        cursor.setVisible(false);
        cursor.getStyleClass().add("brush-cursor");
        polygonPreview.setStroke(Color.YELLOW);
        polygonPreview.setStrokeWidth(1.5);
        overlay.toolLayer().getChildren().addAll(polygonPreview, cursor);
        overlay.addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        overlay.addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        overlay.addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
        overlay.addEventHandler(MouseEvent.MOUSE_MOVED, this::moved);
        overlay.addEventHandler(MouseEvent.MOUSE_EXITED, e -> cursor.setVisible(false));
        brushRadius.addListener(o -> updateCursor());
        tool.addListener((o, a, t) -> {
            if (t != Tool.POLYGON) {
                polygon.clear();
                updatePolygonPreview();
            }
            updateCursor();
        });
        vm.keyframeProperty().addListener(o -> cancelPolygon());
        vm.selectedObjectIdProperty().addListener((o, a, b) -> {
            if (a != null) {
                previousSelection = a;
            }
        });
        vm.clipIdProperty().addListener(o -> cancelPolygon());
        overlay.layoutBoundsProperty().addListener(o -> updatePolygonPreview());
    }

    /** The overlay the tools work on. */
    public MaskOverlay overlay() {
        return overlay;
    }

    public ObjectProperty<Tool> toolProperty() {
        return tool;
    }

    /** Brush radius in media pixels ([ and ] change it). */
    public DoubleProperty brushRadiusProperty() {
        return brushRadius;
    }

    /** Polygon points so far, media pixel coordinates x0, y0, x1, y1 ... */
    public List<Double> polygonPoints() {
        return List.copyOf(polygon);
    }

    // ------------------------------------------------------------------ mouse

    private Point2D image(MouseEvent e) {
        return overlay.toImage(e.getX(), e.getY());
    }

    private void pressed(MouseEvent e) {
        if (e.getButton() != MouseButton.PRIMARY || overlay.compositor() == null) {
            return;
        }
        overlay.requestFocus();
        Point2D p = image(e);
        switch (tool.get()) {
            case SELECT -> vm.selectObject(overlay.objectAtLocal(e.getX(), e.getY()));
            case BRUSH, ERASER -> {
                if (selectedOrWarn().isPresent()) {
                    beginStroke(p, tool.get() == Tool.ERASER);
                }
            }
            case POLYGON -> {
                if (e.getClickCount() >= 2) {
                    closePolygon();
                } else {
                    polygon.add(p.getX());
                    polygon.add(p.getY());
                    updatePolygonPreview();
                }
            }
            case FILL -> selectedOrWarn().ifPresent(id -> vm.apply(Edits.fillHole(vm.getClipId(), id,
                    vm.getKeyframe(), (int) Math.floor(p.getX()), (int) Math.floor(p.getY()),
                    vm.keepObjectsDisjointProperty().get())));
            default -> { }
        }
        e.consume();
    }

    private void dragged(MouseEvent e) {
        moved(e);
        if (strokeObject != null) {
            strokeTo(image(e));
            e.consume();
        }
    }

    private void released(MouseEvent e) {
        if (strokeObject != null) {
            strokeTo(image(e));
            endStroke();
            e.consume();
        }
    }

    private void moved(MouseEvent e) {
        mouseLocal = new Point2D(e.getX(), e.getY());
        updateCursor();
    }

    private Optional<String> selectedOrWarn() {
        Optional<String> id = vm.selectedObject().map(SoundingObject::id);
        if (id.isEmpty()) {
            vm.showMessage(keys.format("Select an object first (click it with {tool.select}, {object.next}, "
                    + "or {object.new} for a new one)"));
        }
        return id;
    }

    // ------------------------------------------------------------------ brush

    /** Starts a stroke at media point {@code p} into the selected object. */
    public boolean beginStroke(Point2D p, boolean erase) {
        MaskCompositor c = overlay.compositor();
        Optional<String> id = vm.selectedObject().map(SoundingObject::id);
        if (c == null || id.isEmpty() || c.isEditing()) {
            return false;
        }
        c.beginEdit(id.get());
        strokeObject = id.get();
        strokeErase = erase;
        lastImagePoint = p;
        overlay.repaint(c.stamp(p.getX(), p.getY(), p.getX(), p.getY(), brushRadius.get(), erase,
                vm.keepObjectsDisjointProperty().get()));
        return true;
    }

    /** Continues the stroke with a segment to media point {@code p} (only the dirty rectangle is redrawn). */
    public void strokeTo(Point2D p) {
        MaskCompositor c = overlay.compositor();
        if (strokeObject == null || c == null) {
            return;
        }
        overlay.repaint(c.stamp(lastImagePoint.getX(), lastImagePoint.getY(), p.getX(), p.getY(),
                brushRadius.get(), strokeErase, vm.keepObjectsDisjointProperty().get()));
        lastImagePoint = p;
    }

    /** Ends the stroke: one undoable edit when anything changed. */
    public void endStroke() {
        MaskCompositor c = overlay.compositor();
        String id = strokeObject;
        strokeObject = null;
        if (c == null || id == null) {
            return;
        }
        Mask m = c.endEdit();
        if (m != null) {
            vm.apply(Edits.stroke(vm.getClipId(), id, vm.getKeyframe(), m, strokeErase));
        }
    }

    private void updateCursor() {
        boolean brush = tool.get() == Tool.BRUSH || tool.get() == Tool.ERASER;
        cursor.setVisible(brush && mouseLocal != null && overlay.compositor() != null);
        if (mouseLocal != null) {
            cursor.setCenterX(mouseLocal.getX());
            cursor.setCenterY(mouseLocal.getY());
        }
        cursor.setRadius(Math.max(1, brushRadius.get() * overlay.scale()));
        cursor.setStroke(tool.get() == Tool.ERASER ? Color.ORANGERED : Color.WHITE);
    }

    // ------------------------------------------------------------------ polygon

    /** Closes the polygon into the selected object (needs 3 points). */
    public boolean closePolygon() {
        Optional<String> id = vm.selectedObject().map(SoundingObject::id);
        if (polygon.size() < 6 || id.isEmpty()) {
            return false;
        }
        double[] xy = polygon.stream().mapToDouble(Double::doubleValue).toArray();
        polygon.clear();
        updatePolygonPreview();
        return vm.apply(Edits.polygon(vm.getClipId(), id.get(), vm.getKeyframe(), xy,
                vm.keepObjectsDisjointProperty().get()));
    }

    public void removeLastPolygonPoint() {
        if (polygon.size() >= 2) {
            polygon.remove(polygon.size() - 1);
            polygon.remove(polygon.size() - 1);
            updatePolygonPreview();
        }
    }

    public void cancelPolygon() {
        polygon.clear();
        updatePolygonPreview();
    }

    private void updatePolygonPreview() {
        List<Double> pts = new ArrayList<>();
        for (int i = 0; i + 1 < polygon.size(); i += 2) {
            Point2D l = overlay.toLocal(polygon.get(i), polygon.get(i + 1));
            pts.add(l.getX());
            pts.add(l.getY());
        }
        if (pts.size() >= 6) {
            pts.add(pts.get(0));
            pts.add(pts.get(1));
        }
        polygonPreview.getPoints().setAll(pts);
    }

    // ------------------------------------------------------------------ actions

    /** N: a new object (label = the selected object's label, else "object") selected for painting. */
    public String newObject() {
        Optional<Clip> c = vm.currentClip();
        if (c.isEmpty()) {
            return null;
        }
        String label = vm.selectedObject().map(SoundingObject::label)
                .orElse(vm.getProject().vocabulary().entries().isEmpty() ? "object"
                        : vm.getProject().vocabulary().entries().get(0).name());
        String id = c.get().newObjectId();
        if (vm.apply(Edits.newObject(c.get().id(), id, label))) {
            vm.selectObject(id);
            return id;
        }
        return null;
    }

    /** Tab / Shift+Tab: the next / previous object of the clip. */
    public void cycle(int dir) {
        vm.currentClip().ifPresent(c -> {
            List<SoundingObject> objs = c.objects();
            if (objs.isEmpty()) {
                return;
            }
            int i = -1;
            for (int j = 0; j < objs.size(); j++) {
                if (objs.get(j).id().equals(vm.getSelectedObjectId())) {
                    i = j;
                }
            }
            int n = i < 0 ? (dir > 0 ? 0 : objs.size() - 1) : Math.floorMod(i + dir, objs.size());
            vm.selectObject(objs.get(n).id());
        });
    }

    public void deleteSelected() {
        vm.selectedObject().ifPresent(o -> vm.apply(Edits.deleteObject(vm.getClipId(), o.id())));
    }

    /** S: toggles the selected object's sound flag at the current keyframe. */
    public void toggleSound() {
        vm.selectedObject().ifPresent(o -> {
            ObjectFrame f = o.frame(vm.getKeyframe());
            SoundFlag next = (f == null ? SoundFlag.UNKNOWN : f.sound()).toggled();
            vm.apply(Edits.setSound(vm.getClipId(), o.id(), vm.getKeyframe(), next));
        });
    }

    /** Copies the selected object's mask from the previous (dir = -1) or next (+1) keyframe. */
    public void copyFromNeighbour(int dir) {
        vm.selectedObject().ifPresent(o -> {
            int k = vm.getKeyframe();
            vm.apply(Edits.copyFrom(vm.getClipId(), o.id(), k + dir, k));
        });
    }

    /** Merges the selected object into the one selected before it (Ctrl+M). */
    public void mergeIntoPrevious() {
        String from = vm.getSelectedObjectId();
        String into = previousSelection;
        if (from == null || into == null || vm.currentClip().flatMap(c -> c.object(into)).isEmpty()) {
            vm.showMessage("Select the object to keep, then the one to merge into it, and merge");
            return;
        }
        if (vm.apply(Edits.merge(vm.getClipId(), from, into))) {
            vm.selectObject(into);
        }
    }

    /** Copies this keyframe's mask of the selected object onto keyframes k0..k1 (one step). */
    public void propagate(int k0, int k1) {
        vm.selectedObject().ifPresent(o -> vm.apply(Edits.propagate(vm.getClipId(), o.id(), vm.getKeyframe(),
                k0, k1, "Propagate mask to keyframes " + Math.min(k0, k1) + "–" + Math.max(k0, k1))));
    }

    public void clearSelected() {
        vm.selectedObject().ifPresent(o -> vm.apply(Edits.clearMask(vm.getClipId(), o.id(), vm.getKeyframe())));
    }

    public void grow(int n) {
        vm.selectedObject().ifPresent(o -> vm.apply(Edits.grow(vm.getClipId(), o.id(), vm.getKeyframe(), n,
                vm.keepObjectsDisjointProperty().get())));
    }

    /** Accepts (or rejects) the model prediction of the selected object, or of all objects when none is selected, at this keyframe. */
    public void review(boolean accept) {
        String id = vm.getSelectedObjectId();
        vm.currentClip().ifPresent(c -> vm.apply(accept ? Edits.accept(c.id(), id, vm.getKeyframe())
                : Edits.reject(c.id(), id, vm.getKeyframe())));
    }

    /** Smaller brush ([): radius / 1.25, at least 1 px. */
    public void smallerBrush() {
        brushRadius.set(Math.max(1, Math.round(brushRadius.get() / 1.25)));
    }

    /** Larger brush (]): radius * 1.25, at most 400 px. */
    public void largerBrush() {
        brushRadius.set(Math.min(400, Math.round(brushRadius.get() * 1.25 + 0.5)));
    }

    /** Registers the editor's actions in the shortcut registry (keys come from there). */
    public void registerActions(Shortcuts s) {
        keys = s;
        s.on("undo", vm::undo);
        s.on("redo", vm::redo);
        s.on("brush.smaller", this::smallerBrush);
        s.on("brush.larger", this::largerBrush);
        s.on("tool.brush", () -> tool.set(Tool.BRUSH));
        s.on("tool.eraser", () -> tool.set(Tool.ERASER));
        s.on("tool.polygon", () -> tool.set(Tool.POLYGON));
        s.on("tool.fill", () -> tool.set(Tool.FILL));
        s.on("tool.select", () -> tool.set(Tool.SELECT));
        s.on("object.new", this::newObject);
        s.on("object.next", () -> cycle(1));
        s.on("object.previous", () -> cycle(-1));
        s.on("object.delete", this::deleteSelected);
        s.on("sound.toggle", this::toggleSound);
        s.on("polygon.close", this::closePolygon);
        s.on("polygon.removePoint", this::removeLastPolygonPoint);
        s.on("polygon.cancel", this::cancelPolygon);
        s.on("object.copyPrevious", () -> copyFromNeighbour(-1));
        s.on("object.copyNext", () -> copyFromNeighbour(1));
        s.on("object.grow", () -> grow(1));
        s.on("object.shrink", () -> grow(-1));
        s.on("object.clear", this::clearSelected);
        s.on("object.merge", this::mergeIntoPrevious);
        s.on("prediction.accept", () -> review(true));
        s.on("prediction.reject", () -> review(false));
    }
}
