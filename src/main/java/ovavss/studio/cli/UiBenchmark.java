package ovavss.studio.cli;

import java.io.PrintStream;
import java.lang.reflect.Method;

/**
 * {@code bench ui}: brush segment latency on a 1080p frame with 10 objects (p50/p95) and the heap
 * of 10,000 undoable edits. The measured code belongs to the UI package, which the CLI must not
 * depend on at compile time (ArchitectureTest), so it is looked up by name.
 */
public final class UiBenchmark implements Benchmark {
    static final String IMPLEMENTATION = "ovavss.studio.ui.edit.EditBenchmark";

    @Override
    public String name() {
        return "ui";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Method m = Class.forName(IMPLEMENTATION).getMethod("run", PrintStream.class);
        m.invoke(null, out);
    }
}
