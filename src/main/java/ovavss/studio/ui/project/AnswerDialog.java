package ovavss.studio.ui.project;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/** The confirmation alert behind the prompts of this package: shown without waiting for it. */
final class AnswerDialog {
    private AnswerDialog() {
    }

    /**
     * Shows the question; {@code answer} gets the button it was closed with (the cancel button
     * when closed by Esc or the window's close button), on the FX thread.
     *
     * @param id the dialog pane's id, for UI tests
     */
    static void show(Supplier<Window> owner, String id, String title, String header, String details,
                     Consumer<ButtonType> answer, ButtonType... buttons) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, details, buttons);
        a.setTitle(title);
        a.setHeaderText(header);
        a.getDialogPane().setId(id);
        Window w = owner.get();
        if (w != null) {
            a.initOwner(w);
        }
        // show(), not showAndWait(): the answer arrives when the dialog closes.
        a.setOnHidden(e -> answer.accept(a.getResult()));
        a.show();
    }
}
