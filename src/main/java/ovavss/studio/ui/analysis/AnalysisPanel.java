package ovavss.studio.ui.analysis;

import java.util.Locale;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Slider;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.util.Duration;
import org.kordamp.ikonli.javafx.FontIcon;
import ovavss.studio.app.AnalysisResults;

/**
 * The side panel of "Analyse": Analyse / Cancel, a progress bar with the ETA, the object list
 * (label, score, sound score, keyframes where sounding) and the {@link VocabularyEditor}. It
 * samples the view model every 150 ms while a job runs.
 */
public final class AnalysisPanel extends VBox {
    /** Progress sampling period (STYLE.md: 100–200 ms, never one runLater per step). */
    public static final Duration POLL = Duration.millis(150);

    private final AnalysisViewModel vm;
    private final Button analyse = new Button("Analyse", new FontIcon("mdi2b-brain"));
    private final Button cancel = new Button("Cancel", new FontIcon("mdi2c-close-circle-outline"));
    private final ProgressBar bar = new ProgressBar(0);
    private final TableView<AnalysisResults.Summary> table = new TableView<>();
    private final Slider opacity = new Slider(0, 1, 0.45);
    private final Timeline poller;
    private final VBox hearing;

    /**
     * @param start starts an analysis of the open media (the main window knows media and selection)
     */
    public AnalysisPanel(AnalysisViewModel vm, Runnable start) {
        this(vm, start, () -> { });
    }

    /**
     * @param start starts an analysis of the open media (the main window knows media and selection)
     * @param hear starts "What do I hear?" on the open media
     */
    public AnalysisPanel(AnalysisViewModel vm, Runnable start, Runnable hear) {
        this.vm = vm;
        getStyleClass().add("analysis-panel");
        setSpacing(6);
        setPadding(new Insets(6));
        setPrefWidth(330);
        setMinWidth(220);

        analyse.setId("analyse-button");
        analyse.setTooltip(new Tooltip("Segment the sounding objects of the open clip (or the selected range)"));
        analyse.setOnAction(e -> start.run());
        analyse.disableProperty().bind(vm.runningProperty());
        cancel.setId("analyse-cancel");
        cancel.setOnAction(e -> vm.cancel());
        cancel.disableProperty().bind(vm.runningProperty().not());

        bar.setId("analyse-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.progressProperty().bind(vm.progressProperty());
        bar.visibleProperty().bind(vm.runningProperty());
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label eta = new Label();
        eta.setId("analyse-eta");
        eta.textProperty().bind(vm.etaTextProperty());
        Label state = new Label();
        state.setId("analyse-state");
        state.textProperty().bind(vm.progressTextProperty());
        Label message = new Label();
        message.setId("analyse-message");
        message.setWrapText(true);
        message.textProperty().bind(vm.messageProperty());

        opacity.setId("mask-opacity");
        opacity.setTooltip(new Tooltip("Fill opacity of the masks over the video"));
        HBox.setHgrow(opacity, Priority.ALWAYS);
        Label opacityLabel = new Label("Mask opacity");
        HBox opacityRow = new HBox(6, opacityLabel, opacity);
        opacityRow.setAlignment(Pos.CENTER_LEFT);

        Label model = new Label();
        model.setId("analyse-model");
        model.textProperty().bind(vm.modelTextProperty());
        model.setMaxWidth(Double.MAX_VALUE);

        javafx.scene.control.ComboBox<ovavss.studio.model.AnalysisMethod> methodBox =
                new javafx.scene.control.ComboBox<>(vm.methods());
        methodBox.setId("analyse-method");
        methodBox.valueProperty().bindBidirectional(vm.methodProperty());
        methodBox.disableProperty().bind(vm.runningProperty().or(javafx.beans.binding.Bindings.size(vm.methods())
                .lessThan(2)));
        methodBox.setFocusTraversable(false);
        methodBox.setTooltip(new Tooltip("How the next analysis finds and names sounding objects: OV-AVSS (the "
                + "audio-conditioned segmenter), SeAC (image-only masks associated with the audio) or OpenAVS "
                + "(the audio's names matched to CLIP-named masks). The bundle decides which it offers."));
        HBox buttons = new HBox(6, analyse, cancel, methodBox);
        buttons.setAlignment(Pos.CENTER_LEFT);
        HBox progressRow = new HBox(6, bar, eta);
        progressRow.setAlignment(Pos.CENTER_LEFT);
        // The bar shows only while a job runs but keeps its room, so the panel does not jump when it appears.
        progressRow.visibleProperty().bind(vm.runningProperty());

        buildTable();
        VocabularyEditor vocab = new VocabularyEditor(vm);
        VBox.setVgrow(table, Priority.ALWAYS);
        VBox.setVgrow(vocab, Priority.ALWAYS);
        Label objectsTitle = new Label("Objects");
        objectsTitle.getStyleClass().add("panel-title");
        Label vocabTitle = new Label("Vocabulary");
        vocabTitle.getStyleClass().add("panel-title");
        // the object list and the vocabulary share the rest, split where the user drags
        VBox objectsBox = new VBox(4, objectsTitle, table);
        VBox vocabBox = new VBox(4, vocabTitle, vocab);
        javafx.scene.control.SplitPane lists = new javafx.scene.control.SplitPane(objectsBox, vocabBox);
        hearing = hearingBox(hear);
        lists.setId("analysis-lists");
        lists.setOrientation(javafx.geometry.Orientation.VERTICAL);
        lists.setDividerPositions(0.55);
        lists.getStyleClass().add("analysis-lists");
        VBox.setVgrow(lists, Priority.ALWAYS);
        getChildren().addAll(model, buttons, progressRow, state, message, opacityRow, lists);

        poller = new Timeline(new KeyFrame(POLL, e -> vm.poll()));
        poller.setCycleCount(Timeline.INDEFINITE);
        vm.runningProperty().addListener((o, a, on) -> {
            if (on) {
                poller.play();
            } else {
                poller.stop();
            }
        });
    }

    /** "What do I hear?": per second, the names the audio–text tower hears; a click adds one to the vocabulary. */
    private VBox hearingBox(Runnable hear) {
        Label title = new Label("What do I hear?");
        title.getStyleClass().add("panel-title");
        Button listen = new Button("Listen", new FontIcon("mdi2e-ear-hearing"));
        listen.setId("hear-button");
        listen.setFocusTraversable(false);
        listen.setTooltip(new Tooltip("Per second of the open clip's audio, the names the model hears best "
                + "(OpenAVS's audio-to-text step); click one to add it to the vocabulary"));
        listen.setOnAction(e -> hear.run());
        listen.disableProperty().bind(vm.hearingProperty().or(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !vm.methods().contains(ovavss.studio.model.AnalysisMethod.OPENAVS), vm.methods())));
        Button stop = new Button("Stop");
        stop.setId("hear-stop");
        stop.setFocusTraversable(false);
        stop.setOnAction(e -> vm.stopHearing());
        stop.visibleProperty().bind(vm.hearingProperty());
        Label state = new Label();
        state.setId("hear-state");
        state.setWrapText(true);
        state.textProperty().bind(vm.hearTextProperty());
        javafx.scene.control.ListView<ovavss.studio.app.HeardNames.Second> list =
                new javafx.scene.control.ListView<>(vm.heard());
        list.setId("heard-list");
        list.setFocusTraversable(false);
        list.setCellFactory(v -> new javafx.scene.control.ListCell<>() {
            @Override
            protected void updateItem(ovavss.studio.app.HeardNames.Second s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setGraphic(null);
                    setText(null);
                    return;
                }
                HBox row = new HBox(6);
                row.setAlignment(Pos.CENTER_LEFT);
                row.getChildren().add(new Label(String.format(java.util.Locale.ROOT, "%d:%02d", s.second() / 60,
                        s.second() % 60)));
                for (ovavss.studio.app.HeardNames.Name n : s.names()) {
                    javafx.scene.control.Hyperlink link = new javafx.scene.control.Hyperlink(
                            String.format(java.util.Locale.ROOT, "%s %.2f", n.name(), n.score()));
                    link.setFocusTraversable(false);
                    if (n.prompt()) {
                        link.setStyle("-fx-font-weight: bold;");
                    }
                    boolean known = vm.inVocabulary(n.name());
                    link.setTooltip(new Tooltip(known ? n.name() + " is in the vocabulary"
                            : "Add " + n.name() + " to the vocabulary"));
                    link.setDisable(known);
                    link.setOnAction(e -> {
                        vm.addName(n.name());
                        list.refresh();
                    });
                    row.getChildren().add(link);
                }
                setText(null);
                setGraphic(row);
            }
        });
        // a name added or removed elsewhere changes which names can still be added
        vm.projectChanges().addListener(o -> list.refresh());
        VBox.setVgrow(list, Priority.ALWAYS);
        HBox buttons = new HBox(6, listen, stop);
        buttons.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(4, title, buttons, state, list);
        box.setId("hearing-box");
        box.setPadding(new Insets(4));
        return box;
    }

    /** "What do I hear?", for the main window to place (a tab beside Keyframes and Review). */
    public VBox hearingPane() {
        return hearing;
    }

    public AnalysisViewModel viewModel() {
        return vm;
    }

    /** The mask opacity slider's value, 0..1 (the main window binds the overlay to it). */
    public javafx.beans.property.DoubleProperty maskOpacityProperty() {
        return opacity.valueProperty();
    }

    private void buildTable() {
        table.setId("analysis-objects");
        table.setItems(vm.objects());
        table.setPlaceholder(new Label("No objects yet — press Analyse, or draw one"));
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPrefHeight(180);
        table.setMinHeight(80);

        TableColumn<AnalysisResults.Summary, AnalysisResults.Summary> label = new TableColumn<>("Label");
        label.setCellValueFactory(c -> new javafx.beans.property.SimpleObjectProperty<>(c.getValue()));
        label.setCellFactory(c -> new TableCell<>() {
            private final Rectangle swatch = new Rectangle(10, 10);

            @Override
            protected void updateItem(AnalysisResults.Summary s, boolean empty) {
                super.updateItem(s, empty);
                if (empty || s == null) {
                    setText(null);
                    setGraphic(null);
                    return;
                }
                int rgb = vm.project().getProject().vocabulary().get(s.label()).map(e -> e.rgb()).orElse(0x808080);
                swatch.setFill(Color.rgb((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255));
                setGraphic(swatch);
                setText(s.label());
            }
        });
        label.setPrefWidth(104);
        TableColumn<AnalysisResults.Summary, String> score = text("Score", s -> pct(s.score()));
        TableColumn<AnalysisResults.Summary, String> sound = text("Sound", s -> pct(s.soundScore()));
        TableColumn<AnalysisResults.Summary, String> frames = text("Sounding", s -> ranges(s.soundingKeyframes()));
        // wide enough for their headers at every window size ("Sc…" was cut)
        score.setMinWidth(50);
        score.setPrefWidth(50);
        sound.setMinWidth(52);
        sound.setPrefWidth(52);
        frames.setMinWidth(62);
        label.setMinWidth(80);
        tip(score, "Best CLIP class score of the object");
        tip(sound, "Mean sound-head probability (sounding from 50%)");
        tip(frames, "Keyframes (seconds) where the object is sounding");
        table.getColumns().add(label);
        table.getColumns().add(score);
        table.getColumns().add(sound);
        table.getColumns().add(frames);

        table.setRowFactory(t -> {
            TableRow<AnalysisResults.Summary> row = new TableRow<>();
            row.hoverProperty().addListener((o, a, h) -> {
                if (h && row.getItem() != null) {
                    vm.hoveredObjectIdProperty().set(row.getItem().id());
                } else if (!h && row.getItem() != null && row.getItem().id().equals(vm.hoveredObjectIdProperty().get())) {
                    vm.hoveredObjectIdProperty().set(null);
                }
            });
            // the row of the object hovered in the overlay is highlighted too
            row.styleProperty().bind(Bindings.createStringBinding(() -> row.getItem() != null
                    && row.getItem().id().equals(vm.hoveredObjectIdProperty().get())
                    ? "-fx-background-color: -fx-accent; -fx-text-background-color: white;" : "",
                    row.itemProperty(), vm.hoveredObjectIdProperty()));
            return row;
        });
        table.getSelectionModel().selectedItemProperty().addListener((o, a, s) -> {
            if (s != null) {
                vm.project().selectObject(s.id());
            }
        });
        vm.project().selectedObjectIdProperty().addListener((o, a, id) -> selectRow(id));
        // the list is rebuilt from the project after every edit: the selected object stays selected
        vm.objects().addListener((javafx.collections.ListChangeListener<AnalysisResults.Summary>) c ->
                selectRow(vm.project().getSelectedObjectId()));
    }

    private void selectRow(String id) {
        for (AnalysisResults.Summary s : table.getItems()) {
            if (s.id().equals(id)) {
                table.getSelectionModel().select(s);
                return;
            }
        }
    }

    /** A column header with a tooltip (columns are not controls: the tip sits on a header label). */
    private static void tip(TableColumn<?, ?> c, String text) {
        Label l = new Label(c.getText());
        l.setTooltip(new Tooltip(text));
        c.setText(null);
        c.setGraphic(l);
    }

    private static TableColumn<AnalysisResults.Summary, String> text(String title,
            java.util.function.Function<AnalysisResults.Summary, String> f) {
        TableColumn<AnalysisResults.Summary, String> c = new TableColumn<>(title);
        c.setCellValueFactory(d -> new javafx.beans.property.SimpleStringProperty(f.apply(d.getValue())));
        return c;
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "\u2014" : String.format(Locale.ROOT, "%.0f%%", v * 100);
    }

    /** "0–4, 7" style keyframe ranges. */
    static String ranges(int[] k) {
        if (k.length == 0) {
            return "silent";
        }
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < k.length) {
            int j = i;
            while (j + 1 < k.length && k[j + 1] == k[j] + 1) {
                j++;
            }
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(k[i]);
            if (j > i) {
                sb.append('–').append(k[j]);
            }
            i = j + 1;
        }
        return sb.toString();
    }
}
