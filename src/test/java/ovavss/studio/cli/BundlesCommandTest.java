package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import ovavss.studio.files.FileTrees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bundles list|import|default|remove} in the user's own folders; bad input is exit 2, one line. */
class BundlesCommandTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny").toAbsolutePath();

    @TempDir
    Path tmp;

    @BeforeEach
    void ownFolders() {
        System.setProperty("ovavss.data.dir", tmp.resolve("data").toString());
        System.setProperty("ovavss.config.dir", tmp.resolve("config").toString());
    }

    @AfterEach
    void restore() {
        System.clearProperty("ovavss.data.dir");
        System.clearProperty("ovavss.config.dir");
    }

    @Test
    void importListDefaultRemove() throws Exception {
        CliRun imported = CliRun.of("bundles", "import", FileTrees.copy(TINY, tmp.resolve("dl/tiny")).toString());
        assertEquals(0, imported.code(), imported.err());
        CliRun list = CliRun.of("bundles", "list");
        assertEquals(0, list.code(), list.err());
        String tinyLine = list.out().lines().filter(l -> l.contains("tiny\t")).findFirst().orElseThrow();
        assertTrue(tinyLine.startsWith("  ") && tinyLine.contains("yours") && tinyLine.contains("checksums ok"),
                tinyLine);
        CliRun def = CliRun.of("bundles", "default", "tiny");
        assertEquals(0, def.code(), def.err());
        assertEquals(tmp.resolve("data/bundles/tiny").toString(), def.out().strip());
        assertTrue(CliRun.of("bundles", "list").out().contains("* tiny\t"));
        assertEquals(0, CliRun.of("bundles", "remove", "tiny").code());
        assertFalse(Files.exists(tmp.resolve("data/bundles/tiny")));
        assertFalse(CliRun.of("bundles", "list").out().contains("tiny"));
    }

    @Test
    void badInputIsExitTwoInOneLine() throws Exception {
        Path broken = FileTrees.copy(TINY, tmp.resolve("dl/broken"));
        Files.delete(broken.resolve("segmenter.pt"));
        for (String[] args : new String[][] {
                {"bundles", "import", broken.toString()},
                {"bundles", "import", tmp.resolve("nothing-here").toString()},
                {"bundles", "remove", "nosuch"},
                {"bundles", "default", "nosuch"}}) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
        assertFalse(Files.exists(tmp.resolve("data/bundles/broken")));
    }
}
