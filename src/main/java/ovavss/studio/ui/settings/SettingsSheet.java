package ovavss.studio.ui.settings;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.layout.Region;
import org.controlsfx.control.PropertySheet;
import org.controlsfx.property.editor.PropertyEditor;

/**
 * The settings dialogs' form: a ControlsFX {@link PropertySheet} whose rows carry ready-made
 * editors. Each row names a setting, explains it in the name's tooltip and shows the control that
 * edits it; the controls keep their own values, ids and converters, so a dialog reads them back
 * as it would from any form.
 */
public final class SettingsSheet {
    private SettingsSheet() {
    }

    /**
     * One setting.
     *
     * @param description shown as the tooltip of the name; null for none
     * @param editor the control that edits the setting (its value is the setting)
     */
    public record Row(String name, String description, Node editor) implements PropertySheet.Item {
        public Row {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(editor, "editor");
        }

        @Override
        public Class<?> getType() {
            return Object.class;
        }

        @Override
        public String getCategory() {
            return "";
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String getDescription() {
            return description;
        }

        /** The editor holds the value; the sheet never reads or writes it. */
        @Override
        public Object getValue() {
            return null;
        }

        @Override
        public void setValue(Object value) {
            // the editor holds the value
        }

        @Override
        public Optional<ObservableValue<?>> getObservableValue() {
            return Optional.empty();
        }
    }

    /** A sheet of {@code rows} in the given order, without the mode switcher and the search box. */
    public static PropertySheet of(List<Row> rows) {
        PropertySheet sheet = new PropertySheet(FXCollections.observableArrayList(rows));
        sheet.getStyleClass().add("settings-sheet");
        sheet.setMode(PropertySheet.Mode.NAME);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false);
        // A dialog's form: as tall as its rows, never a scroll pane squeezed by the dialog.
        sheet.setMinHeight(Region.USE_PREF_SIZE);
        sheet.setPropertyEditorFactory(item -> new PropertyEditor<Object>() {
            @Override
            public Node getEditor() {
                return ((Row) item).editor();
            }

            @Override
            public Object getValue() {
                return null;
            }

            @Override
            public void setValue(Object value) {
                // the editor holds the value
            }
        });
        return sheet;
    }
}
