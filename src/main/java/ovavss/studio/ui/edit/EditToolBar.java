package ovavss.studio.ui.edit;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Separator;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.ComboBoxListViewSkin;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Edits;
import ovavss.studio.annotation.LabelNames;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.ui.keys.Shortcuts;
import ovavss.studio.ui.project.ProjectViewModel;
import org.controlsfx.control.SearchableComboBox;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The editing toolbar: the mask tools, brush size, the selected object with its label (a
 * ControlsFX {@link SearchableComboBox} over the vocabulary: typing filters it, Enter takes the
 * first match, and a name that matches nothing adds the class and relabels in one undoable step,
 * spelled as {@link Edits} says), its sound flag, "don't paint over other objects", undo and redo.
 */
public final class EditToolBar extends ToolBar {
    private final ProjectViewModel vm;
    private final MaskEditor editor;
    private final ComboBox<String> object = new ComboBox<>();
    private final SearchableComboBox<String> label = new SearchableComboBox<>();
    /** The label box's popup list, once its Enter filter is installed. */
    private ListView<?> labelPopup;
    private final ToggleButton sound = new ToggleButton("silent");
    private boolean updating;

    public EditToolBar(ProjectViewModel vm, MaskEditor editor, Shortcuts keys) {
        this.vm = vm;
        this.editor = editor;
        getStyleClass().add("edit-toolbar");
        setId("edit-toolbar");
        ToggleGroup tools = new ToggleGroup();
        ToggleButton select = tool(tools, MaskEditor.Tool.SELECT, "mdi2c-cursor-default-outline", "Select", keys, "tool.select");
        ToggleButton brush = tool(tools, MaskEditor.Tool.BRUSH, "mdi2b-brush", "Brush", keys, "tool.brush");
        ToggleButton eraser = tool(tools, MaskEditor.Tool.ERASER, "mdi2e-eraser", "Eraser", keys, "tool.eraser");
        ToggleButton polygon = tool(tools, MaskEditor.Tool.POLYGON, "mdi2v-vector-polygon", "Polygon: click points, "
                + "double-click or {polygon.close} closes", keys, "tool.polygon");
        ToggleButton fill = tool(tools, MaskEditor.Tool.FILL, "mdi2f-format-color-fill", "Fill a hole", keys, "tool.fill");
        editor.toolProperty().addListener((o, a, t) -> syncTool(tools, t));
        syncTool(tools, editor.toolProperty().get());
        tools.selectedToggleProperty().addListener((o, a, t) -> {
            if (t == null) {
                a.setSelected(true); // one tool is always active
            } else {
                editor.toolProperty().set((MaskEditor.Tool) t.getUserData());
            }
        });

        Label size = new Label();
        size.setId("brush-size");
        size.textProperty().bind(Bindings.format("%.0f px", editor.brushRadiusProperty()));
        size.setTooltip(keys.tooltip("Brush radius in media pixels ({brush.smaller} smaller, {brush.larger} larger)"));

        object.setId("object-choice");
        object.setPromptText("object");
        // fixed widths: the toolbar must fit a 1024-pixel window without hiding undo and redo
        object.setPrefWidth(160);
        object.setMaxWidth(160);
        object.setTooltip(keys.tooltip("Selected object ({object.next} cycles, {object.new} adds one)"));
        object.setFocusTraversable(false);
        object.valueProperty().addListener((o, a, v) -> {
            if (!updating && v != null) {
                vm.selectObject(v.substring(0, v.indexOf(' ') < 0 ? v.length() : v.indexOf(' ')));
            }
        });
        label.setId("label-choice");
        label.setPromptText("label");
        label.setTooltip(keys.tooltip("The object's label ({object.label}): type to search the vocabulary, Enter "
                + "takes the first match; a name that matches nothing is added as a new class"));
        label.setPrefWidth(130);
        // Takes focus only when clicked, so plain shortcut keys keep working elsewhere.
        label.setFocusTraversable(false);
        // While the popup shows, filtering may change the value: the pick counts once it closes.
        label.setOnAction(e -> {
            if (!updating && !label.isShowing()) {
                pickLabel();
            }
        });
        label.showingProperty().addListener((o, was, showing) -> {
            if (showing) {
                hookNewNames();
            } else if (!updating) {
                pickLabel();
            }
        });
        Button add = icon("mdi2p-plus-box-outline", keys.tooltip("New object ({object.new})"));
        add.setOnAction(e -> editor.newObject());
        Button delete = icon("mdi2d-delete-outline", keys.tooltip("Delete the object ({object.delete})"));
        delete.setOnAction(e -> editor.deleteSelected());
        sound.setId("sound-toggle");
        sound.setFocusTraversable(false);
        sound.setTooltip(keys.tooltip("Sounding / silent on this keyframe ({sound.toggle})"));
        sound.setOnAction(e -> {
            editor.toggleSound();
            refresh();
        });
        Button accept = icon("mdi2c-check-all", keys.tooltip("Accept the model's prediction: the selected object, "
                + "or every object on this keyframe when none is selected ({prediction.accept})"));
        accept.setId("accept-prediction");
        accept.setOnAction(e -> editor.review(true));
        Button reject = icon("mdi2c-close-box-multiple-outline", keys.tooltip("Reject the model's prediction "
                + "({prediction.reject})"));
        reject.setId("reject-prediction");
        reject.setOnAction(e -> editor.review(false));
        Button copy = icon("mdi2c-content-copy", keys.tooltip("Copy the mask from the previous keyframe "
                + "({object.copyPrevious}; next: {object.copyNext})"));
        copy.setOnAction(e -> editor.copyFromNeighbour(-1));
        Button merge = icon("mdi2c-call-merge", keys.tooltip("Merge the object into the one selected before "
                + "({object.merge})"));
        merge.setOnAction(e -> editor.mergeIntoPrevious());
        CheckBox disjoint = new CheckBox("keep apart");
        disjoint.setTooltip(new javafx.scene.control.Tooltip("Don't paint over other objects: a stroke, polygon or "
                + "fill leaves the pixels of other objects as they are"));
        disjoint.setFocusTraversable(false);
        disjoint.selectedProperty().bindBidirectional(vm.keepObjectsDisjointProperty());
        Button undo = icon("mdi2u-undo", keys.tooltip("Undo ({undo})"));
        undo.setId("undo-button");
        undo.setOnAction(e -> vm.undo());
        undo.disableProperty().bind(vm.canUndoProperty().not());
        Button redo = icon("mdi2r-redo", keys.tooltip("Redo ({redo})"));
        redo.setId("redo-button");
        redo.setOnAction(e -> vm.redo());
        redo.disableProperty().bind(vm.canRedoProperty().not());

        getItems().addAll(select, brush, eraser, polygon, fill, size, new Separator(), object, label, add, delete,
                sound, copy, merge, new Separator(), accept, reject, new Separator(), disjoint, new Separator(), undo, redo);
        vm.projectProperty().addListener(o -> refresh());
        vm.clipIdProperty().addListener(o -> refresh());
        vm.selectedObjectIdProperty().addListener(o -> refresh());
        vm.keyframeProperty().addListener(o -> refresh());
        refresh();
    }

    private void syncTool(ToggleGroup tools, MaskEditor.Tool t) {
        tools.getToggles().forEach(x -> x.setSelected(x.getUserData() == t));
    }

    private ToggleButton tool(ToggleGroup g, MaskEditor.Tool t, String icon, String tip, Shortcuts keys, String action) {
        ToggleButton b = new ToggleButton(null, new FontIcon(icon));
        b.setToggleGroup(g);
        b.setUserData(t);
        b.setId("tool-" + t.name().toLowerCase(java.util.Locale.ROOT));
        b.setTooltip(keys.tooltip(tip + " ({" + action + "})"));
        b.setFocusTraversable(false);
        return b;
    }

    private static Button icon(String icon, Tooltip tip) {
        Button b = new Button(null, new FontIcon(icon));
        b.setTooltip(tip);
        b.setFocusTraversable(false);
        return b;
    }

    /** Opens the label box with its search field focused (the object.label action). */
    public void editLabel() {
        if (!label.isDisabled()) {
            label.requestFocus();
            label.show();
        }
    }

    /**
     * The SearchableComboBox only picks names it lists; Enter in its search field with a name
     * that is listed exactly (any case) or matches nothing commits that name instead, so a new
     * class can be typed in place. Installed on the popup list, which sees the key first.
     */
    private void hookNewNames() {
        if (labelPopup != null) {
            return;
        }
        if (label.lookup("#filtered") instanceof ComboBox<?> inner
                && inner.getSkin() instanceof ComboBoxListViewSkin<?> skin
                && skin.getPopupContent() instanceof ListView<?> list) {
            labelPopup = list;
            list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() != KeyCode.ENTER || !(label.lookup("#search") instanceof TextField search)) {
                    return;
                }
                String typed = search.getText() == null ? "" : search.getText().strip();
                if (typed.isEmpty()) {
                    return;
                }
                String exact = label.getItems().stream().filter(n -> LabelNames.same(n, typed)).findFirst()
                        .orElse(null);
                if (exact == null && !list.getItems().isEmpty()) {
                    return; // the first match, as the box does by itself
                }
                e.consume();
                commitLabel(exact != null ? exact : typed);
                label.hide();
                editor.overlay().requestFocus();
            });
        }
    }

    /** The name picked in the box becomes the object's label; no pick (closed by a click away) keeps it. */
    private void pickLabel() {
        if (label.getValue() == null) {
            refresh();
            return;
        }
        commitLabel(label.getValue());
        editor.overlay().requestFocus();
    }

    /** Applies a picked or typed label to the selected object. */
    public void commitLabel(String text) {
        if (updating) {
            return;
        }
        String name = text == null ? "" : text;
        vm.selectedObject().ifPresentOrElse(o -> {
            // The edit model spells the name and finds or adds its class; the same label changes nothing.
            if (!name.isBlank()) {
                vm.apply(Edits.relabel(vm.getClipId(), o.id(), name));
            }
        }, () -> vm.showMessage("Select an object to label"));
        refresh();
    }

    private void refresh() {
        updating = true;
        try {
            Clip c = vm.currentClip().orElse(null);
            List<String> objs = c == null ? List.of() : c.objects().stream().map(o -> o.id() + "  " + o.label()).toList();
            if (!object.getItems().equals(objs)) {
                object.getItems().setAll(objs);
            }
            SoundingObject sel = vm.selectedObject().orElse(null);
            object.setValue(sel == null ? null : sel.id() + "  " + sel.label());
            List<String> names = vm.getProject().vocabulary().entries().stream().map(VocabularyEntry::name).toList();
            if (!label.getItems().equals(names)) {
                // A new list rather than setAll: the SearchableComboBox's filtered view of the old
                // list would be read in the middle of the change.
                label.setItems(FXCollections.observableArrayList(names));
            }
            label.setValue(sel == null ? null : sel.label());
            label.setDisable(sel == null);
            ObjectFrame f = sel == null ? null : sel.frame(vm.getKeyframe());
            String flag = f == null ? "no mask" : switch (f.sound()) {
                case SOUNDING -> "sounding";
                case SILENT -> "silent";
                default -> "sound ?";
            };
            sound.setText(flag);
            sound.setSelected(f != null && f.sound().isSounding());
            sound.setDisable(sel == null);
        } finally {
            updating = false;
        }
    }

    public MaskEditor editor() {
        return editor;
    }
}
