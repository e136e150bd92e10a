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
