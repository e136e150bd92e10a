package ovavss.studio.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bench <name>}: runs one registered benchmark and prints its figures. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a benchmark; prints one 'name value unit' line per figure.")
public final class BenchCommand implements Callable<Integer> {

    /** Every benchmark the CLI knows; add new ones here. */
    static List<Benchmark> all() {
        return List.of(
                new AudioBenchmark(),
                new ExportBenchmark(),
                new MediaBenchmark(),
                new InferenceBenchmark()
        );
    }

    /** Benchmarks of the window's code, handed in by the launcher (the CLI never depends on the UI). */
    private final List<Benchmark> more = new java.util.ArrayList<>();

    void add(List<Benchmark> benchmarks) {
        more.addAll(benchmarks);
    }

    @Parameters(index = "0", paramLabel = "<name>", description = {"audio, export, media, inference or ui.",
            "media runs its parts one by one with -Dovavss.bench.media=seek|longgop|4k|vfr|heap",
            "(longgop: 60 s 1080p30 with 10 s keyframes against OpenCV; seeks, steps, playback, scrubbing)."})
    String name;

    @Override
    public Integer call() throws Exception {
        Map<String, Benchmark> byName = new LinkedHashMap<>();
        for (Benchmark b : java.util.stream.Stream.concat(all().stream(), more.stream()).toList()) {
            byName.put(b.name(), b);
        }
        Benchmark benchmark = byName.get(name);
        if (benchmark == null) {
            System.err.println("unknown benchmark '" + name + "'; known: " + String.join(", ", byName.keySet()));
            return 2;
        }
        benchmark.run(System.out);
        return 0;
    }
}
