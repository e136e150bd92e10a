package ovavss.studio.ui.project;

import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;
import ovavss.studio.annotation.Project;

/**
 * Asks, when the window is about to close, what to do with a project that has work but no folder
 * yet (see {@link ProjectViewModel#closeRequested}). Like {@link RecoveryPrompt} the answer comes
 * back through a callback, so the dialog never blocks the FX thread and tests can answer it.
 */
@FunctionalInterface
public interface SaveChangesPrompt {
    /** Save it into a folder first, close without it, or keep the window open. */
    enum Choice { SAVE, DONT_SAVE, CANCEL }

    /** Asks about {@code unsaved}; calls {@code answer} once, on the FX thread. */
    void ask(Project unsaved, Consumer<Choice> answer);

    /** Answers every question with {@code choice} (tests). */
    static SaveChangesPrompt answering(Choice choice) {
        return (unsaved, answer) -> answer.accept(choice);
    }

    /** The app's question: an alert with Save… / Don't save / Cancel (Esc), shown without waiting for it. */
    static SaveChangesPrompt dialog(Supplier<Window> owner) {
        return (unsaved, answer) -> {
            ButtonType save = new ButtonType("Save\u2026", ButtonBar.ButtonData.YES);
            ButtonType dontSave = new ButtonType("Don't save", ButtonBar.ButtonData.NO);
            ButtonType cancel = new ButtonType("Cancel", ButtonBar.ButtonData.CANCEL_CLOSE);
            AnswerDialog.show(owner, "save-changes-dialog", "Unsaved project", "Save the project before closing?",
                    details(unsaved),
                    b -> answer.accept(b == save ? Choice.SAVE : b == dontSave ? Choice.DONT_SAVE : Choice.CANCEL),
                    save, dontSave, cancel);
        };
    }

    static String details(Project p) {
        long objects = p.clips().stream().mapToLong(c -> c.objects().size()).sum();
        return "The project \u201c" + p.name() + "\u201d (" + objects + (objects == 1 ? " object" : " objects")
                + ") has not been saved into a folder yet.\n"
                + "Don't save closes the window and discards it.";
    }
}
