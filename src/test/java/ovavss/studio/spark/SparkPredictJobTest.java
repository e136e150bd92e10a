package ovavss.studio.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import ovavss.studio.app.predict.CocoRle;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.cli.StudioCli;
import ovavss.studio.files.FileTrees;

/**
 * The Spark job on an embedded local Spark over 12 generated AV-Shapes clips with the demo bundle:
 * the same label PNGs and predictions.json as {@code predict}, a predictions table whose masks
 * rebuild the PNGs, a task killed on its first attempt and retried with intact outputs, a re-run
 * that skips every clip, a corrupt clip that becomes a failure row, and a bad bundle stopped
 * before any task.
 */
class SparkPredictJobTest {
    private static final Path DEMO = Path.of("models/demo-avshapes");

    @TempDir
    static Path shared;

    private static Path root;
    private static Path predicted;

    @BeforeAll
    static void generateClipsAndPredict() throws Exception {
        root = shared.resolve("avshapes");
        Process p = new ProcessBuilder("/usr/bin/python3", "models/make_avshapes.py", "--out", root.toString(),
                "--train", "0", "--val", "0", "--test", "12").redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, log);
        predicted = shared.resolve("predict");
        assertEquals(0, StudioCli.run("predict", root.toString(), "--split", "test", "--model", DEMO.toString(),
                "--out", predicted.toString(), "--device", "cpu"));
    }

    private record Run(int exit, String err) {
    }

    private static Run job(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int exit = SparkPredictJob.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), args);
        return new Run(exit, bytes.toString(StandardCharsets.UTF_8));
    }

    private static List<String> args(Path input, Path out, String master, String... more) {
        List<String> a = new ArrayList<>(List.of("--master", master, "--model", DEMO.toString(), "--input",
                input.toString(), "--split", "test", "--out", out.toString(), "--device", "cpu"));
        a.addAll(List.of(more));
        return a;
    }

    /** Every file predict wrote, relative path → bytes. */
    private static Map<String, byte[]> files(Path dir) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        return out;
    }

    /** The job's clip folders hold byte for byte what predict wrote, and nothing half-written. */
    private static void assertSameAsPredict(Path out) throws Exception {
        Map<String, byte[]> want = files(predicted);
        assertEquals(12 * 21, want.size(), "12 clips × (10 grey + 10 colour PNGs + predictions.json)");
        for (Map.Entry<String, byte[]> e : want.entrySet()) {
            Path f = out.resolve(e.getKey());
            assertTrue(Files.isRegularFile(f), "missing " + e.getKey());
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), e.getKey() + " differs from predict's");
        }
        try (Stream<Path> s = Files.walk(out)) {
            List<Path> hidden = s.map(p -> p.getFileName().toString())
                    .filter(n -> n.contains(".predict-") || n.contains(".writing-") || n.contains(".replaced-"))
                    .map(Path::of).toList();
            assertEquals(List.of(), hidden, "staging left behind");
        }
    }

    private static List<Row> table(Path dir) {
        SparkSession spark = SparkSession.builder().master("local[1]").appName("read").getOrCreate();
        try {
            return spark.read().parquet(dir.toUri().toString()).collectAsList();
        } finally {
            spark.stop();
        }
    }

    private static int predictedObjects() throws Exception {
        int n = 0;
        try (Stream<Path> s = Files.list(predicted.resolve("v2"))) {
            for (Path clip : s.toList()) {
                n += new ObjectMapper().readTree(clip.resolve("predictions.json").toFile()).get("objects").size();
            }
        }
        return n;
    }

    private static JsonNode summary(Path out) throws Exception {
        return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    }

    @Test
    void writesWhatPredictWritesAndATableWhoseMasksAreThePngs() throws Exception {
        Path out = shared.resolve("spark");
        Run r = job(args(root, out, "local[2]").toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertSameAsPredict(out);
        assertEquals(12, summary(out).get("predicted").asInt());
        List<Row> rows = table(out.resolve("predictions.parquet"));
        assertEquals(0, table(out.resolve("failures.parquet")).size());
        // one row per object (predictions.json) and real keyframe of its window
        Map<String, int[]> rebuilt = new HashMap<>();
        for (Row row : rows) {
            String key = row.getAs("clip") + "/" + row.getAs("keyframe");
            int h = row.getAs("mask_height");
            int w = row.getAs("mask_width");
            boolean[] mask = CocoRle.decode(row.getAs("mask_rle"), h, w);
            int[] map = rebuilt.computeIfAbsent(key, k -> new int[h * w]);
            int area = 0;
            for (int i = 0; i < mask.length; i++) {
                if (mask[i]) {
                    assertEquals(0, map[i], "masks of one keyframe overlap");
                    map[i] = row.getAs("label_id");
                    area++;
                }
            }
            assertEquals((int) row.getAs("mask_area"), area);
            assertEquals(64, ((String) row.getAs("bundle_sha256")).length());
        }
        try (Stream<Path> s = Files.list(predicted.resolve("v2"))) {
            for (Path clip : s.toList()) {
                for (int k = 0; k < 10; k++) {
                    ImageFiles.Raster png = ImageFiles.read(clip.resolve("labels_semantic/" + k + ".png"));
                    int[] map = rebuilt.getOrDefault("v2/" + clip.getFileName() + "/" + k, new int[png.pixels().length]);
                    for (int i = 0; i < map.length; i++) {
                        assertEquals(png.pixels()[i] & 0xFF, map[i], clip.getFileName() + " keyframe " + k);
                    }
                }
            }
        }
        int objects = predictedObjects();
        assertTrue(objects > 0, "the demo finds objects");
        assertEquals(objects * 5, rows.size(), "demo: every object's window has 5 real keyframes");

        // the README's query, through `spark-predict.sh sql`
        java.io.ByteArrayOutputStream shown = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream errs = new java.io.ByteArrayOutputStream();
        String table = "parquet.`" + out.resolve("predictions.parquet") + "`";
        assertEquals(0, PredictionsQuery.run(new java.io.PrintStream(shown, true), new java.io.PrintStream(errs, true),
                "SELECT label, count(DISTINCT clip) AS clips FROM " + table + " GROUP BY label ORDER BY clips"));
        String label = rows.get(0).getAs("label");
        assertTrue(shown.toString().contains("| clips") && shown.toString().contains(label), shown.toString());
        assertEquals(2, PredictionsQuery.run(new java.io.PrintStream(shown, true), new java.io.PrintStream(errs, true),
                "SELECT nothing FROM " + table));
        assertEquals(1, errs.toString().lines().count(), errs.toString());
        assertTrue(errs.toString().contains("nothing"), errs.toString());
    }

    @Test
    void aTaskFailingOnceIsRetriedAndARerunSkipsEveryClip() throws Exception {
        Path out = shared.resolve("retried");
        String victim = "v2/avshapes-test-000003_0_10000";
        Run r = job(args(root, out, "local[2,3]", "--inject-failure-once", victim).toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.err().contains("attempt 0 failed") && r.err().contains("injected failure before committing "
                + victim), r.err());
        assertSameAsPredict(out);
        assertEquals(12, summary(out).get("clips").asInt());
        assertEquals(0, summary(out).get("failed").asInt());
        // one task holds every clip at local[2,3] (one task per executor): its retry skipped the
        // clips the failed attempt had committed before the victim, and predicted the rest
        int resumed = summary(out).get("skipped").asInt();
        assertTrue(resumed >= 1 && resumed <= 3, r.err());
        assertEquals(12 - resumed, summary(out).get("predicted").asInt());
        long before = Files.getLastModifiedTime(out.resolve(victim).resolve("predictions.json")).toMillis();

        Run again = job(args(root, out, "local[2]").toArray(String[]::new));
        assertEquals(0, again.exit(), again.err());
        JsonNode s = summary(out);
        assertEquals(12, s.get("skipped").asInt(), again.err());
        assertEquals(0, s.get("predicted").asInt());
        assertEquals(before, Files.getLastModifiedTime(out.resolve(victim).resolve("predictions.json")).toMillis());
        assertSameAsPredict(out);
        // the skipped clips' rows come from their records: the table is whole again
        assertEquals(predictedObjects() * 5, table(out.resolve("predictions.parquet")).size());
    }

    @Test
    void aCorruptClipIsAFailureRowAndTheRestFinish() throws Exception {
        Path broken = shared.resolve("broken");
        FileTrees.copy(root, broken);
        String bad = "v2/avshapes-test-000005_0_10000";
        try (Stream<Path> s = Files.list(broken.resolve(bad).resolve("frames"))) {
            for (Path f : s.toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4});
            }
        }
        Path out = shared.resolve("with-failure");
        Run r = job(args(broken, out, "local[2]").toArray(String[]::new));
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("FAILED " + bad), r.err());
        List<Row> failures = table(out.resolve("failures.parquet"));
        assertEquals(1, failures.size());
        assertEquals(bad, failures.get(0).getAs("clip"));
        assertFalse(((String) failures.get(0).getAs("reason")).isBlank());
        JsonNode s = summary(out);
        assertEquals(11, s.get("predicted").asInt());
        assertFalse(Files.exists(out.resolve(bad)), "no output for the failed clip");

        Path fast = shared.resolve("fail-fast");
        Run stopped = job(args(broken, fast, "local[1]", "--fail-fast", "--partitions", "1").toArray(String[]::new));
        assertEquals(1, stopped.exit(), stopped.err());
        assertTrue(stopped.err().contains("stopped: clip " + bad + " failed"), stopped.err());
        assertFalse(Files.exists(fast.resolve("predictions.parquet")));
    }

    @Test
    void aBundleThatDoesNotVerifyStopsTheJobBeforeAnyTask() throws Exception {
        Path bundle = shared.resolve("bad-bundle");
        FileTrees.copy(DEMO, bundle);
        Files.write(bundle.resolve("clip_text.pt"), new byte[] {0, 1, 2});
        Path out = shared.resolve("never");
        Run r = job("--master", "local[2]", "--model", bundle.toString(), "--input", root.toString(), "--out",
                out.toString(), "--device", "cpu");
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("cannot use model: ") && r.err().contains("SHA-256 mismatch"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(Files.exists(out));

        Path notOurs = shared.resolve("not-ours");
        Files.createDirectories(notOurs);
        Files.writeString(notOurs.resolve("keep.txt"), "mine");
        Run refused = job(args(root, notOurs, "local[2]").toArray(String[]::new));
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("not an earlier run's output"), refused.err());
    }
}
