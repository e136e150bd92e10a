package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SafeNamesTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "..", ".", "/etc/passwd", "C:evil", "a\\b", "x\0y", "CON", "nul.txt", "lpt1",
        "trailing.", " lead", "", "tab\there"})
    void unsafeNamesAreRejectedWithAReason(String name) {
        AvsbenchException e = assertThrows(AvsbenchException.class, () -> SafeNames.check("uid", name));
        assertTrue(e.getMessage().startsWith("uid"), e.getMessage());
    }

    @Test
    void ordinaryUidsPass() {
        assertEquals("_fvpYLXtQHQ_1", SafeNames.check("uid", "_fvpYLXtQHQ_1"));
        assertEquals("puugfzdXYz4_120000_130000", SafeNames.check("uid", "puugfzdXYz4_120000_130000"));
        assertEquals("con-test", SafeNames.check("uid", "con-test"));
    }

    @Test
    void exportWithAnUnsafeUidWritesNothingAnywhere() throws Exception {
        Path out = tmp.resolve("out");
        Project p = Project.empty("p")
                .withClip(Clip.of("ok", "m", 2, 4, 4))
                .withClip(new Clip("..", "m", 0, 2, Clip.defaultKeyframes(2), 4, 4, List.of(), Map.of()));
        AvsbenchExporter ex = new AvsbenchExporter(ClipMedia.NONE);
        assertThrows(AvsbenchException.class, () -> ex.exportSemantic(p, out,
                AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER));
        assertThrows(AvsbenchException.class, () -> ex.exportBinary(p, out,
                AvsbenchExporter.BinaryOptions.defaults(AvsbenchExporter.BinaryLayout.MS3), ProgressSink.NONE,
                Cancellation.NEVER));
        try (Stream<Path> s = Files.walk(tmp)) {
            assertEquals(List.of(tmp), s.filter(f -> !f.equals(out)).toList(), "nothing written");
        }
        Project bad = Project.empty("p").withClip(new Clip("x", "m", 0, 2, Clip.defaultKeyframes(2), 4, 4, List.of(),
                Map.of("label", "../../escape")));
        assertThrows(AvsbenchException.class, () -> ex.exportSemantic(bad, out,
                AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER));
        assertFalse(Files.exists(tmp.resolve("escape")));
    }

    @Test
    void importSkipsRowsWithUnsafeNames() throws Exception {
        Path root = tmp.resolve("ds");
        Files.createDirectories(root);
        Files.writeString(root.resolve("metadata.csv"), MetadataCsv.HEADER + "\n"
                + "v,../../x,0,0,dog,test,v2\nv,ok,0,0,dog,test,/abs\nv,good,0,0,dog,test,v2\n");
        Path labels = Files.createDirectories(root.resolve("v2/good/labels_rgb"));
        ImageFiles.writeRgbPng(labels.resolve("0.png"), 4, 4, new int[16]);
        AvsbenchImporter.Result r = new AvsbenchImporter().importSemantic(root, new AvsbenchImporter.Options(
                LabelSet.standard(), null, false, false, true, false), ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(List.of("good"), r.project().clips().stream().map(Clip::id).toList());
        assertEquals(2, r.skippedClips());
    }
}
