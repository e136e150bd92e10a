package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.avsbench.WavFiles;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output disks that fail under a command: a full disk (a 16 KiB tmpfs) and a read-only one. Each
 * ends with exit 2 and one line naming the problem, and leaves the disk as it found it: no
 * half-written file, no staging folder. Needs root to mount (CI runs as root); skipped otherwise.
 */
class OutputFaultTest {
    @TempDir
    Path tmp;

    private Path mounted;

    private static boolean sh(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private Path tmpfs(String options) throws Exception {
        Path m = Files.createDirectories(tmp.resolve("disk"));
        boolean ok = sh("mount", "-t", "tmpfs", "-o", options, "tmpfs", m.toString());
        assumeTrue(ok, "cannot mount a tmpfs here (not root?)");
        mounted = m;
        return m;
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            sh("umount", "-l", mounted.toString());
        }
    }



    private Path project() throws IOException {
        Path mp4 = SampleClip.extractTo(tmp.resolve("sample.mp4"));
        Mask box = MaskOps.polygon(80, 60, new double[] {10, 10, 40, 10, 40, 40, 10, 40});
        TreeMap<Integer, ObjectFrame> f = new TreeMap<>();
        f.put(0, ObjectFrame.human(box, SoundFlag.SOUNDING));
        Clip clip = new Clip("clip0", mp4.toString(), 0, 2, Clip.defaultKeyframes(2), 80, 60,
                List.of(new SoundingObject("o1", "dog", 0, f)), Map.of("split", "test"));
        Path dir = tmp.resolve("project");
        new ProjectStore().save(new Project("faults", AvsbenchImporter.vocabularyFor(LabelSet.standard()),
                List.of(clip), Map.of()), dir);
        return dir;
    }

    private static List<Path> contents(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).toList();
        }
    }

    private static void assertOneLine(CliRun r, String mention) {
        assertEquals(StudioCli.EXIT_BAD_INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().toLowerCase(java.util.Locale.ROOT).contains(mention), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void exportOntoAFullDiskLeavesNothing() throws Exception {
        Path project = project();
        Path disk = tmpfs("size=16k");
        CliRun r = CliRun.of("export", "--project", project.toString(), "--out", disk.resolve("out").toString());
        assertOneLine(r, "space");
        assertEquals(List.of(), contents(disk), "the full disk keeps what the export wrote");
    }

    @Test
    void featuresOntoAFullDiskLeavesNothing() throws Exception {
        float[] tone = new float[16000 * 30];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) Math.sin(i * 0.05);
        }
        Path wav = tmp.resolve("long.wav");
        WavFiles.writePcm16(wav, tone, 16000);
        Path disk = tmpfs("size=64k");
        CliRun r = CliRun.of("features", wav.toString(), "--out", disk.resolve("f.npy").toString());
        assertOneLine(r, "space");
        assertEquals(List.of(), contents(disk));
    }

    @Test
    void exportOntoAReadOnlyDiskLeavesNothing() throws Exception {
        Path project = project();
        Path disk = tmpfs("size=1m,ro");
        CliRun r = CliRun.of("export", "--project", project.toString(), "--out", disk.resolve("out").toString());
        assertOneLine(r, "read-only");
        assertEquals(List.of(), contents(disk));
    }

    @Test
    void importOntoAReadOnlyDiskLeavesNothing() throws Exception {
        Path project = project();
        Path dataset = tmp.resolve("dataset");
        assertEquals(0, CliRun.of("export", "--project", project.toString(), "--out", dataset.toString()).code());
        Path disk = tmpfs("size=1m,ro");
        CliRun r = CliRun.of("import", "--dataset", dataset.toString(), "--project", disk.resolve("p").toString());
        assertOneLine(r, "read-only");
        assertEquals(List.of(), contents(disk));
    }
}
