package ovavss.studio.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Root of the headless command line; every subcommand runs over the same use cases as the GUI. */
@Command(name = "ovavss-studio", mixinStandardHelpOptions = true, version = "OV-AVSS Studio 0.1.0",
        description = "Audio-visual segmentation workbench (headless commands).",
        subcommands = {
                BenchCommand.class, BundlesCommand.class,
                EvalCommand.class, ExportCommand.class, ImportCommand.class,
                FeaturesCommand.class,
                InfoCommand.class,
                PredictCommand.class,
        })
public final class StudioCli {

    /** The subcommand names, for messages. */
    public static java.util.List<String> commandNames() {
        return java.util.List.copyOf(new CommandLine(new StudioCli()).getSubcommands().keySet());
    }

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
     *
     * <p>The exit contract: 0 done; 1 some items failed (the command names each); 2 bad input or
     * usage. Whatever a command throws ends as one line on stderr naming the command and the
     * problem, without a stack trace unless {@code --debug} is given (the log file always has it).
     */
    public static int run(java.util.List<Benchmark> benchmarks, String... args) {
        boolean debug = java.util.Arrays.asList(args).contains("--debug");
        String[] rest = java.util.Arrays.stream(args).filter(a -> !a.equals("--debug")).toArray(String[]::new);
        CommandLine cl = new CommandLine(new StudioCli());
        ((BenchCommand) cl.getSubcommands().get("bench").getCommand()).add(benchmarks);
        cl.setParameterExceptionHandler((e, a) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println(c.getCommandName() + ": " + e.getMessage() + " (see " + c.getCommandName()
                    + " --help)");
            return EXIT_BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            FAILURES.error("{} failed", c.getCommandName(), e);
            if (debug) {
                e.printStackTrace(c.getErr());
            }
            c.getErr().println(c.getCommandName() + ": " + Failures.describe(e));
            return Failures.isBadInput(e) ? EXIT_BAD_INPUT : EXIT_SOME_FAILED;
        });
        return cl.execute(rest);
    }

    /** Exit status: some items failed, the rest completed. */
    public static final int EXIT_SOME_FAILED = 1;
    /** Exit status: bad input or usage, found before anything was written where possible. */
    public static final int EXIT_BAD_INPUT = 2;
    /** File only (see logback.xml): the stack trace is for the log, the user gets one line. */
    private static final org.slf4j.Logger FAILURES = org.slf4j.LoggerFactory.getLogger("ovavss.failures");
}
