package ovavss.studio.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import ovavss.studio.task.Cancellation;
import ovavss.studio.avsbench.AvsbenchEvaluator;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.avsbench.LabelSet;
import ovavss.studio.avsbench.Metrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eval}: official metrics of a prediction tree against a GT tree. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Score AVSBench predictions against ground truth.",
            "Semantic trees (<root>/<label>/<uid>/labels_semantic|labels_rgb/<k>.png): prints the OV-AVSS "
                + "headline (global confusion-matrix mIoU, seen, unseen, harmonic) and the AVSBench AVSS "
                + "per-frame mIoU / F-score (beta^2 = 0.3, background included).",
            "With --binary: S4/MS3 mask trees (0/255 PNGs at the same relative paths): mIoU and F-score, "
                + "official batch grouping and per-frame."})
public final class EvalCommand implements Callable<Integer> {
    /** Largest --size: far above the official 224, small enough that two maps of it fit any heap. */
    static final int MAX_SIZE = 4096;

    @Option(names = "--pred", required = true, description = "prediction tree")
    Path pred;

    @Option(names = "--gt", required = true, description = "ground-truth tree")
    Path gt;

    @Option(names = "--base", split = ",", description = "seen (base) class indices, e.g. 2,4,6 "
            + "(default: the OV-AVSS list for the standard 71 classes)")
    List<Integer> base;

    @Option(names = "--novel", split = ",", description = "unseen (novel) class indices")
    List<Integer> novel;

    @Option(names = "--classes-from", description = "label2idx.json giving the label space "
            + "(default: the GT root's label2idx.json, else the standard AVSBench one)")
    Path classesFrom;

    @Option(names = "--split", description = "only GT clips of this metadata.csv split")
    String split;

    @Option(names = "--a-obj-filter", description = "zero GT classes not listed in a_obj (OV-AVSS test loader)")
    boolean aObjFilter;

    @Option(names = "--size", description = "resize GT and prediction to SIZE x SIZE (nearest) first; OV-AVSS uses 224")
    Integer size;

    @Option(names = "--binary", description = "S4/MS3 binary mask trees")
    boolean binary;

    @Option(names = "--batch-size", defaultValue = "4", description = "official batch size for binary metrics (default 4, as test.sh)")
    int batchSize;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (size != null && (size < 1 || size > MAX_SIZE)) {
            System.err.println("eval: --size must be between 1 and " + MAX_SIZE + " pixels, got " + size);
            return StudioCli.EXIT_BAD_INPUT;
        }
        if (batchSize < 1) {
            System.err.println("eval: --batch-size must be at least 1, got " + batchSize);
            return StudioCli.EXIT_BAD_INPUT;
        }
        try {
            if (binary) {
                return binary();
            }
            int[] seen = base == null ? null : base.stream().mapToInt(Integer::intValue).toArray();
            int[] unseen = novel == null ? null : novel.stream().mapToInt(Integer::intValue).toArray();
            if ((seen == null) != (unseen == null)) { // one list given: the other is empty, not the default
                seen = seen == null ? new int[0] : seen;
                unseen = unseen == null ? new int[0] : unseen;
            }
            AvsbenchEvaluator.Options opt = new AvsbenchEvaluator.Options(
                    classesFrom == null ? null : LabelSet.read(classesFrom), seen, unseen, split, aObjFilter, size);
            AvsbenchEvaluator.SemanticReport r = new AvsbenchEvaluator().evaluateSemantic(pred, gt, opt, Cancellation.NEVER);
            if (json) {
                System.out.println(toJson(r));
            } else {
                print(r);
            }
            return 0;
        } catch (AvsbenchException e) {
            System.err.println("eval: " + e.getMessage());
            return 2;
        }
    }

    private int binary() throws Exception {
        AvsbenchEvaluator.BinaryReport r = new AvsbenchEvaluator().evaluateBinary(pred, gt, batchSize, Cancellation.NEVER);
        Metrics.BinaryResult b = r.result();
        if (json) {
            ObjectNode o = new ObjectMapper().createObjectNode();
            o.put("frames", b.frames());
            o.put("batch_size", b.batchSize());
            o.put("miou_official", b.mIoUOfficial());
            o.put("fscore_official", b.fScoreOfficial());
            o.put("miou_per_frame", b.mIoUPerFrame());
            o.put("fscore_per_frame", b.fScorePerFrame());
            o.put("missing_predictions", r.missingPredictions());
            ArrayNode w = o.putArray("warnings");
            r.warnings().forEach(w::add);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o));
        } else {
            System.out.printf(Locale.ROOT, "frames            %d%n", b.frames());
            System.out.printf(Locale.ROOT, "mIoU (official, batch %d)  %.4f%n", b.batchSize(), b.mIoUOfficial());
            System.out.printf(Locale.ROOT, "F    (official, batch %d)  %.4f%n", b.batchSize(), b.fScoreOfficial());
            System.out.printf(Locale.ROOT, "mIoU (per frame)           %.4f%n", b.mIoUPerFrame());
            System.out.printf(Locale.ROOT, "F    (per frame)           %.4f%n", b.fScorePerFrame());
            WarningLines.print(System.err, r.warnings());
        }
        return 0;
    }

    private static void print(AvsbenchEvaluator.SemanticReport r) {
        Metrics.OvResult ov = r.ov();
        Metrics.AvssResult a = r.avss();
        System.out.printf(Locale.ROOT, "classes %d (%s), clips %d, frames %d%n", r.labels().size(),
                r.labels().isStandard() ? "AVSBench" : "dataset label2idx", r.clips(), r.frames());
        System.out.println("OV-AVSS (global confusion matrix)");
        System.out.printf(Locale.ROOT, "  Mean IoU  %.4f%n", ov.mIoU());
        System.out.printf(Locale.ROOT, "  Seen      %s  (%d classes)%n", f(ov.seenMIoU()), r.seen().length);
        System.out.printf(Locale.ROOT, "  Unseen    %s  (%d classes)%n", f(ov.unseenMIoU()), r.unseen().length);
        System.out.printf(Locale.ROOT, "  Harmonic  %.4f%n", ov.harmonicMIoU());
        System.out.printf(Locale.ROOT, "  Pixel acc %.4f%n", ov.pixelAccuracy());
        System.out.println("AVSBench AVSS (per-frame, per-class; background included)");
        System.out.printf(Locale.ROOT, "  mIoU      %.4f%n", a.mIoU());
        System.out.printf(Locale.ROOT, "  F-score   %.4f%n", a.fScore());
        System.out.printf(Locale.ROOT, "  mIoU / F without background      %.4f / %.4f%n", a.mIoUNoBackground(), a.fScoreNoBackground());
        System.out.printf(Locale.ROOT, "  official *_noBg (drops last class) %.4f / %.4f%n", a.mIoULastDropped(), a.fScoreLastDropped());
        WarningLines.print(System.err, r.warnings());
    }

    private static String f(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String toJson(AvsbenchEvaluator.SemanticReport r) throws Exception {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode o = m.createObjectNode();
        o.put("classes", r.labels().size());
        o.put("standard_label_space", r.labels().isStandard());
        o.put("clips", r.clips());
        o.put("frames", r.frames());
        ObjectNode ov = o.putObject("ov_avss");
        ov.put("miou", r.ov().mIoU());
        putNum(ov, "seen", r.ov().seenMIoU());
        putNum(ov, "unseen", r.ov().unseenMIoU());
        ov.put("harmonic", r.ov().harmonicMIoU());
        ov.put("pixel_accuracy", r.ov().pixelAccuracy());
        ArrayNode pc = ov.putArray("per_class_iou");
        for (double v : r.ov().perClassIoU()) {
            if (Double.isNaN(v)) {
                pc.addNull();
            } else {
                pc.add(v);
            }
        }
        ObjectNode av = o.putObject("avsbench_avss");
        av.put("miou", r.avss().mIoU());
        av.put("fscore", r.avss().fScore());
        av.put("miou_no_background", r.avss().mIoUNoBackground());
        av.put("fscore_no_background", r.avss().fScoreNoBackground());
        av.put("miou_noBg_official", r.avss().mIoULastDropped());
        av.put("fscore_noBg_official", r.avss().fScoreLastDropped());
        o.put("missing_predictions", r.missingPredictions());
        o.put("unknown_pixels", r.unknownPixels());
        ArrayNode w = o.putArray("warnings");
        r.warnings().forEach(w::add);
        return m.writeValueAsString(o);
    }

    private static void putNum(ObjectNode o, String k, double v) {
        if (Double.isNaN(v)) {
            o.putNull(k);
        } else {
            o.put(k, v);
        }
    }
}
