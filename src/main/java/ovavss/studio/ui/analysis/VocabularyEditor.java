package ovavss.studio.ui.analysis;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ColorPicker;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import org.kordamp.ikonli.javafx.FontIcon;
import ovavss.studio.annotation.ClassSplit;
import ovavss.studio.annotation.LabelNames;
import ovavss.studio.annotation.VocabularyEntry;

/**
 * The live vocabulary editor: the project's class names with colour and base/novel tag. Typing a
 * name and pressing Enter adds it, editing a selected name renames it, Delete removes it; each
 * change relabels the cached analysis at once (no segmenter rerun).
 */
public final class VocabularyEditor extends VBox {
    private final AnalysisViewModel vm;
    private final ListView<VocabularyEntry> list = new ListView<>();
    private final TextField field = new TextField();
    private final ColorPicker colour = new ColorPicker();
    private boolean quietSelection;

    public VocabularyEditor(AnalysisViewModel vm) {
        this.vm = vm;
        setSpacing(4);
        list.setId("vocabulary-list");
        list.setPrefHeight(200);
        VBox.setVgrow(list, Priority.ALWAYS);
        list.setCellFactory(l -> new EntryCell());
        field.setId("vocabulary-field");
        field.setPromptText("add a name, e.g. red-star");
        HBox.setHgrow(field, Priority.ALWAYS);
        field.setOnAction(e -> add());
        Button add = new Button(null, new FontIcon("mdi2p-plus"));
        add.setId("vocabulary-add");
        add.setTooltip(new Tooltip("Add the name (Enter)"));
        add.setOnAction(e -> add());
        Button rename = new Button(null, new FontIcon("mdi2r-rename-box"));
        rename.setId("vocabulary-rename");
        rename.setTooltip(new Tooltip("Rename the selected class to the typed name, keeping its objects "
                + "(the model is asked with the old words, nothing is re-scored)"));
        rename.setOnAction(e -> rename());
        Button reprompt = new Button(null, new FontIcon("mdi2t-text-box-search-outline"));
        reprompt.setId("vocabulary-reprompt");
        reprompt.setTooltip(new Tooltip("Ask the model with the typed words instead: the class takes the new "
                + "name and the model's objects are re-scored (yours keep their masks)"));
        reprompt.setOnAction(e -> reprompt());
        reprompt.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        Button remove = new Button(null, new FontIcon("mdi2d-delete-outline"));
        remove.setId("vocabulary-remove");
        remove.setTooltip(new Tooltip("Remove the selected class (Delete)"));
        remove.setOnAction(e -> remove());
        rename.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        remove.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        colour.setId("vocabulary-colour");
        // a swatch button in the row, not a full-width bar under the list (it was clipped at every size)
        colour.setStyle("-fx-color-label-visible: false;");
        colour.setTooltip(new Tooltip("Colour of the selected class"));
        colour.setMinWidth(44);
        colour.setPrefWidth(44);
        field.setMinWidth(60);
        colour.disableProperty().bind(list.getSelectionModel().selectedItemProperty().isNull());
        colour.setOnAction(e -> {
            VocabularyEntry sel = list.getSelectionModel().getSelectedItem();
            Color c = colour.getValue();
            if (sel != null && c != null) {
                vm.setColour(sel.name(), ((int) Math.round(c.getRed() * 255) << 16)
                        | ((int) Math.round(c.getGreen() * 255) << 8) | (int) Math.round(c.getBlue() * 255));
            }
        });
        list.getSelectionModel().selectedItemProperty().addListener((o, a, e) -> {
            if (e != null) {
                colour.setValue(fx(e.rgb()));
                // Picking a class offers its name for renaming; a just-added or re-selected one leaves the field alone.
                if (!quietSelection) {
                    field.setText(e.name());
                }
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.DELETE || e.getCode() == KeyCode.BACK_SPACE) {
                remove();
                e.consume();
            }
        });
        HBox row = new HBox(4, field, add, rename, reprompt, colour, remove);
        row.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(row, list);

        vm.project().projectProperty().addListener((o, a, p) -> refresh());
        refresh();
    }

    /** Shows the project vocabulary, keeping the selection by name. */
    private void refresh() {
        VocabularyEntry sel = list.getSelectionModel().getSelectedItem();
        list.getItems().setAll(vm.vocabularyEntries());
        if (sel != null) {
            // Re-selecting after a project change must not overwrite what the user is typing.
            quietSelection = true;
            try {
                list.getItems().stream().filter(e -> e.name().equals(sel.name())).findFirst()
                        .ifPresent(e -> list.getSelectionModel().select(e));
            } finally {
                quietSelection = false;
            }
        }
    }

    private void add() {
        if (vm.addName(field.getText())) {
            String name = LabelNames.normalise(field.getText());
            field.clear();
            list.getItems().stream().filter(e -> e.name().equals(name)).findFirst().ifPresent(e -> {
                quietSelection = true;
                try {
                    list.getSelectionModel().select(e);
                } finally {
                    quietSelection = false;
                }
                list.scrollTo(e);
            });
        }
    }

    private void rename() {
        VocabularyEntry sel = list.getSelectionModel().getSelectedItem();
        if (sel != null) {
            vm.renameKeepingObjects(sel.name(), field.getText());
        }
    }

    private void reprompt() {
        VocabularyEntry sel = list.getSelectionModel().getSelectedItem();
        if (sel != null) {
            vm.renameName(sel.name(), field.getText());
        }
    }

    private void remove() {
        VocabularyEntry sel = list.getSelectionModel().getSelectedItem();
        if (sel != null) {
            vm.removeName(sel.name());
        }
    }

    static Color fx(int rgb) {
        return Color.rgb((rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255);
    }

    /** Swatch, name and a clickable BASE/NOVEL tag. */
    private final class EntryCell extends ListCell<VocabularyEntry> {
        private final Rectangle swatch = new Rectangle(12, 12);
        private final Label name = new Label();
        private final Label tag = new Label();
        private final HBox box;

        EntryCell() {
            Region grow = new Region();
            HBox.setHgrow(grow, Priority.ALWAYS);
            tag.getStyleClass().add("class-tag");
            box = new HBox(6, swatch, name, grow, tag);
            box.setAlignment(Pos.CENTER_LEFT);
            MenuItem base = new MenuItem("Tag as base (seen in training)");
            base.setOnAction(e -> vm.setSplit(getItem().name(), ClassSplit.BASE));
            MenuItem novel = new MenuItem("Tag as novel (unseen)");
            novel.setOnAction(e -> vm.setSplit(getItem().name(), ClassSplit.NOVEL));
            MenuItem remove = new MenuItem("Remove");
            remove.setOnAction(e -> vm.removeName(getItem().name()));
            setContextMenu(new ContextMenu(base, novel, remove));
        }

        @Override
        protected void updateItem(VocabularyEntry e, boolean empty) {
            super.updateItem(e, empty);
            if (empty || e == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            swatch.setFill(fx(e.rgb()));
            name.setText(e.name());
            tag.setText(e.split() == ClassSplit.UNTAGGED ? "" : e.split().name().toLowerCase(java.util.Locale.ROOT));
            tag.setStyle(e.split() == ClassSplit.NOVEL ? "-fx-text-fill: #c2185b;" : "-fx-text-fill: #2e7d32;");
            setText(null);
            setGraphic(box);
        }
    }
}
