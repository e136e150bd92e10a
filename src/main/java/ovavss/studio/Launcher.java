package ovavss.studio;

import java.io.PrintStream;
import java.util.List;
import ovavss.studio.cli.Benchmark;
import ovavss.studio.cli.StudioCli;
import ovavss.studio.ui.StudioApp;
import ovavss.studio.ui.edit.EditBenchmark;

/**
 * Entry point of the jar and its composition root for the two faces: no argument, a media path or
 * GUI options ({@code --screenshot}) start the JavaFX application; a known subcommand runs the
 * headless CLI, which gets the window's benchmark ({@code bench ui}) from here because the CLI
 * itself never depends on the UI. A CLI run never initialises the JavaFX toolkit: only
 * {@link StudioApp#launchGui} does.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) {
        followHomeVariable();
        if (args.length > 0 && StudioCli.isCommand(args[0])) {
            System.exit(StudioCli.run(List.of(new UiBenchmark()), args));
        }
        String notMedia = args.length > 0 ? unknownFirstArgument(args[0]) : null;
        if (notMedia != null) {
            System.err.println(notMedia);
            System.exit(StudioCli.EXIT_BAD_INPUT);
        }
        StudioApp.launchGui(args);
    }

    /**
     * Java takes {@code user.home} from the password database, not from {@code $HOME}; every
     * per-user file of the app (logs, settings, recent projects, crash recovery, preferences) goes
     * under the home the user's session names, so a run with another HOME (a test account, a
     * sandbox) writes nothing into the real one. Runs before anything reads the property.
     */
    static void followHomeVariable() {
        String home = System.getenv("HOME");
        if (home != null && !home.isBlank() && java.nio.file.Files.isDirectory(java.nio.file.Path.of(home))) {
            System.setProperty("user.home", home);
        }
    }

    /**
     * Null when {@code first} can start the window (an option, or a file or folder that exists),
     * else the one-line message: a mistyped command must not open the window on a missing file.
     */
    static String unknownFirstArgument(String first) {
        if (first.startsWith("-") || java.nio.file.Files.exists(java.nio.file.Path.of(first))) {
            return null;
        }
        return "ovavss-studio: '" + first + "' is neither a command (" + String.join(", ", StudioCli.commandNames())
                + ") nor an existing media file or clip folder";
    }

    /** {@code bench ui}: brush segment latency and the heap of 10,000 undoable edits ({@link EditBenchmark}). */
    private static final class UiBenchmark implements Benchmark {
        @Override
        public String name() {
            return "ui";
        }

        @Override
        public void run(PrintStream out) {
            EditBenchmark.run(out);
        }
    }
}
