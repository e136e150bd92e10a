package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Parity with {@code models/golden/metrics_reference.py}, a numpy reimplementation of the official
 * metric code, on random label maps committed under {@code src/test/resources/avsbench/golden}.
 */
class MetricsParityTest {
    private static byte[] bytes(String name) throws IOException {
        try (InputStream in = MetricsParityTest.class.getResourceAsStream("/avsbench/golden/" + name)) {
            return in.readAllBytes();
        }
    }

    private static JsonNode json(String name) throws IOException {
        return new ObjectMapper().readTree(bytes(name));
    }

    private static int[] ints(JsonNode arr) {
        int[] a = new int[arr.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = arr.get(i).asInt();
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(strings = {"avs71", "shapes37"})
    void semanticMetricsMatchNumpy(String name) throws IOException {
        JsonNode ref = json(name + ".json");
        int n = ref.get("classes").asInt();
        int frames = ref.get("frames").asInt();
        int px = ref.get("height").asInt() * ref.get("width").asInt();
        byte[] gt = bytes(name + "_gt.bin");
        byte[] pred = bytes(name + "_pred.bin");
        Metrics.ConfusionMatrix cm = new Metrics.ConfusionMatrix(n);
        Metrics.AvssAccumulator avss = new Metrics.AvssAccumulator(n);
        for (int f = 0; f < frames; f++) {
            int[] g = new int[px];
            int[] p = new int[px];
            for (int i = 0; i < px; i++) {
                g[i] = gt[f * px + i] & 0xFF;
                p[i] = pred[f * px + i] & 0xFF;
            }
            cm.add(g, p);
            avss.add(g, p);
        }
        Metrics.OvResult ov = cm.result(ints(ref.get("seen")), ints(ref.get("unseen")));
        JsonNode r = ref.get("ov");
        assertEquals(r.get("miou").asDouble(), ov.mIoU(), 1e-12);
        assertEquals(r.get("seen").asDouble(), ov.seenMIoU(), 1e-12);
        assertEquals(r.get("unseen").asDouble(), ov.unseenMIoU(), 1e-12);
        assertEquals(r.get("harmonic").asDouble(), ov.harmonicMIoU(), 1e-12);
        assertEquals(r.get("pixel_accuracy").asDouble(), ov.pixelAccuracy(), 1e-12);
        for (int c = 0; c < n; c++) {
            JsonNode v = r.get("per_class_iou").get(c);
            if (v.isNull()) {
                assertTrue(Double.isNaN(ov.perClassIoU()[c]), "class " + c);
            } else {
                assertEquals(v.asDouble(), ov.perClassIoU()[c], 1e-12, "class " + c);
            }
        }
        Metrics.AvssResult a = avss.result();
        JsonNode s = ref.get("avss");
        assertEquals(s.get("miou").asDouble(), a.mIoU(), 1e-12);
        assertEquals(s.get("fscore").asDouble(), a.fScore(), 1e-12);
        assertEquals(s.get("miou_noBg_official").asDouble(), a.mIoULastDropped(), 1e-12);
        assertEquals(s.get("fscore_noBg_official").asDouble(), a.fScoreLastDropped(), 1e-12);
        for (int c = 0; c < n; c++) {
            assertEquals(s.get("per_class_iou").get(c).asDouble(), a.perClassIoU()[c], 1e-12, "class " + c);
            assertEquals(s.get("per_class_f").get(c).asDouble(), a.perClassF()[c], 1e-12, "class " + c);
        }
        assertTrue(a.mIoU() > 0.01 && ov.mIoU() > 0.05, "non-trivial case");
    }

    @Test
    void binaryMetricsMatchNumpyForEveryBatchSize() throws IOException {
        JsonNode ref = json("binary.json");
        int frames = ref.get("frames").asInt();
        int px = ref.get("height").asInt() * ref.get("width").asInt();
        byte[] gt = bytes("binary_gt.bin");
        byte[] pred = bytes("binary_pred.bin");
        Metrics.BinaryAccumulator acc = new Metrics.BinaryAccumulator();
        for (int f = 0; f < frames; f++) {
            float[] p = new float[px];
            boolean[] g = new boolean[px];
            for (int i = 0; i < px; i++) {
                p[i] = (pred[f * px + i] & 0xFF) / 255f;
                g[i] = gt[f * px + i] != 0;
            }
            acc.add(p, g);
        }
        double[] seenF = new double[ref.get("batches").size()];
        int k = 0;
        for (JsonNode b : ref.get("batches")) {
            Metrics.BinaryResult r = acc.result(b.get("batch_size").asInt());
            assertEquals(b.get("miou").asDouble(), r.mIoUOfficial(), 1e-9, "batch " + b.get("batch_size"));
            assertEquals(b.get("fscore").asDouble(), r.fScoreOfficial(), 1e-5, "batch " + b.get("batch_size"));
            seenF[k++] = r.fScoreOfficial();
        }
        // the golden case is chosen so the batch-size quirk is visible
        assertTrue(Arrays.stream(seenF).distinct().count() > 1);
    }
}
