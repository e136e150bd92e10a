package ovavss.studio.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The inference settings dialog: says when changes apply and returns what the user chose. */
@ExtendWith(ApplicationExtension.class)
class ModelSettingsDialogFxTest {
    private StackPane root;

    @Start
    void start(Stage stage) {
        root = new StackPane();
        stage.setScene(new Scene(root, 400, 300));
        stage.show();
    }

    private DialogPane dialog() throws Exception {
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> Window.getWindows().stream()
                .anyMatch(w -> w.getScene() != null && w.getScene().getRoot() instanceof DialogPane));
        return WaitForAsyncUtils.asyncFx(() -> (DialogPane) Window.getWindows().stream()
                .filter(w -> w.getScene() != null && w.getScene().getRoot() instanceof DialogPane)
                .findFirst().orElseThrow().getScene().getRoot()).get(5, TimeUnit.SECONDS);
    }

    @Test
    @SuppressWarnings("unchecked")
    void choosesCpuAndARuntimeAndSaysWhenTheyApply() throws Exception {
        AtomicReference<Optional<ModelSettingsDialog.Result>> result = new AtomicReference<>();
        Platform.runLater(() -> result.set(ModelSettingsDialog.show(root, ModelSettings.DEFAULTS, "CPU", true)));
        DialogPane pane = dialog();
        WaitForAsyncUtils.asyncFx(() -> {
            String when = ((Label) pane.lookup("#settings-when")).getText();
            assertTrue(when.contains("applied at the next model load"), when);
            assertTrue(when.contains("after restarting the app"), when);
            assertTrue(pane.getHeaderText().contains("CPU"));
            ((ComboBox<DevicePreference>) pane.lookup("#settings-device")).setValue(DevicePreference.CPU);
            ComboBox<Precision> precision = (ComboBox<Precision>) pane.lookup("#settings-precision");
            assertEquals(Precision.FP32, precision.getValue(), "the current setting");
            assertEquals(List.of("fp32", "fp16 (as the official test)"),
                    precision.getItems().stream().map(p -> precision.getConverter().toString(p)).toList());
            precision.setValue(Precision.FP16);
            ((TextField) pane.lookup("#settings-library-path")).setText("/opt/torch/lib");
            ((TextField) pane.lookup("#settings-flavor")).setText("cu128");
            ((Button) pane.lookup("#settings-reload")).fire();
            return null;
        }).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitFor(5, TimeUnit.SECONDS, () -> result.get() != null);
        ModelSettingsDialog.Result r = result.get().orElseThrow();
        assertTrue(r.reloadNow());
        assertEquals(new ModelSettings(DevicePreference.CPU, Precision.FP16, "/opt/torch/lib", "", "cu128", false),
                r.settings());
    }
}
