package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.avsbench.Palette;
import ovavss.studio.avsbench.WavFiles;
import ovavss.studio.cli.CliRun;
import ovavss.studio.cli.StudioCli;

/** {@code predict} on a generated AVSBench tree with the tiny bundle: outputs, shards, errors. */
class PredictCliTest {
    private static void makeClip(Path dir, int frames, int seed) throws Exception {
        Files.createDirectories(dir.resolve("frames"));
        for (int k = 0; k < frames; k++) {
            int[] rgb = new int[96 * 64];
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 96; x++) {
                    boolean sq = Math.abs(x - 30 - 4 * k - seed) < 14 && Math.abs(y - 32) < 14;
                    rgb[y * 96 + x] = sq ? 0xE02020 : (x * 2) << 8 | y * 3;
                }
            }
            ImageFiles.writeJpeg(dir.resolve("frames").resolve(k + ".jpg"), 96, 64, rgb, 0.95f);
        }
        float[] audio = new float[16000 * frames];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * 440 * i / 16000.0));
        }
        WavFiles.writePcm16(dir.resolve("audio.wav"), audio, 16000);
    }

    @Test
    void writesSemanticPngsAndJsonForEveryClipOfItsShard(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("avsbench");
        makeClip(root.resolve("v2").resolve("clipA"), 10, 0);
        makeClip(root.resolve("v1s").resolve("clipB"), 5, 5);
        makeClip(root.resolve("v1s").resolve("clipC"), 5, 9);
        Path out = tmp.resolve("pred");
        int rc = StudioCli.run("predict", root.toString(), "--model", ModelBundleTest.TINY.toString(), "--out",
                out.toString(), "--device", "cpu", "--threshold", "0", "--shard", "0/2");
        assertEquals(0, rc);
        // sorted clips: v1s/clipB, v1s/clipC, v2/clipA → shard 0/2 = clipB and clipA
        assertTrue(Files.isRegularFile(out.resolve("v1s/clipB/labels_semantic/4.png")));
        assertTrue(Files.isRegularFile(out.resolve("v2/clipA/labels_rgb/9.png")));
        assertTrue(Files.notExists(out.resolve("v1s/clipC")), "other shard's clip");
        JsonNode json = new ObjectMapper().readTree(out.resolve("v2/clipA/predictions.json").toFile());
        assertEquals(4, json.get("vocabulary").size());
        assertTrue(json.get("objects").size() > 0, "threshold 0 keeps the top-k objects");
        JsonNode o = json.get("objects").get(0);
        assertTrue(o.has("sound_score") && o.has("clip_score") && o.get("keyframes").size() > 0);
        // semantic and colour maps agree through the palette
        ImageFiles.Raster sem = ImageFiles.read(out.resolve("v2/clipA/labels_semantic/0.png"));
        ImageFiles.Raster rgb = ImageFiles.read(out.resolve("v2/clipA/labels_rgb/0.png"));
        assertEquals(96, sem.width());
        assertEquals(64, sem.height());
        for (int i = 0; i < sem.pixels().length; i++) {
            assertEquals(Palette.rgb(sem.pixels()[i]) & 0xFFFFFF, rgb.pixels()[i] & 0xFFFFFF);
        }
    }

    @Test
    void customVocabularyAndBadInputs(@TempDir Path tmp) throws Exception {
        Path clip = tmp.resolve("v2").resolve("one");
        makeClip(clip, 5, 0);
        Path vocab = tmp.resolve("names.txt");
        Files.writeString(vocab, "# names\nred circle\n\nmagenta blob\n");
        Path out = tmp.resolve("pred");
        assertEquals(0, StudioCli.run("predict", clip.toString(), "--model", ModelBundleTest.TINY.toString(),
                "--out", out.toString(), "--device", "cpu", "--vocab", vocab.toString(), "--threshold", "0"));
        JsonNode json = new ObjectMapper().readTree(out.resolve("v2/one/predictions.json").toFile());
        assertEquals(2, json.get("vocabulary").size());
        assertEquals(2, StudioCli.run("predict", tmp.resolve("nothing-here").toString(), "--model",
                ModelBundleTest.TINY.toString(), "--out", out.toString()));
        assertEquals(2, StudioCli.run("predict", clip.toString(), "--model", tmp.toString(), "--out", out.toString()),
                "a folder without bundle.json is refused");
    }

    @Test
    void splitKeepsOnlyTheClipsOfThatSplitInMetadata(@TempDir Path tmp) throws Exception {
        Path root = tmp.resolve("avsbench");
        makeClip(root.resolve("v2").resolve("trainClip"), 5, 0);
        makeClip(root.resolve("v2").resolve("testClip"), 5, 3);
        Files.writeString(root.resolve("metadata.csv"), "vid,uid,s_min,s_sec,a_obj,split,label\n"
                + "a,trainClip,0,0,dog,train,v2\nb,testClip,0,0,dog,test,v2\n");
        Path out = tmp.resolve("pred");
        assertEquals(0, StudioCli.run("predict", root.toString(), "--model", ModelBundleTest.TINY.toString(), "--out",
                out.toString(), "--device", "cpu", "--split", "test"));
        assertTrue(Files.isRegularFile(out.resolve("v2/testClip/predictions.json")));
        assertTrue(Files.notExists(out.resolve("v2/trainClip")), "train clip left out");
        assertEquals(2, StudioCli.run("predict", root.resolve("v2").resolve("testClip").toString(), "--model",
                ModelBundleTest.TINY.toString(), "--out", out.toString(), "--split", "test"),
                "--split without metadata.csv is refused");
    }

    @Test
    void fp16OnTheCpuWarnsOnceAndRunsFp32(@TempDir Path tmp) throws Exception {
        Path clip = tmp.resolve("v2").resolve("one");
        makeClip(clip, 5, 0);
        Path out = tmp.resolve("pred");
        CliRun r = CliRun.of("predict", clip.toString(), "--model", ModelBundleTest.TINY.toString(), "--out",
                out.toString(), "--device", "cpu", "--precision", "fp16", "--threshold", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.err().lines().filter(l -> l.startsWith("warning: ")).count(), r.err());
        assertTrue(r.err().lines().anyMatch(l -> l.equals("warning: fp16 needs a CUDA GPU; running fp32 on the CPU")),
                r.err());
        assertTrue(r.err().contains("device CPU, precision fp32"), r.err());
        assertTrue(Files.isRegularFile(out.resolve("v2/one/predictions.json")));
    }

    @Test
    void anUnknownPrecisionIsBadInputInOneLine(@TempDir Path tmp) throws Exception {
        Path clip = tmp.resolve("v2").resolve("one");
        makeClip(clip, 5, 0);
        Path out = tmp.resolve("pred");
        CliRun r = CliRun.of("predict", clip.toString(), "--model", ModelBundleTest.TINY.toString(), "--out",
                out.toString(), "--precision", "half");
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of("predict: unknown precision 'half' (use fp32 or fp16)"), r.err().lines().toList());
        assertTrue(Files.notExists(out), "nothing written");
    }
}
