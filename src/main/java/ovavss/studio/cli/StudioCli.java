package ovavss.studio.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Root of the headless command line; every subcommand runs over the same use cases as the GUI. */
@Command(name = "ovavss-studio", mixinStandardHelpOptions = true, version = "OV-AVSS Studio 0.1.0",
        description = "Audio-visual segmentation workbench (headless commands).",
        subcommands = {
                BenchCommand.class,
                EvalCommand.class, ExportCommand.class, ImportCommand.class,
                FeaturesCommand.class,
                InfoCommand.class,
                PredictCommand.class,
        })
public final class StudioCli {

    /** Known subcommand names, so the launcher can tell a command from a media path. */
    public static boolean isCommand(String arg) {
        return new CommandLine(new StudioCli()).getSubcommands().containsKey(arg)
                || arg.equals("-h") || arg.equals("--help") || arg.equals("-V") || arg.equals("--version");
    }

    public static int run(String... args) {
        return run(java.util.List.of(), args);
    }

    /**
     * Runs a command; {@code benchmarks} join the built-in ones of {@code bench} (the launcher adds
     * the window's, which this package must not depend on).
     */
    public static int run(java.util.List<Benchmark> benchmarks, String... args) {
        CommandLine cl = new CommandLine(new StudioCli());
        ((BenchCommand) cl.getSubcommands().get("bench").getCommand()).add(benchmarks);
        return cl.execute(args);
    }
}
