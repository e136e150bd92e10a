package ovavss.studio.ui.settings;

import java.io.File;
import java.util.Optional;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;
import ovavss.studio.model.DevicePreference;

/**
 * Model › Inference settings: force CPU or GPU, and the GPU runtime options of GPU.md. Says
 * plainly when the changes take effect: the device at the next model load, the runtime options
 * only before the PyTorch runtime was first loaded in this session.
 */
public final class ModelSettingsDialog {
    /** The chosen settings and whether the model should be reloaded now. */
    public record Result(ModelSettings settings, boolean reloadNow) {
    }

    private ModelSettingsDialog() {
    }

    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    /**
     * Shows the dialog and waits for the user (a nested event loop, as every modal dialog).
     *
     * @param currentDevice what the status bar says now ("CPU", "GPU 0 (CUDA)", "no model")
     * @param runtimeLoaded true when a model was loaded in this session (runtime options then need a restart)
     */
    public static Optional<Result> show(Node owner, ModelSettings current, String currentDevice, boolean runtimeLoaded) {
        Dialog<Result> d = new Dialog<>();
        d.setTitle("Inference settings");
        d.setHeaderText("Device and GPU runtime — now running on: " + currentDevice);
        if (owner != null && owner.getScene() != null) {
            d.initOwner(owner.getScene().getWindow());
        }

        ComboBox<DevicePreference> device = new ComboBox<>();
        device.setId("settings-device");
        device.getItems().addAll(DevicePreference.values());
        device.setValue(current.device());
        device.setConverter(new StringConverter<>() {
            @Override
            public String toString(DevicePreference p) {
                if (p == null) {
                    return "";
                }
                return switch (p) {
                    case AUTO -> "Automatic (GPU when CUDA is available)";
                    case CPU -> "CPU only";
                    case GPU -> "GPU only (fail instead of falling back)";
                };
            }

            @Override
            public DevicePreference fromString(String s) {
                return DevicePreference.AUTO;
            }
        });

        TextField library = new TextField(current.libraryPath());
        library.setId("settings-library-path");
        library.setPromptText(".../site-packages/torch/lib of a PyTorch 2.7.1+cu12x install");
        HBox.setHgrow(library, Priority.ALWAYS);
        Button browse = new Button("Browse…");
        browse.setOnAction(e -> {
            DirectoryChooser dc = new DirectoryChooser();
            dc.setTitle("libtorch directory (torch/lib)");
            File f = dc.showDialog(d.getDialogPane().getScene().getWindow());
            if (f != null) {
                library.setText(f.getAbsolutePath());
            }
        });
        TextField version = new TextField(current.version());
        version.setId("settings-version");
        version.setPromptText("2.7.1");
        TextField flavor = new TextField(current.flavor());
        flavor.setId("settings-flavor");
        flavor.setPromptText("cu128");
        CheckBox download = new CheckBox("Allow DJL to download the GPU runtime (needs network; turns offline mode off)");
        download.setId("settings-download");
        download.setSelected(current.allowDownload());

        GridPane g = new GridPane();
        g.setHgap(8);
        g.setVgap(6);
        g.addRow(0, label("Device"), device);
        g.addRow(1, label("libtorch folder (PYTORCH_LIBRARY_PATH)"), new HBox(4, library, browse));
        g.addRow(2, label("Version (PYTORCH_VERSION)"), version);
        g.addRow(3, label("Flavour (PYTORCH_FLAVOR)"), flavor);
        download.setWrapText(true);
        download.setMaxWidth(380);
        g.add(download, 1, 4);
        javafx.scene.layout.ColumnConstraints fixed = new javafx.scene.layout.ColumnConstraints();
        fixed.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        javafx.scene.layout.ColumnConstraints grow = new javafx.scene.layout.ColumnConstraints();
        grow.setHgrow(Priority.ALWAYS);
        g.getColumnConstraints().addAll(fixed, grow);
        for (String k : new String[] {ModelSettings.LIBRARY_PATH, ModelSettings.VERSION, ModelSettings.FLAVOR}) {
            if (System.getenv(k) != null) {
                Label env = new Label("(environment: " + k + "=" + System.getenv(k) + ", which wins)");
                env.setStyle("-fx-text-fill: #e5c07b;");
                g.add(env, 1, 5 + java.util.Arrays.asList(ModelSettings.LIBRARY_PATH, ModelSettings.VERSION,
                        ModelSettings.FLAVOR).indexOf(k));
            }
        }

        Label when = new Label("""
                The device setting is applied at the next model load ("Save and reload model" does that now).
                The GPU runtime options are applied at the next model load only if no model was loaded yet \
                in this session: PyTorch's native library is loaded once per process, so otherwise they \
                take effect after restarting the app.
                Out of the box the app runs offline on the CPU runtime it ships. For CUDA, either point \
                PYTORCH_LIBRARY_PATH at a local PyTorch 2.7.1+cu12x (torch/lib) with version 2.7.1 and \
                flavour cu128, or allow the download (see the README, "CPU and GPU").""");
        when.setId("settings-when");
        when.setWrapText(true);
        when.setMaxWidth(660);
        Label state = new Label(runtimeLoaded
                ? "A PyTorch runtime is already loaded in this session: runtime option changes need a restart."
                : "No PyTorch runtime loaded yet: all changes apply at the next model load.");
        state.setWrapText(true);
        state.setStyle("-fx-font-weight: bold;");

        VBox box = new VBox(10, g, when, state);
        box.setPadding(new Insets(10));
        box.setPrefWidth(680);
        d.getDialogPane().setContent(box);
        ButtonType reload = new ButtonType("Save and reload model", ButtonBar.ButtonData.OTHER);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        d.getDialogPane().getButtonTypes().addAll(reload, save, ButtonType.CANCEL);
        d.getDialogPane().lookupButton(reload).setId("settings-reload");
        ((Button) d.getDialogPane().lookupButton(reload)).setTooltip(new Tooltip("Store the settings and load the model again now"));
        d.setResultConverter(b -> {
            if (b != save && b != reload) {
                return null;
            }
            ModelSettings s = new ModelSettings(device.getValue(), library.getText(), version.getText(),
                    flavor.getText(), download.isSelected());
            return new Result(s, b == reload);
        });
        return d.showAndWait();
    }
}
