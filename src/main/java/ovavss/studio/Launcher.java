package ovavss.studio;

import ovavss.studio.cli.StudioCli;

/**
 * Entry point of the jar. No argument, a media path or GUI options ({@code --screenshot}) start
 * the JavaFX application; a known subcommand runs the headless CLI. This class must not touch
 * JavaFX itself, so {@code java -jar} works with JavaFX on the plain class path.
 */
public final class Launcher {
    private Launcher() { }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && StudioCli.isCommand(args[0])) {
            System.exit(StudioCli.run(args));
        }
        // Loaded reflectively so a headless CLI run never initialises the toolkit.
        Class.forName("ovavss.studio.ui.StudioApp").getMethod("launchGui", String[].class)
                .invoke(null, (Object) args);
    }
}
