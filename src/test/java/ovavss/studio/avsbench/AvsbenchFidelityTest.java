package ovavss.studio.avsbench;

import ovavss.studio.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An AVSBench root with the real data's quirks, read as PIL and the official loaders and metric
 * code read it ({@code models/golden/avsbench_fidelity.py} wrote the root and the expected values
 * into {@code src/test/resources/avsbench/fidelity}): RGB and palette {@code labels_rgb}, a stray
 * palette colour, a v1s train clip labelled on frame 0 only, a label file of another size, a
 * metadata.csv with every field quoted, predictions in the layout of AVSBench's save_color_mask,
 * and PNG encodings from 1-bit grey to RGBA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvsbenchFidelityTest {
    private static final Path ROOT = Path.of("src/test/resources/avsbench/fidelity").toAbsolutePath();

    @TempDir
    Path tmp;

    private JsonNode expected;

    @BeforeAll
    void read() throws Exception {
        expected = new ObjectMapper().readTree(ROOT.resolve("expected.json").toFile());
    }



    private static String ints(JsonNode arr) {
        List<String> s = new ArrayList<>();
        arr.forEach(v -> s.add(v.asText()));
        return String.join(",", s);
    }

    @Test
    void everyPngEncodingReadsAsPilConvertsItToRgb() {
        expected.get("pngs").fields().forEachRemaining(e -> {
            ImageFiles.Raster r = ImageFiles.read(ROOT.resolve("pngs").resolve(e.getKey()));
            int[] rgb = r.rgb();
            JsonNode want = e.getValue().get("rgb");
            assertEquals(want.size(), rgb.length, e.getKey());
            for (int i = 0; i < rgb.length; i++) {
                JsonNode px = want.get(i);
                int w = (px.get(0).asInt() << 16) | (px.get(1).asInt() << 8) | px.get(2).asInt();
                assertEquals(Integer.toHexString(w), Integer.toHexString(rgb[i]),
                        e.getKey() + " (PIL mode " + e.getValue().get("mode").asText() + ") pixel " + i);
            }
        });
    }

    @Test
    void evalOfTheOfficialPredictionLayoutEqualsTheOfficialMetricCode() throws Exception {
        CliRun r = CliRun.of("eval", "--json", "--split", "test", "--pred", ROOT.resolve("pred").toString(), "--gt",
                ROOT.resolve("gt").toString(), "--base", ints(expected.get("seen")), "--novel",
                ints(expected.get("unseen")));
        assertEquals(0, r.code(), r.err());
        JsonNode got = new ObjectMapper().readTree(r.out());
        JsonNode want = expected.get("eval_test");
        assertEquals(want.get("frames").asLong(), got.get("frames").asLong());
        assertEquals(0, got.get("missing_predictions").asLong(), "every save_color_mask file was found");
        for (String[] k : new String[][] {{"miou", "miou"}, {"seen", "seen"}, {"unseen", "unseen"},
            {"harmonic", "harmonic"}, {"pixel_accuracy", "pixel_accuracy"}}) {
            assertEquals(want.get("ov").get(k[0]).asDouble(), got.get("ov_avss").get(k[1]).asDouble(), 1e-9, k[0]);
        }
        assertEquals(want.get("avss").get("miou").asDouble(), got.get("avsbench_avss").get("miou").asDouble(), 1e-9);
        assertEquals(want.get("avss").get("fscore").asDouble(), got.get("avsbench_avss").get("fscore").asDouble(),
                1e-9);
        // --split test: the train and val clips are neither scored nor warned about
        assertFalse(r.err().contains("trainclip") || r.err().contains("oddclip"), r.err());
    }

    @Test
    void importThenExportKeepsLabelsAsPilReadsThemAndCopiesWhatItDidNotChange() throws Exception {
        Path project = tmp.resolve("project");
        CliRun imp = CliRun.of("import", "--dataset", ROOT.resolve("gt").toString(), "--project", project.toString());
        assertEquals(0, imp.code(), imp.err());
        // without --split, the train and val rows' quirks are reported
        assertTrue(imp.err().contains("uid trainclip: s_sec = 60"), imp.err());
        assertTrue(imp.err().contains("uid oddclip: a_obj token 'off-the-screen'"), imp.err());
        Path out = tmp.resolve("out");
        CliRun exp = CliRun.of("export", "--project", project.toString(), "--out", out.toString());
        assertEquals(0, exp.code(), exp.err());
        int w = expected.get("width").asInt();
        int h = expected.get("height").asInt();
        Map<String, String> subsetOf = Map.of("rgbclip", "v2", "palclip", "v2", "trainclip", "v1s", "oddclip", "v1m");
        for (Map.Entry<String, String> c : subsetOf.entrySet()) {
            String uid = c.getKey();
            Path src = ROOT.resolve("gt").resolve(c.getValue()).resolve(uid);
            Path dst = out.resolve(c.getValue()).resolve(uid);
            JsonNode info = expected.get("clips").get(uid);
            List<Integer> labelled = new ArrayList<>();
            info.get("labelled").forEach(v -> labelled.add(v.asInt()));
            // only the frames that had labels get label files: no invented all-background frames
            try (Stream<Path> s = Files.list(dst.resolve("labels_semantic"))) {
                assertEquals(labelled.size(), s.count(), uid + " label files");
            }
            for (int k : labelled) {
                if (info.has("odd_frame") && info.get("odd_frame").asInt() == k) {
                    continue;
                }
                byte[] want = Files.readAllBytes(ROOT.resolve(uid + "_" + k + ".bin"));
                ImageFiles.Raster r = ImageFiles.read(dst.resolve("labels_semantic").resolve(k + ".png"));
                assertEquals(w, r.width(), uid + " " + k + ": the good frames keep their size");
                assertEquals(h, r.height());
                int[] got = r.pixels();
                int[] wantInts = new int[want.length];
                for (int i = 0; i < want.length; i++) {
                    wantInts[i] = want[i] & 0xFF;
                }
                assertArrayEquals(wantInts, got, uid + " frame " + k + " differs from PIL's reading");
            }
            // the source JPEGs are copied byte for byte, not re-encoded
            for (int k = 0; k < info.get("keyframes").asInt(); k++) {
                assertArrayEquals(Files.readAllBytes(src.resolve("frames/" + k + ".jpg")),
                        Files.readAllBytes(dst.resolve("frames/" + k + ".jpg")), uid + " frame " + k);
            }
        }
        // 44.1 kHz stereo audio.wav comes back as it was
        assertArrayEquals(Files.readAllBytes(ROOT.resolve("gt/v2/rgbclip/audio.wav")),
                Files.readAllBytes(out.resolve("v2/rgbclip/audio.wav")));
        // the quoted a_obj with its comma survives the round trip
        MetadataCsv.Result csv = MetadataCsv.read(out.resolve("metadata.csv"));
        assertTrue(csv.rows().stream().anyMatch(row -> row.uid().equals("palclip") && row.aObj().equals("piano, cello")),
                csv.rows().toString());
        assertEquals(4, csv.rows().size());
    }
}
