package ovavss.studio.ui.project;

import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Window;
import ovavss.studio.annotation.Project;
import ovavss.studio.app.ProjectSession;
import ovavss.studio.app.SessionRecovery;

/**
 * Asks what to do with the work a crashed session left. The answer comes back through a callback,
 * so a dialog never blocks the FX thread and headless runs can answer without one.
 */
@FunctionalInterface
public interface RecoveryPrompt {
    /** Restore it, delete it, or keep it and ask again at the next start. */
    enum Choice { RESTORE, DISCARD, LATER }

    /** Asks about {@code crashed}; calls {@code answer} once, on the FX thread. */
    void ask(SessionRecovery.Crashed crashed, Consumer<Choice> answer);

    /** Answers every question with {@code choice} (tests). */
    static RecoveryPrompt answering(Choice choice) {
        return (crashed, answer) -> answer.accept(choice);
    }

    /** The app's question: an alert with Restore / Discard / Later (Esc), shown without waiting for it. */
    static RecoveryPrompt dialog(Supplier<Window> owner) {
        return (crashed, answer) -> {
            ButtonType restore = new ButtonType("Restore", ButtonBar.ButtonData.OK_DONE);
            ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
            ButtonType later = new ButtonType("Later", ButtonBar.ButtonData.CANCEL_CLOSE);
            AnswerDialog.show(owner, "recovery-dialog", "Recover unsaved work", question(crashed), details(crashed),
                    b -> answer.accept(b == restore ? Choice.RESTORE : b == discard ? Choice.DISCARD : Choice.LATER),
                    restore, discard, later);
        };
    }

    /** "Restore the unsaved work from 14:32?" */
    static String question(SessionRecovery.Crashed c) {
        return c.hasUnsavedCopy()
                ? "Restore the unsaved work from " + when(c.savedAt()) + "?"
                : "Reopen the project you were editing (autosaved " + when(c.savedAt()) + ")?";
    }

    static String details(SessionRecovery.Crashed c) {
        if (!c.hasUnsavedCopy()) {
            return "OV-AVSS Studio did not close properly while you were editing\n" + c.projectFolder()
                    + "\nIts last autosave is from " + when(c.savedAt()) + ".";
        }
        Project p = c.unsaved();
        long objects = p.clips().stream().mapToLong(cl -> cl.objects().size()).sum();
        return "OV-AVSS Studio did not close properly. The project \u201c" + p.name() + "\u201d had not been saved yet ("
                + p.clips().size() + (p.clips().size() == 1 ? " clip, " : " clips, ")
                + objects + (objects == 1 ? " object" : " objects") + ").\n\n"
                + "Restore opens it as an unsaved project; use Save project as\u2026 to keep it.\n"
                + "Discard deletes the copy; Later asks again at the next start.";
    }

    /** A time of day for today, else date and time, in the user's locale and zone. */
    static String when(Instant t) {
        return ProjectSession.when(t);
    }
}
