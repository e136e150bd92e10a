package ovavss.studio.avsbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import ovavss.studio.task.Cancellation;

/**
 * Scores a prediction tree against a ground-truth tree, both in the AVSBench-semantic layout
 * (predictions as {@code labels_semantic} or {@code labels_rgb}), or both in the S4/MS3 binary
 * layout. Every GT label frame is one evaluated frame; a missing prediction frame counts as all
 * background. Predictions of a different size are resized to the GT (nearest), or both to
 * {@code size} when given (the OV-AVSS protocol uses 224).
 */
public final class AvsbenchEvaluator {
    /**
     * @param labels       label space of both trees; null = GT root's label2idx.json, else standard
     * @param seen         base class indices; null = the OV-AVSS list for the standard space, else none
     * @param unseen       novel class indices (same defaults)
     * @param split        only GT rows of this split (null = all)
     * @param filterByAObj the OV-AVSS test loader's a_obj filter on the GT
     * @param size         resize both maps to size×size (nearest) before scoring; null = GT size
     */
    public record Options(LabelSet labels, int[] seen, int[] unseen, String split, boolean filterByAObj,
                          Integer size) {
        public static Options defaults() {
            return new Options(null, null, null, null, false, null);
        }
    }

    /** Both semantic metric families plus the bookkeeping. */
    public record SemanticReport(Metrics.OvResult ov, Metrics.AvssResult avss, LabelSet labels, int[] seen,
                                 int[] unseen, int clips, long frames, long missingPredictions,
                                 long unknownPixels, List<String> warnings) {
    }

    public SemanticReport evaluateSemantic(Path pred, Path gt, Options opt, Cancellation cancel) throws IOException {
        for (Path p : new Path[] {pred, gt}) {
            if (!Files.isDirectory(p)) {
                throw new AvsbenchException("'" + p + "' is not a folder");
            }
        }
        LabelSet labels = opt.labels() != null ? opt.labels()
                : Files.isRegularFile(gt.resolve("label2idx.json")) ? LabelSet.read(gt.resolve("label2idx.json"))
                : LabelSet.standard();
        List<String> warnings = new ArrayList<>();
        int[] predRemap = null;
        if (Files.isRegularFile(pred.resolve("label2idx.json"))) {
            LabelSet pl = LabelSet.read(pred.resolve("label2idx.json"));
            if (!pl.equals(labels)) {
                predRemap = new int[Math.max(256, pl.size())];
                int lost = 0;
                for (int i = 0; i < pl.size(); i++) {
                    int j = labels.indexOf(pl.name(i));
                    predRemap[i] = Math.max(0, j);
                    if (j < 0) {
                        lost++;
                    }
                }
                warnings.add("prediction label2idx.json differs from the GT's; indices remapped by name"
                        + (lost > 0 ? " (" + lost + " unknown names read as background)" : ""));
            }
        }
        int[] seen = opt.seen();
        int[] unseen = opt.unseen();
        if (seen == null && unseen == null && labels.isStandard()) {
            seen = AvsbenchClasses.SEEN;
            unseen = AvsbenchClasses.UNSEEN;
        }
        seen = seen == null ? new int[0] : seen;
        unseen = unseen == null ? new int[0] : unseen;
        for (int[] list : new int[][] {seen, unseen}) {
            for (int c : list) {
                if (c < 0 || c >= labels.size()) {
                    throw new AvsbenchException((list == seen ? "base" : "novel") + " class index " + c
                            + " is outside the label space 0.." + (labels.size() - 1));
                }
            }
        }
        MetadataCsv.Result csv = MetadataCsv.readOrScan(gt);
        warnings.addAll(csv.warnings());
        List<MetadataCsv.Row> rows = csv.inSplit(opt.split(), warnings);
        Palette.Decoder decoder = labels.decoder();
        Metrics.ConfusionMatrix cm = new Metrics.ConfusionMatrix(labels.size());
        Metrics.AvssAccumulator avss = new Metrics.AvssAccumulator(labels.size());
        long missing = 0;
        long unknown = 0;
        int clips = 0;
        for (MetadataCsv.Row row : rows) {
            cancel.check();
            Path gdir = SafeNames.resolve(gt, "uid", row.label(), row.uid());
            Path pdir = SafeNames.resolve(pred, "uid", row.label(), row.uid());
            Path gl = Files.isDirectory(gdir.resolve("labels_semantic")) ? gdir.resolve("labels_semantic")
                    : gdir.resolve("labels_rgb");
            TreeMap<Integer, Path> gtFrames = AvsbenchImporter.numbered(gl, ".png");
            if (gtFrames.isEmpty()) {
                warnings.add("uid " + row.uid() + ": no GT label frames");
                continue;
            }
            Set<Integer> allowed = null;
            if (opt.filterByAObj()) {
                allowed = new HashSet<>();
                allowed.add(0);
                for (String c : row.classes()) {
                    if (labels.indexOf(c) > 0) {
                        allowed.add(labels.indexOf(c));
                    }
                }
            }
            clips++;
            for (Map.Entry<Integer, Path> e : gtFrames.entrySet()) {
                ImageFiles.Raster gr = ImageFiles.read(e.getValue());
                long[] unk = new long[1];
                int[] g = toLabels(gr, gl.getFileName().toString().equals("labels_semantic"), labels, decoder, null, unk);
                unknown += unk[0];
                int w = gr.width();
                int h = gr.height();
                if (allowed != null) {
                    for (int i = 0; i < g.length; i++) {
                        if (!allowed.contains(g[i])) {
                            g[i] = 0;
                        }
                    }
                }
                Path ps = pdir.resolve("labels_semantic").resolve(e.getKey() + ".png");
                Path pr = pdir.resolve("labels_rgb").resolve(e.getKey() + ".png");
                // what AVSBench's save_color_mask writes: <pred>/<uid>/<uid>_<k>.png in the palette colours
                Path official = SafeNames.resolve(pred, "uid", row.uid()).resolve(row.uid() + "_" + e.getKey() + ".png");
                if (!Files.isRegularFile(pr) && Files.isRegularFile(official)) {
                    pr = official;
                }
                int[] p;
                if (Files.isRegularFile(ps) || Files.isRegularFile(pr)) {
                    boolean sem = Files.isRegularFile(ps);
                    ImageFiles.Raster r = ImageFiles.read(sem ? ps : pr);
                    p = toLabels(r, sem, labels, decoder, sem ? predRemap : null, unk);
                    p = ImageFiles.resizeNearest(p, r.width(), r.height(), w, h);
                } else {
                    p = new int[w * h];
                    missing++;
                }
                if (opt.size() != null) {
                    g = ImageFiles.resizeNearest(g, w, h, opt.size(), opt.size());
                    p = ImageFiles.resizeNearest(p, w, h, opt.size(), opt.size());
                }
                cm.add(g, p);
                avss.add(g, p);
            }
        }
        if (clips == 0) {
            throw new AvsbenchException("no ground-truth clip with label frames under '" + gt + "'"
                    + (opt.split() != null ? " in split '" + opt.split() + "'" : ""));
        }
        long frames = cm.result(seen, unseen).frames();
        if (missing == frames) {
            throw new AvsbenchException("no prediction under '" + pred + "' for any of the " + frames
                    + " ground-truth frames (looked for <label>/<uid>/labels_semantic|labels_rgb/<k>.png and"
                    + " <uid>/<uid>_<k>.png)");
        }
        if (missing > 0) {
            warnings.add(missing + " prediction frames were missing and scored as all background");
        }
        if (unknown > 0) {
            warnings.add(unknown + " pixels had colours/values outside the palette and were read as background");
        }
        return new SemanticReport(cm.result(seen, unseen), avss.result(), labels, seen, unseen, clips,
                cm.result(seen, unseen).frames(), missing, unknown, warnings);
    }

    private static int[] toLabels(ImageFiles.Raster r, boolean semantic, LabelSet labels, Palette.Decoder decoder,
                                  int[] remap, long[] unknown) {
        int[] px = r.pixels();
        int[] lab = new int[px.length];
        if (semantic) {
            for (int i = 0; i < px.length; i++) {
                int v = r.grey() ? px[i] : px[i] & 0xFF;
                if (remap != null && v < remap.length) {
                    v = remap[v];
                }
                if (v < labels.size()) {
                    lab[i] = v;
                } else {
                    unknown[0]++;
                }
            }
        } else {
            // PIL convert('RGB'), as the official loaders read labels_rgb: palette files through their palette
            unknown[0] += decoder.decode(r.rgb(), lab);
        }
        return lab;
    }

    /** Binary (S4/MS3) report. */
    public record BinaryReport(Metrics.BinaryResult result, long missingPredictions, List<String> warnings) {
    }

    /**
     * Scores binary masks: every {@code gt_masks/**}/{@code *.png} of the GT tree against the file
     * at the same relative path under the prediction tree (grey value / 255 is the probability;
     * official IoU thresholds it at 0.5). Frames are taken in sorted path order, which fixes the
     * batches of the official F-score.
     */
    public BinaryReport evaluateBinary(Path pred, Path gt, int batchSize, Cancellation cancel) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(gt)) {
            files = s.filter(p -> p.toString().endsWith(".png") && Files.isRegularFile(p)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new AvsbenchException("no GT masks (*.png) under '" + gt + "'");
        }
        Metrics.BinaryAccumulator acc = new Metrics.BinaryAccumulator();
        long missing = 0;
        List<String> warnings = new ArrayList<>();
        for (Path f : files) {
            cancel.check();
            ImageFiles.Raster g = ImageFiles.read(f);
            boolean[] gb = new boolean[g.pixels().length];
            for (int i = 0; i < gb.length; i++) {
                gb[i] = g.pixels()[i] != 0;
            }
            Path pf = pred.resolve(gt.relativize(f).toString());
            float[] prob = new float[gb.length];
            if (Files.isRegularFile(pf)) {
                ImageFiles.Raster r = ImageFiles.read(pf);
                int[] px = ImageFiles.resizeNearest(r.pixels(), r.width(), r.height(), g.width(), g.height());
                boolean greyLevels = r.grey() && r.palette() == null;
                boolean indexed01 = greyLevels && max(px) <= 1;
                if (!greyLevels) {
                    // colour or palette files: their colours, as PIL's convert
                    px = ImageFiles.resizeNearest(r.rgb(), r.width(), r.height(), g.width(), g.height());
                }
                for (int i = 0; i < px.length; i++) {
                    int v = greyLevels ? px[i] : (((px[i] >> 16) & 255) + ((px[i] >> 8) & 255) + (px[i] & 255)) / 3;
                    prob[i] = indexed01 ? v : v / 255f;
                }
            } else {
                missing++;
            }
            acc.add(prob, gb);
        }
        if (missing == files.size()) {
            throw new AvsbenchException("no prediction mask under '" + pred + "' for any of the " + files.size()
                    + " ground-truth masks (looked at the same relative paths)");
        }
        if (missing > 0) {
            warnings.add(missing + " prediction masks were missing and scored as empty");
        }
        return new BinaryReport(acc.result(batchSize), missing, warnings);
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }
}
