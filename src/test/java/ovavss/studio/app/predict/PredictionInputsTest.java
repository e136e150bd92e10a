package ovavss.studio.app.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Clip discovery: AVSBench trees, manifests of media paths, and outputs that would collide. */
class PredictionInputsTest {
    @Test
    void treeKeysAreSubsetAndUid(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("root/v2/b/frames"));
        Files.createDirectories(tmp.resolve("root/v1s/a/frames"));
        List<PredictionInputs.Clip> c = PredictionInputs.find(tmp.resolve("root"), null);
        assertEquals(List.of("v1s/a", "v2/b"), c.stream().map(PredictionInputs.Clip::key).toList());
        assertEquals("v2/b", PredictionInputs.find(tmp.resolve("root/v2/b"), null).get(0).key());
    }

    @Test
    void manifestPathsAreRelativeToItAndUidsNameOutputs(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("media/x"));
        Path csv = tmp.resolve("media/list.csv");
        Files.writeString(csv, "uid,path,notes\ncat,x/a.mp4,\"a, comma\"\n,../b.webm,\n\n");
        List<PredictionInputs.Clip> c = PredictionInputs.find(csv, null);
        assertEquals(List.of("video/b", "video/cat"), c.stream().map(PredictionInputs.Clip::key).toList());
        assertEquals(tmp.resolve("b.webm").toAbsolutePath(), c.get(0).media());
        assertEquals(tmp.resolve("media/x/a.mp4").toAbsolutePath(), c.get(1).media());
    }

    @Test
    void refusesWhatCannotBePlanned(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("m.csv");
        Files.writeString(csv, "file\na.mp4\n");
        assertTrue(assertThrows(PredictionException.class, () -> PredictionInputs.find(csv, null)).getMessage()
                .contains("no 'path' column"));
        Files.writeString(csv, "path\nx/a.mp4\ny/a.mkv\n");
        assertTrue(assertThrows(PredictionException.class, () -> PredictionInputs.find(csv, null)).getMessage()
                .contains("same output video/a"));
        Files.writeString(csv, "path,uid\na.mp4,../up\n");
        assertTrue(assertThrows(PredictionException.class, () -> PredictionInputs.find(csv, null)).getMessage()
                .contains("line 2"));
        Files.writeString(csv, "path\n");
        assertThrows(PredictionException.class, () -> PredictionInputs.find(csv, null));
        assertThrows(PredictionException.class, () -> PredictionInputs.find(csv, "test"));
    }
}
