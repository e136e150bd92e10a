package ovavss.studio.avsbench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import ovavss.studio.annotation.ClassSplit;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.LabelNames;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

/**
 * Reads AVSBench trees into a project for correction: one clip per uid, objects from the
 * connected class regions of every annotated frame. Regions are linked across frames into one
 * object per track: a region joins the object of the same class it overlaps most in that object's
 * latest frame, else a same-class object not yet seen in this frame, else it starts a new object.
 * Imported masks are {@link ovavss.studio.annotation.Provenance#HUMAN} and
 * {@link SoundFlag#SOUNDING} (exported masks only hold sounding pixels).
 *
 * <p>Decoding follows the official loaders: {@code labels_rgb} colours outside the palette become
 * background (counted in the report); {@code labels_semantic} values outside the label space too.
 * The optional {@code a_obj} filter sets every class not listed for the clip to background, as the
 * OV-AVSS test loader does.
 */
public final class AvsbenchImporter {
    /**
     * @param labels         label space; null = the tree's {@code label2idx.json}, else the standard one
     * @param split          only rows of this split (null = all)
     * @param filterByAObj   apply the official a_obj filter
     * @param preferRgb      read {@code labels_rgb} even when {@code labels_semantic} exists
     * @param eightConnected region connectivity
     * @param scan           without {@code metadata.csv}, find the clip folders by scanning
     *                       (else such a root is refused: an interrupted copy looks the same)
     */
    public record Options(LabelSet labels, String split, boolean filterByAObj, boolean preferRgb,
                          boolean eightConnected, boolean scan) {
        public static Options defaults() {
            return new Options(null, null, false, false, true, false);
        }
    }

    /** The imported project and what was odd about the data. */
    public record Result(Project project, List<String> warnings, long unknownColourPixels, int skippedClips) {
    }

    // ------------------------------------------------------------------ semantic

    /** Imports an AVSBench-semantic tree (with or without {@code metadata.csv}, rgb or semantic labels). */
    public Result importSemantic(Path root, Options opt, ProgressSink progress, Cancellation cancel)
            throws IOException {
        if (!Files.isDirectory(root)) {
            throw new AvsbenchException("'" + root + "' is not a folder");
        }
        ExportMarker.checkComplete(root);
        LabelSet labels;
        if (opt.labels() != null) {
            labels = opt.labels();
        } else if (Files.isRegularFile(root.resolve("label2idx.json"))) {
            labels = LabelSet.read(root.resolve("label2idx.json"));
        } else {
            // guessing the standard names would silently put AVSBench's names on another dataset's indices
            throw new AvsbenchException(root + " has no label2idx.json; give the label space with --classes-from");
        }
        List<String> warnings = new ArrayList<>();
        if (!Files.isRegularFile(root.resolve("metadata.csv")) && !opt.scan()) {
            throw new AvsbenchException(root + " has no metadata.csv; add --scan to find its clip folders without one");
        }
        MetadataCsv.Result csv = MetadataCsv.readOrScan(root);
        warnings.addAll(csv.warnings());
        List<MetadataCsv.Row> rows = csv.inSplit(opt.split(), warnings);
        Palette.Decoder decoder = labels.decoder();
        List<Clip> clips = new ArrayList<>();
        long unknown = 0;
        int skipped = 0;
        int done = 0;
        for (MetadataCsv.Row row : rows) {
            cancel.check();
            Path dir;
            try {
                dir = SafeNames.resolve(root, "uid", row.label(), row.uid());
            } catch (AvsbenchException e) {
                warnings.add("skipped row: " + e.getMessage());
                skipped++;
                continue;
            }
            Path sem = dir.resolve("labels_semantic");
            Path rgb = dir.resolve("labels_rgb");
            boolean useSem = Files.isDirectory(sem) && !(opt.preferRgb() && Files.isDirectory(rgb));
            Path labelDir = useSem ? sem : rgb;
            if (!Files.isDirectory(labelDir)) {
                warnings.add("uid " + row.uid() + ": no labels_rgb or labels_semantic folder; skipped");
                skipped++;
                continue;
            }
            TreeMap<Integer, Path> labelFiles = numbered(labelDir, ".png");
            if (labelFiles.isEmpty()) {
                warnings.add("uid " + row.uid() + ": no label frames; skipped");
                skipped++;
                continue;
            }
            TreeMap<Integer, Path> frameFiles = numbered(dir.resolve("frames"), ".jpg");
            int n = Math.max(frameFiles.size(), labelFiles.lastKey() + 1);
            int[] size = clipSize(frameFiles, labelFiles);
            Set<Integer> allowed = null;
            if (opt.filterByAObj()) {
                allowed = new HashSet<>();
                allowed.add(0);
                for (String c : row.classes()) {
                    int i = labels.indexOf(c);
                    if (i > 0) {
                        allowed.add(i);
                    }
                }
            }
            int w = size[0];
            int h = size[1];
            TreeMap<Integer, int[]> maps = new TreeMap<>();
            for (Map.Entry<Integer, Path> e : labelFiles.entrySet()) {
                ImageFiles.Raster r = ImageFiles.read(e.getValue());
                if (r.width() != w || r.height() != h) {
                    warnings.add("uid " + row.uid() + ": frame " + e.getKey() + " is " + r.width() + "x" + r.height()
                            + ", resized (nearest) to " + w + "x" + h);
                }
                int[] lab = decode(r, useSem, labels, decoder, warnings, row.uid(), e.getKey());
                unknown += lastUnknown;
                lab = ImageFiles.resizeNearest(lab, r.width(), r.height(), w, h);
                if (allowed != null) {
                    for (int i = 0; i < lab.length; i++) {
                        if (!allowed.contains(lab[i])) {
                            lab[i] = 0;
                        }
                    }
                }
                maps.put(e.getKey(), lab);
            }
            List<SoundingObject> objects = linkObjects(maps, w, h, labels, opt.eightConnected());
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("vid", row.vid());
            attrs.put("split", row.split());
            attrs.put("label", row.label());
            attrs.put("a_obj", row.aObj());
            attrs.put("s_min", Integer.toString(row.sMin()));
            attrs.put("s_sec", Integer.toString(row.sSec()));
            attrs.put("labels_source", useSem ? "labels_semantic" : "labels_rgb");
            if (labelFiles.size() < n) {
                // e.g. a v1s train clip labels frame 0 only: an export writes back that one, not n invented ones
                attrs.put(AvsbenchExporter.LABELLED_KEYFRAMES, String.join(",",
                        labelFiles.keySet().stream().map(String::valueOf).toList()));
            }
            clips.add(new Clip(row.uid(), dir.toString(), 0, n, Clip.defaultKeyframes(n), w, h, objects, attrs));
            progress.report(++done, rows.size(), "imported " + row.uid());
        }
        if (clips.isEmpty()) {
            throw new AvsbenchException(root + " holds no clip with label frames"
                    + (opt.split() != null ? " in split '" + opt.split() + "'" : ""));
        }
        if (unknown > 0) {
            warnings.add(unknown + " label pixels had colours/values outside the " + labels.size()
                    + "-class palette and were read as background");
        }
        Project p = new Project(root.getFileName() == null ? "avsbench" : root.getFileName().toString(),
                vocabularyFor(labels), clips, Map.of("imported_from", root.toAbsolutePath().toString()));
        return new Result(p, warnings, unknown, skipped);
    }

    private long lastUnknown;

    private int[] decode(ImageFiles.Raster r, boolean semantic, LabelSet labels, Palette.Decoder decoder,
                         List<String> warnings, String uid, int k) {
        int[] lab = new int[r.pixels().length];
        lastUnknown = 0;
        if (semantic) {
            int[] px = r.pixels();
            if (!r.grey()) {
                // an RGB file in labels_semantic: equal channels hold the index
                for (int i = 0; i < px.length; i++) {
                    px[i] = px[i] & 0xFF;
                }
            }
            for (int i = 0; i < px.length; i++) {
                if (px[i] < labels.size()) {
                    lab[i] = px[i];
                } else {
                    lastUnknown++;
                }
            }
        } else {
            // PIL convert('RGB'), as the official loaders read labels_rgb: palette files through their palette
            lastUnknown = decoder.decode(r.rgb(), lab);
        }
        return lab;
    }

    /**
     * Vocabulary over a label space: every class with its palette colour, index and OV split tag,
     * named as {@link #classNames} says (the label space itself keeps the file's names, so an
     * export writes them back).
     */
    public static Vocabulary vocabularyFor(LabelSet labels) {
        List<String> names = classNames(labels);
        List<VocabularyEntry> entries = new ArrayList<>();
        for (int i = 1; i < labels.size(); i++) {
            ClassSplit split = !labels.isStandard() ? ClassSplit.UNTAGGED
                    : AvsbenchClasses.isSeen(i) ? ClassSplit.BASE : ClassSplit.NOVEL;
            entries.add(new VocabularyEntry(names.get(i), Palette.rgb(i), i, split, List.of()));
        }
        return new Vocabulary(entries, labels.isStandard() ? null : labels.names());
    }

    /**
     * Project class names of a label space, by index: each name spelled by {@link LabelNames}
     * (AVSBench's own names are already). A name whose spelling an earlier index already took
     * keeps the file's spelling: the label space counts them as two classes.
     */
    static List<String> classNames(LabelSet labels) {
        List<String> out = new ArrayList<>(labels.size());
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String n = className(labels.name(i));
            out.add(taken.add(n) ? n : labels.name(i));
        }
        return out;
    }

    /** A name spelled by {@link LabelNames}, or as it is when nothing of it would be left. */
    private static String className(String raw) {
        String n = LabelNames.normalise(raw);
        return n.isEmpty() ? raw : n;
    }

    /** Connected class regions per frame, linked across frames into objects. */
    static List<SoundingObject> linkObjects(TreeMap<Integer, int[]> maps, int w, int h, LabelSet labels,
                                            boolean eight) {
        List<String> names = classNames(labels);
        List<SoundingObject> objects = new ArrayList<>();
        Map<String, Mask> lastMask = new HashMap<>();
        int nextId = 1;
        for (Map.Entry<Integer, int[]> e : maps.entrySet()) {
            int k = e.getKey();
            int[] lab = e.getValue();
            TreeSet<Integer> present = new TreeSet<>();
            for (int v : lab) {
                if (v != 0) {
                    present.add(v);
                }
            }
            Set<String> claimed = new HashSet<>();
            for (int c : present) {
                String name = names.get(c);
                for (Mask region : MaskOps.components(Mask.fromLabels(lab, w, h, c), eight)) {
                    int best = -1;
                    int bestOverlap = 0;
                    int fallback = -1;
                    for (int i = 0; i < objects.size(); i++) {
                        SoundingObject o = objects.get(i);
                        if (!o.label().equals(name) || claimed.contains(o.id())) {
                            continue;
                        }
                        int ov = lastMask.get(o.id()).intersect(region).area();
                        if (ov > bestOverlap) {
                            bestOverlap = ov;
                            best = i;
                        }
                        if (fallback < 0 || lastSeen(objects.get(fallback)) < lastSeen(o)) {
                            fallback = i;
                        }
                    }
                    int idx = best >= 0 ? best : fallback;
                    ObjectFrame f = ObjectFrame.human(region, SoundFlag.SOUNDING);
                    if (idx < 0) {
                        String id = "o" + nextId++;
                        objects.add(new SoundingObject(id, name, 0, new TreeMap<>(Map.of(k, f))));
                        claimed.add(id);
                        lastMask.put(id, region);
                    } else {
                        SoundingObject o = objects.get(idx);
                        objects.set(idx, o.withFrame(k, f));
                        claimed.add(o.id());
                        lastMask.put(o.id(), region);
                    }
                }
            }
        }
        return objects;
    }

    private static int lastSeen(SoundingObject o) {
        return o.frames().isEmpty() ? -1 : o.frames().lastKey();
    }

    /**
     * A clip's frame size: the size most of its label files have, so one odd label file cannot
     * shrink the others; a tie goes to the size of the clip's first frame (the picture the labels
     * annotate).
     */
    private static int[] clipSize(TreeMap<Integer, Path> frames, TreeMap<Integer, Path> labels) {
        Map<List<Integer>, Integer> votes = new LinkedHashMap<>();
        for (Path p : labels.values()) {
            int[] d = ImageFiles.dimensions(p);
            if (d != null) {
                votes.merge(List.of(d[0], d[1]), 1, Integer::sum);
            }
        }
        if (votes.isEmpty()) {
            // no header readable: ImageFiles.read names the first file's problem
            ImageFiles.Raster r = ImageFiles.read(labels.firstEntry().getValue());
            return new int[] {r.width(), r.height()};
        }
        int[] fd = frames.isEmpty() ? null : ImageFiles.dimensions(frames.firstEntry().getValue());
        List<Integer> frameSize = fd == null ? null : List.of(fd[0], fd[1]);
        List<Integer> best = null;
        for (Map.Entry<List<Integer>, Integer> e : votes.entrySet()) {
            int v = e.getValue();
            int b = best == null ? -1 : votes.get(best);
            if (v > b || v == b && e.getKey().equals(frameSize)) {
                best = e.getKey();
            }
        }
        return new int[] {best.get(0), best.get(1)};
    }

    /** Files named {@code <int><ext>} in a folder, by number. */
    static TreeMap<Integer, Path> numbered(Path dir, String ext) throws IOException {
        TreeMap<Integer, Path> m = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String n = p.getFileName().toString();
                if (n.endsWith(ext)) {
                    try {
                        m.put(Integer.parseInt(n.substring(0, n.length() - ext.length())), p);
                    } catch (NumberFormatException e) {
                        // not a frame file
                    }
                }
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ binary

    /**
     * Imports an S4 or MS3 tree ({@code root} holds {@code gt_masks/}, or an {@code s4_data/} or
     * {@code ms3_data/} folder). S4 clips get their category as class (spelled by
     * {@link LabelNames}: {@code ambulance_siren} is {@code ambulance-siren}; the clip's
     * {@code category} attribute keeps the folder name); MS3 clips the class {@code sounding}.
     * Mask names are 1-based; keyframe k+1 becomes keyframe k.
     */
    public Result importBinary(Path root, Options opt, ProgressSink progress, Cancellation cancel) throws IOException {
        Path data = root;
        for (String sub : new String[] {"s4_data", "ms3_data"}) {
            if (!Files.isDirectory(data.resolve("gt_masks")) && Files.isDirectory(root.resolve(sub))) {
                data = root.resolve(sub);
            }
        }
        ExportMarker.checkComplete(root);
        Path gt = data.resolve("gt_masks");
        if (!Files.isDirectory(gt)) {
            throw new AvsbenchException("'" + root + "' holds no gt_masks folder (S4/MS3 layout)");
        }
        List<String> warnings = new ArrayList<>();
        List<Clip> clips = new ArrayList<>();
        Set<String> classes = new java.util.LinkedHashSet<>();
        List<Path[]> clipDirs = new ArrayList<>(); // {clipDir, splitDir, categoryOrNull}
        try (DirectoryStream<Path> splits = Files.newDirectoryStream(gt, Files::isDirectory)) {
            for (Path split : splits) {
                if (opt.split() != null && !opt.split().equals(split.getFileName().toString())) {
                    continue;
                }
                try (DirectoryStream<Path> level = Files.newDirectoryStream(split, Files::isDirectory)) {
                    for (Path x : level) {
                        boolean hasPng;
                        try (Stream<Path> s = Files.list(x)) {
                            hasPng = s.anyMatch(p -> p.toString().endsWith(".png"));
                        }
                        if (hasPng) {
                            clipDirs.add(new Path[] {x, split, null});
                        } else {
                            try (DirectoryStream<Path> names = Files.newDirectoryStream(x, Files::isDirectory)) {
                                for (Path n : names) {
                                    clipDirs.add(new Path[] {n, split, x});
                                }
                            }
                        }
                    }
                }
            }
        }
        clipDirs.sort((a, b) -> a[0].toString().compareTo(b[0].toString()));
        int done = 0;
        for (Path[] cd : clipDirs) {
            cancel.check();
            String uid = cd[0].getFileName().toString();
            String label = cd[2] == null ? "sounding" : cd[2].getFileName().toString();
            classes.add(className(label));
            TreeMap<Integer, int[]> maps = new TreeMap<>();
            int w = -1;
            int h = -1;
            try (Stream<Path> s = Files.list(cd[0])) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    String prefix = uid + "_";
                    if (!n.startsWith(prefix) || !n.endsWith(".png")) {
                        continue;
                    }
                    int k;
                    try {
                        k = Integer.parseInt(n.substring(prefix.length(), n.length() - 4)) - 1;
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (k < 0) {
                        warnings.add(uid + ": mask " + n + " is not 1-based; skipped");
                        continue;
                    }
                    ImageFiles.Raster r = ImageFiles.read(p);
                    if (w < 0) {
                        w = r.width();
                        h = r.height();
                    }
                    int[] px = ImageFiles.resizeNearest(r.pixels(), r.width(), r.height(), w, h);
                    int[] lab = new int[px.length];
                    for (int i = 0; i < px.length; i++) {
                        lab[i] = px[i] != 0 ? 1 : 0;
                    }
                    maps.put(k, lab);
                }
            }
            if (maps.isEmpty()) {
                warnings.add(uid + ": no masks; skipped");
                continue;
            }
            LabelSet one = new LabelSet(List.of("background", className(label)));
            List<SoundingObject> objects = linkObjects(maps, w, h, one, opt.eightConnected());
            int n = Math.max(5, maps.lastKey() + 1);
            Map<String, String> attrs = new LinkedHashMap<>();
            attrs.put("split", cd[1].getFileName().toString());
            if (cd[2] != null) {
                attrs.put("category", label);
            }
            clips.add(new Clip(uid, cd[0].toString(), 0, n, Clip.defaultKeyframes(n), w, h, objects, attrs));
            progress.report(++done, clipDirs.size(), "imported " + uid);
        }
        if (clips.isEmpty()) {
            throw new AvsbenchException(root + " holds no clip with masks"
                    + (opt.split() != null ? " in split '" + opt.split() + "'" : ""));
        }
        List<VocabularyEntry> vocab = new ArrayList<>();
        int i = 1;
        for (String c : classes) {
            vocab.add(VocabularyEntry.of(c, Palette.rgb(70 + i++)));
        }
        Project p = new Project(root.getFileName() == null ? "avsbench" : root.getFileName().toString(),
                new Vocabulary(vocab, null), clips, Map.of("imported_from", root.toAbsolutePath().toString()));
        return new Result(p, warnings, 0, 0);
    }
}
