package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GUI options: the model bundle and --analyse. */
class StudioAppOptionsTest {
    @Test
    void modelAndAnalyse() {
        StudioApp.Options o = StudioApp.parse(new String[] {"clip.mp4", "--model", AnalysisFxTest.TINY.toString(),
                "--analyse", "--screenshot", "x.png"});
        assertEquals(AnalysisFxTest.TINY, o.model());
        assertTrue(o.analyse());
        assertEquals(Path.of("clip.mp4"), o.media());
        assertFalse(StudioApp.parse(new String[0]).analyse());
    }

    @Test
    void aFolderWithoutBundleIsRefusedWithAMessage(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StudioApp.parse(new String[] {"--model", dir.toString()}));
        assertTrue(e.getMessage().contains("bundle.json"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> StudioApp.parse(new String[] {"--model"}));
    }

    @Test
    void bundleFoundUnderTheWorkingDirectory() {
        // Tests run in the project root, which holds the demo bundle.
        assertEquals(AnalysisFxTest.TINY, StudioApp.findBundle(AnalysisFxTest.TINY), "--model wins");
        Path found = StudioApp.findBundle(null);
        assertTrue(found != null && Files.isRegularFile(found.resolve("bundle.json")), String.valueOf(found));
        assertTrue(found.endsWith(Path.of("models", "demo-avshapes")));
    }

    @Test
    void theSampleIsTheAvShapesDemoClipWhenInstalled() {
        Path sample = StudioApp.sampleClip().orElseThrow();
        assertTrue(sample.endsWith(Path.of("models", "samples", "avshapes-test-0.mp4")), sample.toString());
        assertEquals(null, StudioApp.findInstalled("models/no-such-file.mp4"));
    }
}
