package ovavss.studio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bench inference} at a precision: the precision line, the warning when fp16 cannot run,
 * and the fp16-against-fp32 label agreement (its arithmetic, then a short run on the tiny bundle
 * with the hidden switch that runs fp16 graphs on the CPU).
 */
class InferenceBenchmarkTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny");

    /** {@code bench inference} on the tiny bundle, short, with {@code props} set for the run only. */
    private static CliRun bench(Map<String, String> props) {
        Map<String, String> all = new HashMap<>(Map.of("ovavss.bench.bundle", TINY.toString(),
                "ovavss.bench.clips", "2", "ovavss.bench.windows", "4"));
        all.putAll(props);
        Map<String, String> was = new HashMap<>();
        all.keySet().forEach(k -> was.put(k, System.getProperty(k)));
        try {
            all.forEach(System::setProperty);
            return CliRun.of("bench", "inference");
        } finally {
            was.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }

    private static double figure(CliRun r, String name) {
        return r.out().lines().filter(l -> l.startsWith(name + " ")).map(l -> Double.parseDouble(l.split(" ")[1]))
                .findFirst().orElseThrow(() -> new AssertionError(name + " missing from:\n" + r.out()));
    }

    @Test
    void agreementCountsKeyframesWithTheSameClassesAndTheUnionMasksIou() {
        InferenceBenchmark.Agreement a = new InferenceBenchmark.Agreement();
        a.add(new int[] {0, 1, 1, 2}, new int[] {0, 1, 1, 2}); // the same: agree, IoU 1
        a.add(new int[] {0, 1, 1, 0}, new int[] {0, 3, 3, 0}); // same pixels, another class: disagree, IoU 1
        a.add(new int[] {1, 1, 0, 0}, new int[] {0, 1, 1, 0}); // same class, shifted: agree, IoU 1/3
        a.add(new int[] {0, 0, 0, 0}, new int[] {0, 0, 0, 0}); // both empty: agree, IoU 1
        assertEquals(4, a.keyframes());
        assertEquals(0.75, a.labelAgreement(), 1e-12);
        assertEquals((1 + 1 + 1.0 / 3 + 1) / 4, a.meanMaskIou(), 1e-12);
        assertTrue(Double.isNaN(new InferenceBenchmark.Agreement().labelAgreement()), "no keyframes, no figure");
    }

    @Test
    void fp16OnTheCpuRunsFp32WithAWarning() {
        CliRun r = bench(Map.of("ovavss.bench.precision", "fp16", "ovavss.bench.agreement", "true"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("precision fp32 -")), r.out());
        assertTrue(r.err().contains("warning: fp16 needs a CUDA GPU; running fp32 on the CPU"), r.err());
        assertTrue(r.err().contains("warning: no fp16 label agreement"), r.err());
        assertFalse(r.out().contains("fp16_label_agreement"), r.out());
        assertFalse(r.out().contains("gpu_memory"), "no GPU memory on the CPU:\n" + r.out());
        // each valid query is valid in 1..5 frames of a window, one CLIP crop each
        double queries = figure(r, "valid_queries_per_window");
        double crops = figure(r, "clip_crops_per_window");
        assertTrue(queries > 0 && crops >= queries && crops <= 5 * queries, r.out());
        // the bare forward runs CLIP on the window's crops as the model does: slower than the
        // segmenter alone, and the ratio is taken against it
        assertTrue(figure(r, "forward_clip_ms_per_window") > 0, r.out());
        double forward = figure(r, "forward_clips_per_s");
        assertTrue(forward < figure(r, "forward_segmenter_clips_per_s"), r.out());
        assertEquals(figure(r, "pipeline_clips_per_s") / forward, figure(r, "pipeline_vs_forward_ratio"), 0.01,
                r.out());
        // the post stage's two parts add up to it
        assertEquals(figure(r, "stage_post_ms_per_window"),
                figure(r, "stage_post_clip_ms_per_window") + figure(r, "stage_post_host_ms_per_window"), 0.15, r.out());
        assertTrue(figure(r, "stage_post_clip_ms_per_window") > 0, r.out());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "ovavss.bench.precision | half | bench: -Dovavss.bench.precision: unknown precision 'half' (use fp32 or fp16)",
        "ovavss.bench.soakSeconds | soon | bench: -Dovavss.bench.soakSeconds: 'soon' is not a number of seconds > 0",
        "ovavss.bench.soakSeconds | -1 | bench: -Dovavss.bench.soakSeconds: '-1' is not a number of seconds > 0"})
    void aBadSettingIsBadInputInOneLine(String key, String value, String line) {
        CliRun r = bench(Map.of(key, value));
        assertEquals(2, r.code(), r.err());
        assertEquals(List.of(line), r.err().lines().toList());
    }

    @Test
    void theSoakEndsAtItsTimeBoxAfterOneClip() {
        CliRun r = bench(Map.of("ovavss.bench.windows", "1000", "ovavss.bench.soakSeconds", "0.001"));
        assertEquals(0, r.code(), r.err());
        assertEquals(2, figure(r, "soak_windows"), "one clip of 2 windows, then the time box:\n" + r.out());
    }

    @Test
    void fp16LabelsAgreeWithFp32OnTheGeneratedClips() {
        assumeTrue(Files.isRegularFile(TINY.resolve("fp16/segmenter.pt")), "the tiny bundle's fp16 graphs are not there yet");
        CliRun r = bench(Map.of("ovavss.bench.precision", "fp16", "ovavss.bench.agreement", "true",
                "ovavss.fp16.cpu", "true"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.equals("precision fp16 -")), r.out());
        assertEquals(2 * 10, figure(r, "fp16_agreement_keyframes"), "2 clips of 10 keyframes");
        double labels = figure(r, "fp16_label_agreement");
        double iou = figure(r, "fp16_mask_iou");
        // random weights: near-ties may flip a label, but far from most of them
        assertTrue(labels >= 0.8 && labels <= 1, r.out());
        assertTrue(iou >= 0.9 && iou <= 1, r.out());
    }
}
