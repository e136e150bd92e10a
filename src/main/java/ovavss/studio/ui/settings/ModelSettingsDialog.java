package ovavss.studio.ui.settings;

import java.io.File;
import java.util.List;
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
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.util.StringConverter;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.Precision;
import org.controlsfx.control.PropertySheet;

/**
 * Model › Inference settings: force CPU or GPU, the precision (fp32, or the bundle's fp16 graphs
 * as the official test runs), and the GPU runtime options of GPU.md. Says plainly when the
 * changes take effect: the device and precision at the next model load, the runtime options
 * only before the PyTorch runtime was first loaded in this session.
 */
public final class ModelSettingsDialog {
    /** The chosen settings and whether the model should be reloaded now. */
    public record Result(ModelSettings settings, boolean reloadNow) {
    }

    private ModelSettingsDialog() {
    }

    /**
     * Shows the dialog and waits for the user (a nested event loop, as every modal dialog).
     *
     * @param currentDevice what the status bar says now ("CPU · fp32", "GPU 0 (CUDA) · fp16", "no model")
     * @param runtimeLoaded true when a model was loaded in this session (runtime options then need a restart)
     */
    public static Optional<Result> show(Node owner, ModelSettings current, String currentDevice, boolean runtimeLoaded) {
        Dialog<Result> d = new Dialog<>();
        d.setTitle("Inference settings");
        d.setHeaderText("Device, precision and GPU runtime — now running on: " + currentDevice);
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

        ComboBox<Precision> precision = new ComboBox<>();
        precision.setId("settings-precision");
        precision.getItems().addAll(Precision.values());
        precision.setValue(current.precision());
        precision.setConverter(new StringConverter<>() {
            @Override
            public String toString(Precision p) {
                if (p == null) {
                    return "";
                }
                return switch (p) {
                    case FP32 -> "fp32";
                    case FP16 -> "fp16 (as the official test)";
                };
            }

            @Override
            public Precision fromString(String s) {
                return Precision.FP32;
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
        CheckBox download = new CheckBox("Allow DJL to download the GPU runtime (needs network)");
        download.setId("settings-download");
        download.setSelected(current.allowDownload());

        PropertySheet sheet = SettingsSheet.of(List.of(
                new SettingsSheet.Row("Device", "Where the model runs; applied at the next model load", device),
                new SettingsSheet.Row("Precision", "fp16 runs the bundle's float16 graphs, as the official test"
                        + " runs under autocast: faster on a GPU, labels nearly always the same. Needs a CUDA GPU"
                        + " and a bundle with fp16 graphs (models/add_fp16.py); otherwise fp32 runs and the"
                        + " status bar says why. Applied at the next model load", precision),
                new SettingsSheet.Row("libtorch folder (PYTORCH_LIBRARY_PATH)",
                        "torch/lib of a local PyTorch 2.7.1+cu12x install, for CUDA", new HBox(4, library, browse)),
                new SettingsSheet.Row("Version (PYTORCH_VERSION)", "The PyTorch version of that folder, e.g. 2.7.1",
                        version),
                new SettingsSheet.Row("Flavour (PYTORCH_FLAVOR)", "The CUDA flavour of that folder, e.g. cu128", flavor),
                new SettingsSheet.Row("Download", "Needs network; turns DJL's offline mode off", download)));
        sheet.setId("settings-sheet");
        VBox env = new VBox(2);
        for (String k : new String[] {ModelSettings.LIBRARY_PATH, ModelSettings.VERSION, ModelSettings.FLAVOR}) {
            if (System.getenv(k) != null) {
                Label l = new Label("(environment: " + k + "=" + System.getenv(k) + ", which wins)");
                l.setStyle("-fx-text-fill: #e5c07b;");
                env.getChildren().add(l);
            }
        }
        env.setManaged(!env.getChildren().isEmpty());

        Label when = new Label("""
                The device and precision settings are applied at the next model load ("Save and reload model" does that now).
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

        VBox box = new VBox(10, sheet, env, when, state);
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
            ModelSettings s = new ModelSettings(device.getValue(), precision.getValue(), library.getText(),
                    version.getText(), flavor.getText(), download.isSelected());
            return new Result(s, b == reload);
        });
        return d.showAndWait();
    }
}
