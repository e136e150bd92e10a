package ovavss.studio.ui.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.KeyframeStatus;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * The keyframes of the current clip with their status (untouched / predicted / edited /
 * reviewed), a filter, and the clip's review progress. Selecting a row goes to that keyframe;
 * "Mark reviewed" (the keyframe.reviewed action) marks the current one.
 */
public final class KeyframeList extends VBox {
    /** Filters of the list. */
    public enum Filter {
        ALL("All keyframes"), UNTOUCHED("Untouched"), PREDICTED("Predicted"), EDITED("Edited"),
        REVIEWED("Reviewed"), NOT_REVIEWED("Not reviewed");

        private final String text;

        Filter(String text) {
            this.text = text;
        }

        boolean accepts(KeyframeStatus s) {
            return switch (this) {
                case ALL -> true;
                case NOT_REVIEWED -> s != KeyframeStatus.REVIEWED;
                default -> s.name().equals(name());
            };
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /** One row. */
    public record Row(int keyframe, double seconds, KeyframeStatus status, int objects, int sounding) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "#%d  %6.2f s  %-9s %d obj, %d sounding", keyframe, seconds,
                    status.name().toLowerCase(Locale.ROOT), objects, sounding);
        }
    }

    private final ProjectViewModel vm;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ListView<Row> list = new ListView<>(rows);
    private final ComboBox<Filter> filter = new ComboBox<>();
    private final Label summary = new Label();
    private IntConsumer goTo = k -> { };
    private boolean updating;

    /** A list whose tooltips name the default keys (tests). */
    public KeyframeList(ProjectViewModel vm) {
        this(vm, new Shortcuts());
    }

    /** @param keys the registry its tooltips take key names from */
    public KeyframeList(ProjectViewModel vm, Shortcuts keys) {
        this.vm = vm;
        getStyleClass().add("keyframe-list");
        setId("keyframe-list");
        setSpacing(4);
        setPadding(new Insets(4));
        filter.getItems().setAll(Filter.values());
        filter.setValue(Filter.ALL);
        filter.setId("keyframe-filter");
        filter.valueProperty().addListener(o -> refresh());
        Button mark = new Button("Mark reviewed");
        mark.setId("mark-reviewed");
        mark.setTooltip(keys.tooltip("Mark the current keyframe reviewed ({keyframe.reviewed}); again to unmark"));
        mark.setOnAction(e -> toggleReviewed());
        summary.setId("review-summary");
        list.setId("keyframe-rows");
        list.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(Row r, boolean empty) {
                super.updateItem(r, empty);
                getStyleClass().removeIf(s -> s.startsWith("kf-"));
                setText(empty || r == null ? null : r.toString());
                if (!empty && r != null) {
                    getStyleClass().add("kf-" + r.status().name().toLowerCase(Locale.ROOT));
                }
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, r) -> {
            if (!updating && r != null) {
                goTo.accept(r.keyframe());
            }
        });
        VBox.setVgrow(list, Priority.ALWAYS);
        HBox top = new HBox(6, filter, mark);
        getChildren().addAll(top, summary, list);
        vm.projectProperty().addListener(o -> refresh());
        vm.clipIdProperty().addListener(o -> refresh());
        vm.keyframeProperty().addListener(o -> selectCurrent());
        refresh();
    }

    /** Where choosing a row sends the player (keyframe index of the current clip). */
    public void setOnGoTo(IntConsumer c) {
        goTo = c;
    }

    public ComboBox<Filter> filter() {
        return filter;
    }

    public List<Row> rows() {
        return List.copyOf(rows);
    }

    public String summaryText() {
        return summary.getText();
    }

    /** Marks the current keyframe reviewed, or unmarks it when it already is. */
    public void toggleReviewed() {
        vm.currentClip().ifPresent(c -> {
            int k = vm.getKeyframe();
            boolean now = KeyframeStatus.of(c, k) == KeyframeStatus.REVIEWED;
            vm.apply(KeyframeStatus.markReviewed(c.id(), !now, k));
        });
    }

    private void refresh() {
        updating = true;
        try {
            Clip c = vm.currentClip().orElse(null);
            List<Row> out = new ArrayList<>();
            if (c == null) {
                summary.setText("No clip");
            } else {
                List<KeyframeStatus> st = KeyframeStatus.all(c);
                for (int k = 0; k < c.keyframeCount(); k++) {
                    if (filter.getValue().accepts(st.get(k))) {
                        int objects = 0;
                        int sounding = 0;
                        for (SoundingObject o : c.objects()) {
                            ObjectFrame f = o.frame(k);
                            if (f != null) {
                                objects++;
                                sounding += f.sound().isSounding() ? 1 : 0;
                            }
                        }
                        out.add(new Row(k, c.mediaStart() + c.keyframeTimes().get(k), st.get(k), objects, sounding));
                    }
                }
                Map<KeyframeStatus, Integer> m = KeyframeStatus.summary(c);
                summary.setText(String.format(Locale.ROOT, "%d / %d reviewed · %d edited · %d predicted · %d untouched",
                        m.get(KeyframeStatus.REVIEWED), c.keyframeCount(), m.get(KeyframeStatus.EDITED),
                        m.get(KeyframeStatus.PREDICTED), m.get(KeyframeStatus.UNTOUCHED)));
            }
            rows.setAll(out);
        } finally {
            updating = false;
        }
        selectCurrent();
    }

    private void selectCurrent() {
        updating = true;
        try {
            int k = vm.getKeyframe();
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i).keyframe() == k) {
                    list.getSelectionModel().select(i);
                    list.scrollTo(Math.max(0, i - 2));
                    return;
                }
            }
            list.getSelectionModel().clearSelection();
        } finally {
            updating = false;
        }
    }
}
