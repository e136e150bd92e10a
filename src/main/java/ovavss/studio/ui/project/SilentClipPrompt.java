package ovavss.studio.ui.project;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;

/**
 * Asks before analysing a clip that has no audio stream: the model would hear silence and say
 * whatever silence makes it say, which is rarely what anyone wants. The command line refuses such
 * a clip unless {@code --allow-silent}; the window asks. The answer comes back through a callback,
 * so the FX thread never blocks and tests can answer.
 */
@FunctionalInterface
public interface SilentClipPrompt {
    /** Asks about the clip {@code name}; calls {@code analyseAsSilence} once, on the FX thread. */
    void ask(String name, Consumer<Boolean> analyseAsSilence);

    /** Answers every question with {@code answer} (tests, screenshot runs). */
    static SilentClipPrompt answering(boolean answer) {
        return (name, analyseAsSilence) -> analyseAsSilence.accept(answer);
    }

    /** The app's question: Analyse as silence / Cancel (Esc), shown without waiting for it. */
    static SilentClipPrompt dialog(Supplier<Window> owner) {
        return (name, analyseAsSilence) -> {
            ButtonType go = new ButtonType("Analyse as silence", ButtonBar.ButtonData.YES);
            ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
            AnswerDialog.show(owner, "silent-clip-dialog", "No audio", name + " has no audio stream.",
                    "The model finds the objects that make the sound it hears. Without audio it hears silence, "
                            + "so what it marks as sounding means little.\nAnalyse it anyway, as silence?",
                    b -> analyseAsSilence.accept(b == go), go, cancel);
        };
    }
}
