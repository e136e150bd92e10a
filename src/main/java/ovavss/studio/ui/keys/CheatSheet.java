package ovavss.studio.ui.keys;

import java.util.Locale;
import java.util.prefs.Preferences;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.transformation.FilteredList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/**
 * The F1 cheat sheet: every action with its keys, grouped, searchable. Select a row, press
 * "Change keys…" and type the new combination; a combination another action has is refused with
 * its name. Changes are stored in the preferences at once.
 */
public final class CheatSheet extends VBox {
    private final Shortcuts shortcuts;
    private final Preferences prefs;
    private final TableView<Shortcuts.Action> table = new TableView<>();
    private final Label message = new Label("Select an action and press \"Change keys…\" to rebind it.");
    private final Button change = new Button("Change keys…");
    private boolean capturing;

    public CheatSheet(Shortcuts shortcuts, Preferences prefs) {
        this.shortcuts = shortcuts;
        this.prefs = prefs;
        getStyleClass().add("cheat-sheet");
        setSpacing(6);
        setPadding(new Insets(8));
        TextField search = new TextField();
        search.setPromptText("Search actions or keys");
        search.setId("shortcut-search");
        FilteredList<Shortcuts.Action> rows = new FilteredList<>(FXCollections.observableArrayList(shortcuts.actions()));
        search.textProperty().addListener((o, a, t) -> {
            String q = t.toLowerCase(Locale.ROOT).strip();
            rows.setPredicate(q.isEmpty() ? null : x -> (x.group() + " " + x.description() + " "
                    + shortcuts.display(x.id())).toLowerCase(Locale.ROOT).contains(q));
        });
        TableColumn<Shortcuts.Action, String> group = new TableColumn<>("Group");
        group.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().group()));
        TableColumn<Shortcuts.Action, String> what = new TableColumn<>("Action");
        what.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().description()));
        what.setPrefWidth(330);
        TableColumn<Shortcuts.Action, String> keys = new TableColumn<>("Keys");
        keys.setCellValueFactory(c -> shortcuts.displayProperty(c.getValue().id()));
        keys.setPrefWidth(140);
        table.getColumns().setAll(java.util.List.of(group, what, keys));
        table.setItems(rows);
        table.setId("shortcut-table");
        table.setPrefHeight(420);
        VBox.setVgrow(table, Priority.ALWAYS);

        change.setId("shortcut-change");
        change.disableProperty().bind(table.getSelectionModel().selectedItemProperty().isNull());
        change.setOnAction(e -> {
            capturing = true;
            message.setText("Press the new keys for \"" + table.getSelectionModel().getSelectedItem().description()
                    + "\" (Esc cancels)");
            table.requestFocus();
        });
        Button reset = new Button("Reset all");
        reset.setOnAction(e -> {
            shortcuts.resetAll();
            shortcuts.save(prefs);
            message.setText("All shortcuts are back to their defaults.");
        });
        message.setId("shortcut-message");
        message.setWrapText(true);
        addEventFilter(KeyEvent.KEY_PRESSED, this::captured);
        getChildren().addAll(search, table, new HBox(8, change, reset), message);
    }

    /** The combination typed while capturing becomes the selected action's keys (unless taken). */
    private void captured(KeyEvent e) {
        if (!capturing) {
            return;
        }
        KeyCode c = e.getCode();
        if (c.isModifierKey() || c == KeyCode.UNDEFINED) {
            return;
        }
        e.consume();
        capturing = false;
        if (c == KeyCode.ESCAPE) {
            message.setText("Unchanged.");
            return;
        }
        Shortcuts.Action a = table.getSelectionModel().getSelectedItem();
        KeyCombination k = combination(e);
        message.setText(assign(a.id(), k));
    }

    /** Rebinds, stores and refreshes; returns the message shown. */
    public String assign(String actionId, KeyCombination k) {
        Shortcuts.Rebind r = shortcuts.rebind(actionId, k);
        if (r.ok()) {
            shortcuts.save(prefs);
        }
        message.setText(r.message());
        return r.message();
    }

    /** The combination of a key event with only the modifiers that are down. */
    static KeyCombination combination(KeyEvent e) {
        java.util.List<KeyCombination.Modifier> mods = new java.util.ArrayList<>();
        if (e.isShortcutDown()) {
            mods.add(KeyCombination.SHORTCUT_DOWN);
        } else if (e.isControlDown()) {
            mods.add(KeyCombination.CONTROL_DOWN);
        }
        if (e.isShiftDown()) {
            mods.add(KeyCombination.SHIFT_DOWN);
        }
        if (e.isAltDown()) {
            mods.add(KeyCombination.ALT_DOWN);
        }
        return new KeyCodeCombination(e.getCode(), mods.toArray(KeyCombination.Modifier[]::new));
    }

    public TableView<Shortcuts.Action> table() {
        return table;
    }

    /** Shows the sheet as a non-modal dialog over {@code owner}. */
    public static Dialog<Void> show(Node owner, Shortcuts shortcuts, Preferences prefs) {
        Dialog<Void> d = new Dialog<>();
        d.setTitle("Keyboard shortcuts");
        d.headerTextProperty().bind(shortcuts.hint("Keyboard shortcuts ({help})"));
        d.getDialogPane().setContent(new CheatSheet(shortcuts, prefs));
        d.getDialogPane().getButtonTypes().add(ButtonType.CLOSE);
        d.setResizable(true);
        if (owner != null && owner.getScene() != null) {
            d.initOwner(owner.getScene().getWindow());
        }
        d.show();
        return d;
    }
}
