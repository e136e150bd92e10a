package ovavss.studio;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's first word: a command, an option, a media path — or a typo it must not open. */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void aMistypedCommandIsRefusedNamingTheCommands() {
        String m = Launcher.unknownFirstArgument("predcit");
        assertNotNull(m, "a word that is neither a command nor a file would open the window");
        assertTrue(m.contains("'predcit'") && m.contains("predict") && m.contains("export"), m);
        assertTrue(m.lines().count() == 1, m);
    }

    @Test
    void optionsAndExistingPathsStartTheWindow() throws Exception {
        assertNull(Launcher.unknownFirstArgument("--screenshot"));
        assertNull(Launcher.unknownFirstArgument(Files.createFile(dir.resolve("clip.mp4")).toString()));
        assertNull(Launcher.unknownFirstArgument(dir.toString()));
    }
}
