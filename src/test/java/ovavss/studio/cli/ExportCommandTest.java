package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.avsbench.WavFiles;
import ovavss.studio.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code export} through the real command line over decoded media (the H.264/AAC sample and an
 * AVSBench clip folder, alternating): {@code --threads 3} writes the same bytes as one thread.
 */
class ExportCommandTest {
    static final int W = 80;
    static final int H = 60;

    @TempDir
    Path tmp;



    /** An AVSBench clip folder: {@code frames} JPEGs of 96×64 and a 16 kHz wav. */
    private static Path avsbenchFolder(Path dir, int frames) throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        for (int k = 0; k < frames; k++) {
            int[] rgb = new int[96 * 64];
            for (int i = 0; i < rgb.length; i++) {
                rgb[i] = (i % 96 * 2 + k * 20) << 16 | (i / 96 * 3) << 8 | 0x40;
            }
            ImageFiles.writeJpeg(dir.resolve("frames").resolve(k + ".jpg"), 96, 64, rgb, 0.95f);
        }
        float[] audio = new float[16000 * frames];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        WavFiles.writePcm16(dir.resolve("audio.wav"), audio, 16000);
        return dir;
    }

    private Path project() throws Exception {
        String mp4 = SampleClip.path().toString();
        String folder = avsbenchFolder(tmp.resolve("media/clipdir"), 3).toString();
        Mask box = MaskOps.polygon(W, H, new double[] {10, 10, 40, 10, 40, 40, 10, 40});
        List<Clip> clips = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            boolean video = i % 2 == 0;
            TreeMap<Integer, ObjectFrame> f = new TreeMap<>();
            f.put(0, ObjectFrame.human(box, SoundFlag.SOUNDING));
            double start = video ? i : 0;
            clips.add(new Clip("clip" + i, video ? mp4 : folder, start, 2, Clip.defaultKeyframes(2), W, H,
                    List.of(new SoundingObject("o1", "dog", 0, f)), Map.of("split", "test")));
        }
        Project p = new Project("cli", AvsbenchImporter.vocabularyFor(LabelSet.standard()), clips, Map.of());
        Path dir = tmp.resolve("project");
        new ProjectStore().save(p, dir);
        return dir;
    }

    private static List<Path> files(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    @Test
    void threadsWriteTheSameTreeAsOneThread() throws Exception {
        Path project = project();
        for (String layout : new String[] {"semantic", "s4"}) {
            Path one = tmp.resolve(layout + "-1");
            Path three = tmp.resolve(layout + "-3");
            CliRun r1 = CliRun.of("export", "--project", project.toString(), "--out", one.toString(), "--layout", layout,
                    "--threads", "1");
            assertEquals(0, r1.code(), r1.err());
            CliRun r3 = CliRun.of("export", "--project", project.toString(), "--out", three.toString(), "--layout", layout,
                    "--threads", "3");
            assertEquals(0, r3.code(), r3.err());
            assertTrue(r3.out().contains("exported 6 clips: 12 label frames, 12 frames, 6 audio files"), r3.out());
            List<Path> f1 = files(one);
            assertEquals(f1, files(three));
            for (Path rel : f1) {
                assertArrayEquals(Files.readAllBytes(one.resolve(rel)), Files.readAllBytes(three.resolve(rel)),
                        layout + " " + rel);
            }
        }
    }

    @Test
    void threadsMustBePositiveAndAreDocumented() throws Exception {
        CliRun r = CliRun.of("export", "--project", tmp.toString(), "--out", tmp.resolve("o").toString(), "--threads", "0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--threads must be between 1 and"), r.err());
        CliRun help = CliRun.of("export", "--help");
        assertTrue(help.out().contains("--threads=N"), help.out());
    }
}
