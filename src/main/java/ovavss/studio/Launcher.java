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
        StudioApp.launchGui(args);
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
