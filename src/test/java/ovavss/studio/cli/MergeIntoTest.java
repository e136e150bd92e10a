package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ovavss.studio.files.FileTrees;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.avsbench.MetadataCsv;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * export --merge-into: corrected clips go back into the dataset they came from; everything the
 * project does not hold, and every file of a clip that the export does not write, stays as it was.
 */
class MergeIntoTest {
    private static final Path FIDELITY = Path.of("src/test/resources/avsbench/fidelity/gt").toAbsolutePath();

    @TempDir
    Path tmp;



    private static Map<String, String> tree(Path root) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return m;
    }

    private static Map<String, String> under(Map<String, String> tree, String prefix) {
        Map<String, String> m = new TreeMap<>();
        tree.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                m.put(k, v);
            }
        });
        return m;
    }

    @Test
    void correctedClipsReplaceTheirFoldersAndNothingElseChanges() throws Exception {
        Path root = FileTrees.copy(FIDELITY, tmp.resolve("data/root"));
        Files.writeString(root.resolve("v2/rgbclip/notes.txt"), "a file of the dataset's own");
        Files.writeString(root.resolve("README"), "the dataset's readme");
        Path projectDir = tmp.resolve("project");
        assertEquals(0, CliRun.of("import", "--dataset", root.toString(), "--project", projectDir.toString()).code());
        // the correction: rgbclip loses every object; oddclip is left out of the project
        Project p = new ProjectStore().load(projectDir).project();
        Clip rgb = p.requireClip("rgbclip");
        for (SoundingObject o : rgb.objects()) {
            rgb = rgb.withoutObject(o.id());
        }
        Project corrected = new Project(p.name(), p.vocabulary(),
                p.clips().stream().filter(c -> !c.id().equals("oddclip"))
                        .map(c -> c.id().equals("rgbclip") ? p.requireClip("rgbclip") : c).toList(), p.properties());
        Clip emptied = rgb;
        corrected = corrected.withClip(emptied);
        new ProjectStore().save(corrected, projectDir);
        Map<String, String> before = tree(root);
        List<String> csvBefore = Files.readAllLines(root.resolve("metadata.csv"));

        CliRun r = CliRun.of("export", "--project", projectDir.toString(), "--merge-into", root.toString());
        assertEquals(0, r.code(), r.err());
        Map<String, String> after = tree(root);

        // rgbclip: its labels are background now; its frames, audio and own notes are as they were
        for (String k : List.of("0", "1", "2", "3", "4")) {
            ImageFiles.Raster lab = ImageFiles.read(root.resolve("v2/rgbclip/labels_rgb/" + k + ".png"));
            assertTrue(java.util.Arrays.stream(lab.rgb()).allMatch(v -> v == 0), "frame " + k + " is background");
            assertEquals(before.get("v2/rgbclip/frames/" + k + ".jpg"), after.get("v2/rgbclip/frames/" + k + ".jpg"));
        }
        assertEquals(before.get("v2/rgbclip/audio.wav"), after.get("v2/rgbclip/audio.wav"));
        assertEquals(before.get("v2/rgbclip/notes.txt"), after.get("v2/rgbclip/notes.txt"));
        assertNotEquals(before.get("v2/rgbclip/labels_rgb/0.png"), after.get("v2/rgbclip/labels_rgb/0.png"));
        // the clip left out of the project, and the root's own files: untouched, byte for byte
        assertEquals(under(before, "v1m/oddclip/"), under(after, "v1m/oddclip/"));
        assertEquals(before.get("README"), after.get("README"));
        assertEquals(before.get("label2idx.json"), after.get("label2idx.json"));
        // metadata.csv: the same clips in the same order, the row not in the project as it was
        List<MetadataCsv.Row> rows = MetadataCsv.read(root.resolve("metadata.csv")).rows();
        assertEquals(List.of("rgbclip", "palclip", "trainclip", "oddclip"), rows.stream().map(MetadataCsv.Row::uid).toList());
        MetadataCsv.Row odd = MetadataCsv.read(FIDELITY.resolve("metadata.csv")).rows().get(3);
        assertEquals(odd, rows.get(3));
        assertEquals(csvBefore.size(), Files.readAllLines(root.resolve("metadata.csv")).size());
        // no staging or swap folder left anywhere
        try (Stream<Path> s = Files.walk(tmp.resolve("data"))) {
            List<Path> hidden = s.filter(x -> x.getFileName().toString().startsWith(".")).toList();
            assertEquals(List.of(), hidden);
        }
        // the merged root reads back: the train clip still labels frame 0 only
        assertEquals(1, Files.list(root.resolve("v1s/trainclip/labels_rgb")).count());
    }

    @Test
    void mergeIntoSomethingThatIsNoDatasetIsRefused() throws Exception {
        Path projectDir = tmp.resolve("project");
        assertEquals(0, CliRun.of("import", "--dataset", FIDELITY.toString(), "--project", projectDir.toString()).code());
        Path notRoot = Files.createDirectories(tmp.resolve("plain"));
        CliRun r = CliRun.of("export", "--project", projectDir.toString(), "--merge-into", notRoot.toString());
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("no metadata.csv"), r.err());
        CliRun both = CliRun.of("export", "--project", projectDir.toString(), "--merge-into", notRoot.toString(), "--out",
                tmp.resolve("o").toString());
        assertEquals(2, both.code(), both.err());
    }
}
