package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ovavss.studio.Launcher;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.ExportMarker;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of an export: the destination never appears, what the killed process
 * left is its hidden staging folder, whose completion marker still says "not complete", and
 * importing that folder as a dataset is refused with exit 2. A new export to the same
 * destination then succeeds.
 */
class KilledExportTest {
    @TempDir
    Path tmp;

    private Path project(int clips) throws Exception {
        Path mp4 = SampleClip.extractTo(tmp.resolve("sample.mp4"));
        Mask box = MaskOps.polygon(80, 60, new double[] {10, 10, 40, 10, 40, 40, 10, 40});
        List<Clip> list = new ArrayList<>();
        for (int i = 0; i < clips; i++) {
            TreeMap<Integer, ObjectFrame> f = new TreeMap<>();
            f.put(0, ObjectFrame.human(box, SoundFlag.SOUNDING));
            list.add(new Clip(String.format("clip%03d", i), mp4.toString(), 0, 2, Clip.defaultKeyframes(2), 80, 60,
                    List.of(new SoundingObject("o1", "dog", 0, f)), Map.of("split", "test")));
        }
        Path dir = tmp.resolve("project");
        new ProjectStore().save(new Project("killed", AvsbenchImporter.vocabularyFor(LabelSet.standard()), list,
                Map.of()), dir);
        return dir;
    }

    private static List<Path> stagingFolders(Path parent, String name) throws Exception {
        try (Stream<Path> s = Files.list(parent)) {
            return s.filter(p -> p.getFileName().toString().startsWith("." + name + ".export-")).toList();
        }
    }

    private static long clipFolders(Path staging) throws Exception {
        try (Stream<Path> s = Files.walk(staging, 2)) {
            return s.filter(p -> p.getParent() != null && !p.getParent().equals(staging) && Files.isDirectory(p))
                    .count();
        }
    }

    @Test
    void aKilledExportLeavesNoDestinationAndItsRemainsAreRefusedAsADataset() throws Exception {
        Path project = project(300);
        Path parent = Files.createDirectories(tmp.resolve("exports"));
        Path out = parent.resolve("dataset");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "-Dovavss.log.file=" + tmp.resolve("child.log"), Launcher.class.getName(), "export", "--project",
                project.toString(), "--out", out.toString(), "--threads", "1")
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.out").toFile()).start();
        Path staging = null;
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && p.isAlive()) {
            List<Path> found = stagingFolders(parent, "dataset");
            if (!found.isEmpty() && clipFolders(found.get(0)) >= 3) {
                staging = found.get(0);
                break;
            }
            Thread.sleep(20);
        }
        assertTrue(staging != null && p.isAlive(), "the export ended before it could be killed: "
                + Files.readString(tmp.resolve("child.out")));
        p.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
        p.waitFor();

        assertFalse(Files.exists(out), "a killed export must never leave its destination");
        String marker = Files.readString(staging.resolve(ExportMarker.FILE));
        assertTrue(marker.contains("\"complete\" : false"), marker);

        CliRun r = CliRun.of("import", "--dataset", staging.toString(), "--project",
                tmp.resolve("imported").toString(), "--scan");
        int code = r.code();
        String msg = r.err().strip();
        assertEquals(StudioCli.EXIT_BAD_INPUT, code, msg);
        assertEquals(1, msg.lines().count(), msg);
        assertTrue(msg.contains("interrupted export"), msg);
        assertFalse(Files.exists(tmp.resolve("imported")), "nothing imported");
    }
}
