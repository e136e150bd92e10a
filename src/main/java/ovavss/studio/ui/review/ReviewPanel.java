package ovavss.studio.ui.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.ReviewDiff;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.overlay.MaskOverlay;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * Review: the diff between the model's prediction and the human annotation over the video
 * (true / missed / extra pixels in three colour-blind-safe colours) and per-class IoU and F for
 * the keyframe, the clip and the project with the {@code eval} definitions. Clicking a class
 * goes to the keyframe where it scored worst.
 */
public final class ReviewPanel extends VBox {
    /** Okabe–Ito blue, orange and reddish purple, with alpha. */
    public static final int TRUE_ARGB = 0xB00072B2;
    public static final int MISSED_ARGB = 0xC0E69F00;
    public static final int EXTRA_ARGB = 0xC0CC79A7;

    /** One table row. */
    public record ClassRow(String name, double frameIoU, double frameF, double clipIoU, double clipF,
                           double projectIoU, double projectF, ReviewDiff.Worst worst) {
    }

    private final ProjectViewModel vm;
    private final MaskOverlay overlay;
    private final ToggleButton show = new ToggleButton("Show diff");
    private final TableView<ClassRow> table = new TableView<>();
    private final Label summary = new Label();
    private final ImageView diffView = new ImageView();
    private WritableImage diffImage;
    private BiConsumer<String, Integer> goTo = (c, k) -> { };
    private ReviewDiff.Report report;

    /** A panel whose tooltips name the default keys (tests). */
    public ReviewPanel(ProjectViewModel vm, MaskOverlay overlay) {
        this(vm, overlay, new Shortcuts());
    }

    /** @param keys the registry its tooltips take key names from */
    public ReviewPanel(ProjectViewModel vm, MaskOverlay overlay, Shortcuts keys) {
        this.vm = vm;
        this.overlay = overlay;
        getStyleClass().add("review-panel");
        setId("review-panel");
        setSpacing(4);
        setPadding(new Insets(4));
        show.setId("diff-toggle");
        show.setTooltip(keys.tooltip("Prediction vs annotation: blue = true, orange = missed, purple = extra "
                + "({review.diff})"));
        show.setFocusTraversable(false);
        summary.setId("review-scores");
        summary.setWrapText(true);
        Label legend = new Label("■ true  ■ missed  ■ extra");
        legend.setStyle("-fx-text-fill: linear-gradient(to right, #0072B2 0%, #0072B2 30%, #E69F00 31%, #E69F00 65%, #CC79A7 66%);");
        diffView.setSmooth(false);
        diffView.setManaged(false);
        diffView.setMouseTransparent(true);
        diffView.setId("diff-layer");
        diffView.visibleProperty().bind(show.selectedProperty());
        overlay.toolLayer().getChildren().add(0, diffView);

        table.setId("review-table");
        table.getColumns().setAll(List.of(text("Class", ClassRow::name, 110),
                num("Frame IoU", ClassRow::frameIoU), num("F", ClassRow::frameF),
                num("Clip IoU", ClassRow::clipIoU), num("F", ClassRow::clipF),
                num("Project IoU", ClassRow::projectIoU), num("F", ClassRow::projectF)));
        table.setPlaceholder(new Label("No keyframe has both a prediction and an annotation yet."));
        table.setPrefHeight(160);
        VBox.setVgrow(table, Priority.ALWAYS);
        table.setRowFactory(t -> {
            javafx.scene.control.TableRow<ClassRow> row = new javafx.scene.control.TableRow<>();
            row.setOnMouseClicked(e -> {
                ClassRow r = row.getItem();
                if (r != null && r.worst() != null) {
                    goTo.accept(r.worst().clipId(), r.worst().keyframe());
                }
            });
            return row;
        });
        getChildren().addAll(new HBox(8, show, legend), summary, table);

        vm.projectProperty().addListener(o -> refreshLater());
        vm.clipIdProperty().addListener(o -> refreshLater());
        vm.keyframeProperty().addListener(o -> refreshLater());
        show.selectedProperty().addListener(o -> refresh());
        visibleProperty().addListener(o -> refreshLater());
        overlay.layoutBoundsProperty().addListener(o -> place());
        overlay.needsLayoutProperty().addListener(o -> place());
        refresh();
    }

    private static TableColumn<ClassRow, String> text(String title, java.util.function.Function<ClassRow, String> f, double w) {
        TableColumn<ClassRow, String> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyStringWrapper(f.apply(x.getValue())));
        c.setPrefWidth(w);
        return c;
    }

    private static TableColumn<ClassRow, Double> num(String title, java.util.function.ToDoubleFunction<ClassRow> f) {
        TableColumn<ClassRow, Double> c = new TableColumn<>(title);
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.applyAsDouble(x.getValue())));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(Double v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v));
            }
        });
        c.setPrefWidth(64);
        return c;
    }

    /** Shows the diff over the video (D). */
    public BooleanProperty showDiffProperty() {
        return show.selectedProperty();
    }

    /** Where clicking a class goes: its worst clip and keyframe. */
    public void setOnGoTo(BiConsumer<String, Integer> c) {
        goTo = c;
    }

    /** The last review (null before the first refresh with a project). */
    public ReviewDiff.Report report() {
        return report;
    }

    public List<ClassRow> rows() {
        return List.copyOf(table.getItems());
    }

    private boolean refreshQueued;
    private boolean stale = true;

    /**
     * Review work is pixel work over the whole project: it runs at most once per pulse, and only
     * while the panel or the diff is on screen (a hidden tab catches up when shown), so brush
     * strokes never wait for it.
     */
    private void refreshLater() {
        stale = true;
        if (refreshQueued) {
            return;
        }
        refreshQueued = true;
        javafx.application.Platform.runLater(() -> {
            refreshQueued = false;
            if (show.isSelected() || onScreen()) {
                refresh();
            }
        });
    }

    private boolean onScreen() {
        if (getScene() == null) {
            return false;
        }
        for (javafx.scene.Node n = this; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Brings the scores up to date if edits came while hidden (call when the panel is shown). */
    public void refreshIfStale() {
        if (stale) {
            refresh();
        }
    }

    /** True when the scores wait for the panel to be shown. */
    public boolean isStale() {
        return stale;
    }

    /** Recomputes the scores and, when shown, the diff of the current keyframe. */
    public void refresh() {
        stale = false;
        Clip c = vm.currentClip().orElse(null);
        report = ReviewDiff.review(vm.getProject(), c == null ? null : c.id(), c == null ? -1 : vm.getKeyframe());
        List<ClassRow> rows = new ArrayList<>();
        for (int i = 1; i < report.classes().size(); i++) {
            if (report.project().classFrames()[i] == 0) {
                continue;
            }
            double nan = Double.NaN;
            rows.add(new ClassRow(report.classes().get(i),
                    report.frame() == null || report.frame().classFrames()[i] == 0 ? nan : report.frame().iou()[i],
                    report.frame() == null || report.frame().classFrames()[i] == 0 ? nan : report.frame().f()[i],
                    report.clip() == null || report.clip().classFrames()[i] == 0 ? nan : report.clip().iou()[i],
                    report.clip() == null || report.clip().classFrames()[i] == 0 ? nan : report.clip().f()[i],
                    report.project().iou()[i], report.project().f()[i], report.worst().get(i)));
        }
        table.getItems().setAll(rows);
        // The official mean counts every vocabulary class (absent ones as 0), which reads as
        // "bad" for a large vocabulary; the mean over the classes that occur is shown beside it.
        double iouPresent = 0;
        double fPresent = 0;
        int present = 0;
        for (int i = 0; i < report.classes().size(); i++) {
            if (report.project().classFrames()[i] > 0) {
                iouPresent += report.project().iou()[i];
                fPresent += report.project().f()[i];
                present++;
            }
        }
        summary.setText(report.compared() == 0 ? "Nothing to compare: run Analyse and annotate some keyframes."
                : String.format(Locale.ROOT, "%d keyframe(s) compared · mIoU %.1f, F %.1f over the %d classes present "
                        + "(background included) · official mIoU over all %d classes %.1f",
                report.compared(), 100 * iouPresent / present, 100 * fPresent / present, present,
                report.classes().size(), 100 * report.project().meanIoU()));
        if (show.isSelected()) {
            paintDiff(c);
        }
    }

    /** Counts of {true, missed, extra} pixels in the diff shown (tests). */
    public int[] shownCounts() {
        int[] n = new int[3];
        if (diffImage == null) {
            return n;
        }
        int w = (int) diffImage.getWidth();
        int h = (int) diffImage.getHeight();
        int[] px = new int[w * h];
        diffImage.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        int[] ref = {TRUE_ARGB, MISSED_ARGB, EXTRA_ARGB};
        for (int v : px) {
            if ((v >>> 24) == 0) {
                continue;
            }
            // nearest of the three colours: the image stores premultiplied pixels, so exact
            // values may come back off by one
            int best = 0;
            int bestD = Integer.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                int d = 0;
                for (int sh = 0; sh <= 24; sh += 8) {
                    d += Math.abs(((v >>> sh) & 255) - ((ref[i] >>> sh) & 255));
                }
                if (d < bestD) {
                    bestD = d;
                    best = i;
                }
            }
            n[best]++;
        }
        return n;
    }

    private void paintDiff(Clip c) {
        if (c == null) {
            diffView.setImage(null);
            return;
        }
        int k = vm.getKeyframe();
        int[] ann = ReviewDiff.annotationLabels(c, k, report.classes());
        int[] pred = ReviewDiff.labels(c, k, report.classes(), ReviewDiff.MODEL);
        byte[] d = ReviewDiff.pixels(ann, pred);
        int[] argb = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            argb[i] = switch (d[i]) {
                case ReviewDiff.TRUE -> TRUE_ARGB;
                case ReviewDiff.MISSED -> MISSED_ARGB;
                case ReviewDiff.EXTRA -> EXTRA_ARGB;
                default -> 0;
            };
        }
        if (diffImage == null || diffImage.getWidth() != c.width() || diffImage.getHeight() != c.height()) {
            diffImage = new WritableImage(c.width(), c.height());
        }
        diffImage.getPixelWriter().setPixels(0, 0, c.width(), c.height(), PixelFormat.getIntArgbInstance(), argb, 0,
                c.width());
        diffView.setImage(diffImage);
        place();
    }

    /** Puts the diff exactly over the overlay's picture rectangle. */
    private void place() {
        if (diffImage == null) {
            return;
        }
        Point2D a = overlay.toLocal(0, 0);
        Point2D b = overlay.toLocal(diffImage.getWidth(), diffImage.getHeight());
        diffView.relocate(a.getX(), a.getY());
        diffView.setFitWidth(b.getX() - a.getX());
        diffView.setFitHeight(b.getY() - a.getY());
    }
}
