package ovavss.studio.cli;

import java.io.PrintStream;

/**
 * One named benchmark for {@code bench <name>}. Prints one {@code name value unit} line per
 * figure; ratios are always against a baseline measured in the same run.
 */
public interface Benchmark {
    String name();

    void run(PrintStream out) throws Exception;
}
