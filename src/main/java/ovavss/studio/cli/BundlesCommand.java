package ovavss.studio.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.model.BundleException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bundles}: the model bundles of this user, as Model › Bundles shows them — list, import a
 * folder (verified before and after the copy), remove a user bundle, choose the default.
 */
@Command(name = "bundles", mixinStandardHelpOptions = true,
        description = "List, import, remove the model bundles, or choose the default one.",
        subcommands = {BundlesCommand.ListBundles.class, BundlesCommand.ImportBundle.class,
                BundlesCommand.RemoveBundle.class, BundlesCommand.DefaultBundle.class})
public final class BundlesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return new ListBundles().call();
    }

    /** Bad input: one line naming the subcommand and the reason, exit 2. */
    static int refused(String subcommand, BundleException e) {
        System.err.println("bundles " + subcommand + ": " + e.getMessage());
        return StudioCli.EXIT_BAD_INPUT;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Every bundle: name, where from, size, classes, devices, checksums, which is the default.")
    static final class ListBundles implements Callable<Integer> {
        @Override
        public Integer call() {
            BundleLibrary lib = BundleLibrary.standard();
            java.util.List<BundleLibrary.Entry> all;
            try {
                all = lib.list();
            } catch (java.io.IOException e) {
                System.err.println("bundles: cannot list the model bundles: " + e.getMessage());
                return StudioCli.EXIT_BAD_INPUT;
            }
            Path current = lib.defaultBundle();
            for (BundleLibrary.Entry e : all) {
                BundleLibrary.Details d = lib.describe(e);
                System.out.printf(Locale.ROOT, "%s%s\t%s\t%s\t%d classes\t%s\tmethods %s\t%s\t%s%n",
                        e.dir().equals(current) ? "* " : "  ", e.name(), e.installed() ? "installed" : "yours",
                        BundleLibrary.megabytes(d.bytes()), d.classes(), d.devices(), d.methods(),
                        d.verified() ? "checksums ok" : "NOT VERIFIED: " + d.problem(), e.dir());
            }
            return 0;
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Copy a bundle folder into your bundles (refused with the reason when it does not verify).")
    static final class ImportBundle implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<folder>", description = "the bundle folder (holding bundle.json)")
        Path folder;

        @Override
        public Integer call() throws Exception {
            try {
                BundleLibrary.Entry e = BundleLibrary.standard().importBundle(folder);
                System.out.println("imported " + e.name() + " into " + e.dir());
                return 0;
            } catch (BundleException e) {
                return refused("import", e);
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Delete one of your bundles.")
    static final class RemoveBundle implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        public Integer call() throws Exception {
            try {
                BundleLibrary.standard().remove(name);
                System.out.println("removed " + name);
                return 0;
            } catch (BundleException e) {
                return refused("remove", e);
            }
        }
    }

    @Command(name = "default", mixinStandardHelpOptions = true,
            description = "Print the default bundle, or make <name> the default (the window and predict use it).")
    static final class DefaultBundle implements Callable<Integer> {
        @Parameters(index = "0", arity = "0..1", paramLabel = "<name>")
        String name;

        @Override
        public Integer call() throws Exception {
            BundleLibrary lib = BundleLibrary.standard();
            try {
                if (name != null) {
                    lib.setDefault(name);
                }
                System.out.println(lib.defaultBundle());
                return 0;
            } catch (BundleException e) {
                return refused("default", e);
            }
        }
    }
}
