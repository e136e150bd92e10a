package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import ovavss.studio.avsbench.AvsbenchEvaluator;
import ovavss.studio.task.Cancellation;

/**
 * Each of the demo bundle's proposer-based methods, run as a user runs it — {@code predict --method}
 * on generated AV-Shapes test clips, then the app's own evaluator — reproduces the figures that
 * bundle.json records for the same clips (measured by the Python reference,
 * {@code models/methods/evaluate.py}) within 0.5 points.
 */
class MethodFiguresTest {
    private static final Path DEMO = Path.of("models/demo-avshapes");

    @TempDir
    static Path shared;
    static Path root;
    static JsonNode manifest;

    @BeforeAll
    static void generateClips() throws Exception {
        manifest = new ObjectMapper().readTree(DEMO.resolve("bundle.json").toFile());
        int clips = manifest.path("methods").path("seac").path("check_metrics").path("clips").asInt(24);
        root = shared.resolve("avshapes");
        Process p = new ProcessBuilder("/usr/bin/python3", "models/make_avshapes.py", "--out", root.toString(),
                "--train", "0", "--val", "0", "--test", String.valueOf(clips)).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, log);
    }

    private static int[] ids(String part) {
        List<String> all = new ArrayList<>();
        manifest.path("vocabulary").path("default").forEach(n -> all.add(n.asText()));
        List<Integer> out = new ArrayList<>();
        manifest.path("vocabulary").path(part).forEach(n -> out.add(all.indexOf(n.asText()) + 1));
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"seac", "openavs"})
    void predictAndEvalReproduceTheBundlesFigures(String method) throws Exception {
        JsonNode want = manifest.path("methods").path(method).path("check_metrics");
        assertTrue(want.has("harmonic"), "bundle.json records " + method + "'s figures on the check clips");
        Path out = shared.resolve("pred-" + method);
        assertEquals(0, StudioCli.run("predict", root.toString(), "--split", "test", "--model", DEMO.toString(),
                "--method", method, "--out", out.toString(), "--device", "cpu"));
        JsonNode written = new ObjectMapper().readTree(Files.list(out.resolve("v2")).findFirst().orElseThrow()
                .resolve("predictions.json").toFile());
        assertEquals(method, written.path("method").asText());
        AvsbenchEvaluator.SemanticReport r = new AvsbenchEvaluator().evaluateSemantic(out, root,
                new AvsbenchEvaluator.Options(null, ids("base"), ids("novel"), "test", false, null), Cancellation.NEVER);
        double[][] pairs = {
            {want.path("base_miou").asDouble(), r.ov().seenMIoU() * 100},
            {want.path("novel_miou").asDouble(), r.ov().unseenMIoU() * 100},
            {want.path("harmonic").asDouble(), r.ov().harmonicMIoU() * 100},
            {want.path("miou").asDouble(), r.ov().mIoU() * 100},
        };
        String[] names = {"base", "novel", "harmonic", "mIoU"};
        for (int i = 0; i < pairs.length; i++) {
            assertEquals(pairs[i][0], pairs[i][1], 0.5, method + " " + names[i] + " (bundle.json vs predict + eval)");
        }
    }
}
