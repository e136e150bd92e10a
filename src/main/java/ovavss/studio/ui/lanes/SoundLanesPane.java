package ovavss.studio.ui.lanes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.Edits;
import ovavss.studio.annotation.KeyframeTimes;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.audio.OnsetDetector;
import ovavss.studio.ui.timeline.TimelineModel;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * One lane per object under the spectrogram, on the shared time axis: per keyframe its sound
 * flag (filled in the object's colour = sounding, dark = silent, dashed = unknown), a dot when it
 * has mask pixels there and, for model entries, a bar as long as the model's score. A top row
 * shows the audio onset (▲) / offset (▼) suggestions; clicking one seeks there.
 *
 * <p>Click a cell to toggle sounding/silent (Alt-click or right-click: unknown); drag to paint the
 * same flag over further cells, across keyframes and lanes. The whole drag is one undoable edit.
 */
public final class SoundLanesPane extends Region {
    public static final double SUGGESTION_ROW = 14;
    public static final double LANE = 18;
    private static final Color SILENT = Color.web("#3a3a3a");

    private final ProjectViewModel vm;
    private final TimelineModel timeline;
    private final Canvas canvas = new Canvas();
    private List<OnsetDetector.Suggestion> suggestions = List.of();
    private LongConsumer seeker = t -> { };
    private java.util.function.ToDoubleFunction<String> soundScore = id -> Double.NaN;
    /** Cells painted by the running drag: "objectId\nk" to flag. */
    private final Map<String, SoundFlag> pending = new LinkedHashMap<>();
    private SoundFlag dragFlag;
    private double lastX;
    private double lastY;
    private boolean repaintQueued;

    public SoundLanesPane(ProjectViewModel vm, TimelineModel timeline) {
        this.vm = vm;
        this.timeline = timeline;
        getStyleClass().add("sound-lanes");
        setId("sound-lanes");
        getChildren().add(canvas);
        // Never squeezed by the grid: a lane cut off could not be clicked.
        setMinHeight(Region.USE_PREF_SIZE);
        vm.projectProperty().addListener(o -> relayout());
        vm.clipIdProperty().addListener(o -> relayout());
        vm.keyframeProperty().addListener(o -> repaint());
        vm.selectedObjectIdProperty().addListener(o -> repaint());
        timeline.viewStartProperty().addListener(o -> repaint());
        timeline.viewEndProperty().addListener(o -> repaint());
        timeline.playheadProperty().addListener(o -> repaint());
        addEventHandler(MouseEvent.MOUSE_PRESSED, this::pressed);
        addEventHandler(MouseEvent.MOUSE_DRAGGED, this::dragged);
        addEventHandler(MouseEvent.MOUSE_RELEASED, this::released);
    }

    /** Where clicking a suggestion sends the clock (microseconds). */
    public void setSeeker(LongConsumer seeker) {
        this.seeker = seeker;
    }

    /**
     * The model's sound score of an object (its mean sound-head probability), NaN for none; shown
     * in the lane's name tag.
     */
    public void setSoundScores(java.util.function.ToDoubleFunction<String> scores) {
        soundScore = scores;
        repaint();
    }

    /** Audio suggestions, seconds of media time. */
    public void setSuggestions(List<OnsetDetector.Suggestion> s) {
        suggestions = List.copyOf(s);
        repaint();
    }

    public List<OnsetDetector.Suggestion> suggestions() {
        return suggestions;
    }

    private void relayout() {
        requestLayout();
        repaint();
    }

    @Override
    protected double computePrefHeight(double width) {
        int n = vm.currentClip().map(c -> c.objects().size()).orElse(0);
        return SUGGESTION_ROW + Math.max(1, n) * LANE + 2;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        paint();
    }

    // ---------------------------------------------------------------- names gutter

    private record LaneName(double y, String text, Color colour, boolean selected) {
    }

    private final Canvas nameCanvas = new Canvas();
    private List<LaneName> lastNames = List.of();
    /**
     * The lane names, beside the lanes in the timeline's left gutter: over the lanes they covered
     * the first seconds of each.
     */
    private final Region namesGutter = new Region() {
        {
            getChildren().add(nameCanvas);
            getStyleClass().add("lane-names");
        }

        @Override
        protected void layoutChildren() {
            nameCanvas.setWidth(getWidth());
            nameCanvas.setHeight(getHeight());
            paintNames(lastNames);
        }
    };

    /** The gutter that names the lanes, to place left of this pane at the same height. */
    public Region namesGutter() {
        namesGutter.minHeightProperty().bind(heightProperty());
        namesGutter.prefHeightProperty().bind(heightProperty());
        namesGutter.maxHeightProperty().bind(heightProperty());
        return namesGutter;
    }

    private void paintNames(List<LaneName> names) {
        lastNames = names;
        double w = nameCanvas.getWidth();
        GraphicsContext g = nameCanvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, nameCanvas.getHeight());
        g.setFont(Font.font(10));
        g.setTextBaseline(VPos.CENTER);
        g.setTextAlign(TextAlignment.LEFT);
        g.setFill(Color.web("#8b919c"));
        g.fillText("sound", 4, SUGGESTION_ROW / 2);
        for (LaneName n : names) {
            if (n.selected()) {
                g.setFill(Color.web("#30343a"));
                g.fillRect(0, n.y(), w, LANE);
            }
            g.setFill(n.colour());
            g.fillRect(0, n.y() + 2, 3, LANE - 4);
            g.setFill(Color.web("#d7dae0"));
            g.fillText(fit(n.text(), w - 8), 6, n.y() + LANE / 2, w - 8);
        }
    }

    /** The text cut with an ellipsis to about {@code width} pixels at the 10 px font. */
    private static String fit(String text, double width) {
        int max = (int) Math.max(3, width / 5.6);
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }

    /** Object ids in lane order (clip order). */
    public List<String> laneObjects() {
        return vm.currentClip().map(c -> c.objects().stream().map(SoundingObject::id).toList()).orElse(List.of());
    }

    /** The cell under a point: object id and keyframe, or null. */
    public Cell cellAt(double x, double y) {
        Clip c = vm.currentClip().orElse(null);
        if (c == null || y < SUGGESTION_ROW) {
            return null;
        }
        int lane = (int) Math.floor((y - SUGGESTION_ROW) / LANE);
        if (lane < 0 || lane >= c.objects().size()) {
            return null;
        }
        int k = c.keyframes().spanAt(timeline.toTime(x, getWidth()) / 1e6 - c.mediaStart(), c.duration());
        return k < 0 ? null : new Cell(c.objects().get(lane).id(), k);
    }

    /** x of media time {@code seconds}. */
    public double xOf(double seconds) {
        return timeline.toX(seconds * 1e6, getWidth());
    }

    /** y of the middle of an object's lane, or NaN. */
    public double laneCentre(String objectId) {
        int i = laneObjects().indexOf(objectId);
        return i < 0 ? Double.NaN : SUGGESTION_ROW + (i + 0.5) * LANE;
    }

    /** One lane cell. */
    public record Cell(String objectId, int keyframe) {
    }

    // ------------------------------------------------------------------ mouse

    private void pressed(MouseEvent e) {
        // Out of any text field: S and the other plain keys act on the lanes' selection.
        requestFocus();
        if (e.getY() < SUGGESTION_ROW) {
            OnsetDetector.Suggestion s = nearestSuggestion(e.getX());
            if (s != null) {
                seeker.accept(Math.round(s.seconds() * 1e6));
            }
            e.consume();
            return;
        }
        Cell cell = cellAt(e.getX(), e.getY());
        if (cell == null) {
            return;
        }
        vm.selectObject(cell.objectId());
        boolean unknown = e.getButton() == MouseButton.SECONDARY || e.isAltDown();
        dragFlag = unknown ? SoundFlag.UNKNOWN : flag(cell).toggled();
        pending.clear();
        pending.put(key(cell), dragFlag);
        lastX = e.getX();
        lastY = e.getY();
        repaint();
        e.consume();
    }

    private void dragged(MouseEvent e) {
        if (dragFlag == null) {
            return;
        }
        // Sample the path so fast drags don't skip cells.
        double dx = e.getX() - lastX;
        double dy = e.getY() - lastY;
        int steps = (int) Math.ceil(Math.max(Math.abs(dx), Math.abs(dy)) / 3) + 1;
        for (int i = 1; i <= steps; i++) {
            Cell c = cellAt(lastX + dx * i / steps, lastY + dy * i / steps);
            if (c != null) {
                pending.putIfAbsent(key(c), dragFlag);
            }
        }
        lastX = e.getX();
        lastY = e.getY();
        repaint();
        e.consume();
    }

    private void released(MouseEvent e) {
        if (dragFlag == null) {
            return;
        }
        dragged(e);
        Map<String, SoundFlag> cells = new LinkedHashMap<>(pending);
        pending.clear();
        dragFlag = null;
        applyFlags(cells);
        e.consume();
    }

    private static String key(Cell c) {
        return c.objectId() + "\n" + c.keyframe();
    }

    private SoundFlag flag(Cell cell) {
        return vm.currentClip().flatMap(c -> c.object(cell.objectId())).map(o -> o.frame(cell.keyframe()))
                .map(ObjectFrame::sound).orElse(SoundFlag.UNKNOWN);
    }

    /** Sets the flags of several cells ("objectId\nk" keys) as one undoable step. */
    private void applyFlags(Map<String, SoundFlag> cells) {
        String clipId = vm.getClipId();
        if (clipId == null || cells.isEmpty()) {
            return;
        }
        List<EditCommand> steps = new ArrayList<>();
        cells.forEach((k, f) -> {
            String[] p = k.split("\n");
            steps.add(Edits.setSound(clipId, p[0], Integer.parseInt(p[1]), f));
        });
        String what = steps.size() == 1 ? steps.get(0).description()
                : steps.get(0).description() + " (" + steps.size() + " keyframes)";
        vm.apply(EditCommand.of(what, pr -> {
            Project q = pr;
            for (EditCommand s : steps) {
                q = s.apply(q);
            }
            return q;
        }));
    }

    private OnsetDetector.Suggestion nearestSuggestion(double x) {
        OnsetDetector.Suggestion best = null;
        double bd = 6;
        for (OnsetDetector.Suggestion s : suggestions) {
            double d = Math.abs(xOf(s.seconds()) - x);
            if (d <= bd) {
                bd = d;
                best = s;
            }
        }
        return best;
    }

    // ------------------------------------------------------------------ painting

    /** Coalesces repaints to one per pulse. */
    private void repaint() {
        if (!repaintQueued) {
            repaintQueued = true;
            javafx.application.Platform.runLater(() -> {
                repaintQueued = false;
                paint();
            });
        }
    }

    /** Draws everything now. */
    public void paint() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.setFill(Color.web("#1e1f22"));
        g.fillRect(0, 0, w, h);
        Clip c = vm.currentClip().orElse(null);
        if (c == null || w <= 0) {
            paintNames(List.of());
            return;
        }
        Project p = vm.getProject();
        // suggestions row
        g.setFill(Color.web("#26282c"));
        g.fillRect(0, 0, w, SUGGESTION_ROW);
        for (OnsetDetector.Suggestion s : suggestions) {
            double x = xOf(s.seconds());
            if (x < -6 || x > w + 6) {
                continue;
            }
            boolean on = s.kind() == OnsetDetector.Kind.ONSET;
            // Okabe–Ito bluish green for onsets, vermillion for offsets.
            g.setFill(on ? Color.web("#009E73") : Color.web("#D55E00"));
            double y0 = 2;
            double y1 = SUGGESTION_ROW - 2;
            g.fillPolygon(new double[] {x - 4, x + 4, x}, on ? new double[] {y1, y1, y0} : new double[] {y0, y0, y1}, 3);
        }
        g.setFont(Font.font(10));
        g.setTextBaseline(VPos.CENTER);
        List<SoundingObject> objs = c.objects();
        KeyframeTimes kt = c.keyframes();
        List<LaneName> names = new java.util.ArrayList<>();
        for (int i = 0; i < objs.size(); i++) {
            SoundingObject o = objs.get(i);
            double y = SUGGESTION_ROW + i * LANE;
            boolean selected = o.id().equals(vm.getSelectedObjectId());
            g.setFill(selected ? Color.web("#30343a") : i % 2 == 0 ? Color.web("#222428") : Color.web("#1e1f22"));
            g.fillRect(0, y, w, LANE);
            int rgb = MaskOverlay.colorOf(p, o.label());
            Color col = Color.rgb((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);
            for (int k = 0; k < kt.count(); k++) {
                double x0 = xOf(c.mediaStart() + kt.time(k));
                double x1 = xOf(c.mediaStart() + kt.spanEnd(k, c.duration()));
                if (x1 < 0 || x0 > w) {
                    continue;
                }
                ObjectFrame f = o.frame(k);
                SoundFlag flag = pending.getOrDefault(o.id() + "\n" + k, f == null ? null : f.sound());
                double cx = x0 + 1;
                double cw = Math.max(1, x1 - x0 - 2);
                if (flag == SoundFlag.SOUNDING) {
                    g.setFill(col.deriveColor(0, 1, 1, 0.85));
                    g.fillRect(cx, y + 2, cw, LANE - 4);
                } else if (flag == SoundFlag.SILENT) {
                    g.setFill(SILENT);
                    g.fillRect(cx, y + 2, cw, LANE - 4);
                    g.setStroke(col.deriveColor(0, 1, 1, 0.6));
                    g.setLineDashes();
                    g.strokeRect(cx + 0.5, y + 2.5, cw - 1, LANE - 5);
                } else if (flag == SoundFlag.UNKNOWN) {
                    g.setStroke(col.deriveColor(0, 1, 1, 0.8));
                    g.setLineDashes(3, 3);
                    g.strokeRect(cx + 0.5, y + 2.5, cw - 1, LANE - 5);
                    g.setLineDashes();
                }
                if (f != null && !f.mask().isEmpty()) {
                    g.setFill(Color.WHITE);
                    g.fillOval(cx + 3, y + LANE / 2 - 2, 4, 4);
                }
                if (f != null && f.provenance() == Provenance.MODEL) {
                    g.setFill(Color.web("#F0E442"));
                    g.fillRect(cx, y + LANE - 4, cw * f.score(), 2);
                }
            }
            // lane name on a dark tag at the left edge: the label people know ("green-square", a
            // second one "green-square 2"), never an internal id, and short, so little is covered
            double ss = soundScore.applyAsDouble(o.id());
            int nth = 1;
            for (SoundingObject other : objs) {
                if (other == o) {
                    break;
                }
                if (other.label().equals(o.label())) {
                    nth++;
                }
            }
            String name = o.label() + (nth > 1 ? " " + nth : "")
                    + (Double.isNaN(ss) ? "" : String.format(java.util.Locale.ROOT, " %.0f%%", 100 * ss));
            names.add(new LaneName(y, name, col, selected));
        }
        paintNames(names);
        // current keyframe and playhead
        double px = timeline.toX(timeline.playheadProperty().get(), w);
        g.setStroke(Color.web("#ff4d4d"));
        g.setLineWidth(1);
        g.strokeLine(Math.round(px) + 0.5, 0, Math.round(px) + 0.5, h);
    }
}
