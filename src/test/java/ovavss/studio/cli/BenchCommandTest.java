package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code bench --help} names every benchmark; an unknown one is bad input naming the known ones. */
class BenchCommandTest {
    @Test
    void helpNamesEveryBenchmark() {
        CliRun help = CliRun.of("bench", "--help");
        assertEquals(0, help.code());
        for (Benchmark b : BenchCommand.all()) {
            assertTrue(help.out().contains(b.name()), b.name() + " missing from:\n" + help.out());
        }
        assertTrue(help.out().contains(" ui"), help.out());
        CliRun unknown = CliRun.of("bench", "nosuch");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("media"), unknown.err());
    }
}
