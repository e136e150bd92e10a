package ovavss.studio.avsbench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.Futures;
import ovavss.studio.task.NamedThreads;
import ovavss.studio.task.ProgressSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a project as an AVSBench tree.
 *
 * <p><b>Semantic (AVSS)</b>: {@code <out>/<label>/<uid>/frames/<k>.jpg}, {@code audio.wav} (16 kHz
 * mono PCM16), {@code labels_rgb/<k>.png} (palette colours), {@code labels_semantic/<k>.png}
 * (8-bit grey class index), plus root {@code metadata.csv} and {@code label2idx.json}. The label
 * space is the vocabulary's (standard AVSBench unless the project came from a dataset with its own
 * {@code label2idx.json}); classes outside it get the next indices and are appended to
 * {@code label2idx.json}.
 *
 * <p><b>Overlaps</b>: only {@link ovavss.studio.annotation.SoundFlag#SOUNDING} masks are drawn. Human
 * masks are drawn before model masks; among human masks the higher {@code zOrder} wins (ties: the
 * object later in the clip's list wins); among model masks the higher score wins — the official
 * composition, where a lower-ranked mask only fills pixels still background.
 *
 * <p><b>Binary (S4/MS3)</b>: 0/255 grey PNGs of all sounding pixels, 1-based names, optional
 * square resize (224 in the official data), the frames and wavs, and the meta csv.
 *
 * <p><b>Threads</b>: clips are written by up to {@code threads} worker threads of a pool made for
 * the call, one clip per task (1 = one after another on the calling thread). The files and the
 * csv (rows in project order) are the same for every thread count. The {@link ClipMedia} is
 * called from the workers, concurrently, so it must be thread-safe when {@code threads > 1}.
 * Progress is reported on the calling thread as clips complete; cancellation is checked before
 * each clip; the first failing clip stops the clips not yet started and is rethrown with its uid
 * in the message, after the clips in flight have finished. No worker outlives the call.
 */
public final class AvsbenchExporter {
    private static final Logger LOG = LoggerFactory.getLogger(AvsbenchExporter.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** The default worker count of an export: one per available processor. */
    public static int defaultThreads() {
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Semantic export settings; attributes of a clip ({@code split}, {@code label}, ...) override the
     * defaults. {@code threads}: clips written at once (at least 1).
     */
    public record SemanticOptions(String defaultSubset, String defaultSplit, float jpegQuality,
                                  boolean writeFrames, boolean writeAudio, int threads) {
        public SemanticOptions {
            checkThreads(threads);
        }

        /** With {@link #defaultThreads()} workers. */
        public SemanticOptions(String defaultSubset, String defaultSplit, float jpegQuality, boolean writeFrames,
                               boolean writeAudio) {
            this(defaultSubset, defaultSplit, jpegQuality, writeFrames, writeAudio, defaultThreads());
        }

        public static SemanticOptions defaults() {
            return new SemanticOptions("v2", "test", 0.95f, true, true);
        }

        public SemanticOptions withThreads(int n) {
            return new SemanticOptions(defaultSubset, defaultSplit, jpegQuality, writeFrames, writeAudio, n);
        }
    }

    /** S4 (single source: {@code category} level) or MS3 (multi-source) naming. */
    public enum BinaryLayout { S4, MS3 }

    /** Binary export settings; {@code threads}: clips written at once (at least 1). */
    public record BinaryOptions(BinaryLayout layout, String defaultSplit, Integer size, boolean writeFrames,
                                boolean writeAudio, int threads) {
        public BinaryOptions {
            checkThreads(threads);
        }

        /** With {@link #defaultThreads()} workers. */
        public BinaryOptions(BinaryLayout layout, String defaultSplit, Integer size, boolean writeFrames,
                             boolean writeAudio) {
            this(layout, defaultSplit, size, writeFrames, writeAudio, defaultThreads());
        }

        public static BinaryOptions defaults(BinaryLayout layout) {
            return new BinaryOptions(layout, "test", 224, true, true);
        }

        public BinaryOptions withThreads(int n) {
            return new BinaryOptions(layout, defaultSplit, size, writeFrames, writeAudio, n);
        }
    }

    private static void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
    }

    /** What an export wrote. */
    public record Summary(int clips, int labelFrames, int frames, int audioFiles, LabelSet labels) {
    }

    private final ClipMedia media;

    public AvsbenchExporter(ClipMedia media) {
        this.media = media;
    }

    /** The label space of an export: the vocabulary's space plus its extra classes. */
    public static LabelSet exportLabels(Project p) {
        List<String> names = new ArrayList<>(p.vocabulary().labelSpace() == null
                ? LabelSet.standard().names() : p.vocabulary().labelSpace());
        for (VocabularyEntry e : p.vocabulary().entries()) {
            if (e.classIndex() == null && !names.contains(e.name())) {
                names.add(e.name());
            }
        }
        return new LabelSet(names);
    }

    /** Class index of every vocabulary name in {@link #exportLabels}. */
    static Map<String, Integer> classIndices(Project p, LabelSet labels) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (VocabularyEntry e : p.vocabulary().entries()) {
            m.put(e.name(), e.classIndex() != null ? e.classIndex() : labels.indexOf(e.name()));
        }
        return m;
    }

    /**
     * Composes the sounding label map of one keyframe.
     *
     * @return row-major class indices, 0 = background
     */
    public static int[] composeLabels(Clip clip, int k, Map<String, Integer> classOf) {
        int[] labels = new int[clip.width() * clip.height()];
        for (Clip.Layer l : clip.soundingLayers(k, f -> true)) {
            Integer c = classOf.get(l.object().label());
            if (c == null || c < 0) {
                throw new AvsbenchException("object '" + l.object().id() + "' of clip '" + clip.id() + "' has label '"
                        + l.object().label() + "', which is not in the vocabulary");
            }
            l.frame().mask().paintInto(labels, c, true);
        }
        return labels;
    }

    /** Exports the AVSBench-semantic layout into {@code out} (created if needed). */
    public Summary exportSemantic(Project p, Path out, SemanticOptions opt, ProgressSink progress,
                                  Cancellation cancel) throws IOException {
        LabelSet labels = exportLabels(p);
        Map<String, Integer> classOf = classIndices(p, labels);
        // validate every name before writing anything
        List<String> subsets = new ArrayList<>();
        for (Clip c : p.clips()) {
            SafeNames.check("uid", c.id());
            subsets.add(SafeNames.check("subset label", c.attributes().getOrDefault("label", opt.defaultSubset())));
        }
        Files.createDirectories(out);
        ExportMarker.begin(out, "semantic");
        List<ClipResult<MetadataCsv.Row>> done = forEachClip(p.clips(), opt.threads(), progress, cancel,
                (c, i) -> writeSemanticClip(c, out, subsets.get(i), classOf, opt, p));
        List<MetadataCsv.Row> rows = new ArrayList<>();
        int labelFrames = 0;
        int frames = 0;
        int audio = 0;
        for (ClipResult<MetadataCsv.Row> r : done) {
            rows.add(r.row());
            labelFrames += r.labelFrames();
            frames += r.frames();
            audio += r.audioFiles();
        }
        MetadataCsv.write(out.resolve("metadata.csv"), rows);
        labels.write(out.resolve("label2idx.json"));
        ExportMarker.finish(out, "semantic", p.clips().size());
        return new Summary(p.clips().size(), labelFrames, frames, audio, labels);
    }

    private ClipResult<MetadataCsv.Row> writeSemanticClip(Clip c, Path out, String subset,
                                                          Map<String, Integer> classOf, SemanticOptions opt,
                                                          Project p) throws IOException {
        Path dir = SafeNames.resolve(out, "uid", subset, c.id());
        Path rgbDir = dir.resolve("labels_rgb");
        Path semDir = dir.resolve("labels_semantic");
        Files.createDirectories(rgbDir);
        Files.createDirectories(semDir);
        int[] rgb = new int[c.width() * c.height()];
        byte[] grey = new byte[c.width() * c.height()];
        int labelFrames = 0;
        int frames = 0;
        Set<Integer> labelled = labelledKeyframes(c);
        for (int k = 0; k < c.keyframeCount(); k++) {
            if (labelled.contains(k)) {
                int[] lab = composeLabels(c, k, classOf);
                for (int i = 0; i < lab.length; i++) {
                    rgb[i] = Palette.rgb(lab[i]);
                    grey[i] = (byte) lab[i];
                }
                ImageFiles.writeRgbPng(rgbDir.resolve(k + ".png"), c.width(), c.height(), rgb);
                ImageFiles.writeGreyPng(semDir.resolve(k + ".png"), c.width(), c.height(), grey);
                labelFrames++;
            }
            if (opt.writeFrames()) {
                Path fd = dir.resolve("frames");
                Path source = media.sourceFrame(c, k);
                if (source != null) {
                    // the source JPEG as it is: a round trip does not re-encode what it did not change
                    Files.createDirectories(fd);
                    Files.copy(source, fd.resolve(k + ".jpg"));
                    frames++;
                } else {
                    int[] px = media.frame(c, k);
                    if (px != null) {
                        Files.createDirectories(fd);
                        ImageFiles.writeJpeg(fd.resolve(k + ".jpg"), c.width(), c.height(), px, opt.jpegQuality());
                        frames++;
                    }
                }
            }
        }
        int audio = opt.writeAudio() && writeAudio(c, dir.resolve("audio.wav")) ? 1 : 0;
        return new ClipResult<>(labelFrames, frames, audio, metadataRow(c, p, opt, subset));
    }

    /**
     * The keyframes that get label files: those an import found labelled (attribute
     * {@value #LABELLED_KEYFRAMES}, e.g. only frame 0 of an AVSBench v1s train clip) plus every
     * keyframe an object has a mask on; every keyframe when the clip does not say.
     */
    static Set<Integer> labelledKeyframes(Clip c) {
        String listed = c.attributes().get(LABELLED_KEYFRAMES);
        Set<Integer> out = new java.util.TreeSet<>();
        if (listed == null) {
            for (int k = 0; k < c.keyframeCount(); k++) {
                out.add(k);
            }
            return out;
        }
        for (String t : listed.split(",")) {
            if (!t.isBlank()) {
                out.add(Integer.parseInt(t.strip()));
            }
        }
        for (SoundingObject o : c.objects()) {
            out.addAll(o.frames().keySet());
        }
        out.removeIf(k -> k < 0 || k >= c.keyframeCount());
        return out;
    }

    /** Clip attribute: the keyframes that had label files when imported (comma-separated), when not all did. */
    public static final String LABELLED_KEYFRAMES = "labelled_keyframes";

    private boolean writeAudio(Clip c, Path file) throws IOException {
        Path source = media.sourceAudio(c);
        if (source != null) {
            // the source audio.wav as it is (44.1 kHz stereo stays so), like the frames
            Files.copy(source, file);
            return true;
        }
        ClipMedia.Audio a = media.audio(c);
        if (a == null) {
            return false;
        }
        float[] s = WavFiles.resample(a.samples(), a.sampleRate(), WavFiles.AVSBENCH_RATE);
        int want = (int) Math.round(c.duration() * WavFiles.AVSBENCH_RATE);
        if (want > 0 && s.length != want) {
            s = java.util.Arrays.copyOf(s, want); // cut to the clip (or pad a short tail with silence)
        }
        WavFiles.writePcm16(file, s, WavFiles.AVSBENCH_RATE);
        return true;
    }

    private static MetadataCsv.Row metadataRow(Clip c, Project p, SemanticOptions opt, String subset) {
        Map<String, String> a = c.attributes();
        String aObj = a.get("a_obj");
        if (aObj == null) {
            List<String> names = new ArrayList<>();
            for (SoundingObject o : c.objects()) {
                boolean sounds = o.frames().values().stream().anyMatch(f -> f.sound().isSounding());
                if (sounds && !names.contains(o.label())) {
                    names.add(o.label());
                }
            }
            aObj = names.isEmpty() ? "off-the-screen" : String.join("_", names);
        }
        int start = (int) Math.round(c.mediaStart());
        int sMin = a.containsKey("s_min") ? Integer.parseInt(a.get("s_min")) : start / 60;
        int sSec = a.containsKey("s_sec") ? Integer.parseInt(a.get("s_sec")) : start % 60;
        return new MetadataCsv.Row(a.getOrDefault("vid", c.id()), c.id(), sMin, sSec, aObj,
                a.getOrDefault("split", opt.defaultSplit()), subset);
    }

    /** Exports the S4 or MS3 binary layout into {@code out}. */
    public Summary exportBinary(Project p, Path out, BinaryOptions opt, ProgressSink progress, Cancellation cancel)
            throws IOException {
        Map<String, Integer> classOf = classIndices(p, exportLabels(p));
        boolean s4 = opt.layout() == BinaryLayout.S4;
        Path data = out.resolve(s4 ? "s4_data" : "ms3_data");
        // validate every name before writing anything
        List<String> splits = new ArrayList<>();
        List<String> categories = new ArrayList<>();
        for (Clip c : p.clips()) {
            SafeNames.check("uid", c.id());
            splits.add(SafeNames.check("split", c.attributes().getOrDefault("split", opt.defaultSplit())));
            categories.add(s4 ? SafeNames.check("category", category(c)) : null);
        }
        Files.createDirectories(out);
        ExportMarker.begin(out, opt.layout().name().toLowerCase(java.util.Locale.ROOT));
        List<ClipResult<String>> done = forEachClip(p.clips(), opt.threads(), progress, cancel,
                (c, i) -> writeBinaryClip(c, data, splits.get(i), categories.get(i), classOf, opt));
        List<String> csv = new ArrayList<>();
        csv.add(s4 ? "name,start,category,split" : "video_id,split");
        int labelFrames = 0;
        int frames = 0;
        int audio = 0;
        for (ClipResult<String> r : done) {
            csv.add(r.row());
            labelFrames += r.labelFrames();
            frames += r.frames();
            audio += r.audioFiles();
        }
        Files.createDirectories(out);
        Files.write(out.resolve(s4 ? "s4_meta_data.csv" : "ms3_meta_data.csv"), csv);
        ExportMarker.finish(out, opt.layout().name().toLowerCase(java.util.Locale.ROOT), p.clips().size());
        return new Summary(p.clips().size(), labelFrames, frames, audio, null);
    }

    private ClipResult<String> writeBinaryClip(Clip c, Path data, String split, String category,
                                               Map<String, Integer> classOf, BinaryOptions opt) throws IOException {
        boolean s4 = opt.layout() == BinaryLayout.S4;
        Path maskDir = s4 ? SafeNames.resolve(data, "uid", "gt_masks", split, category, c.id())
                : SafeNames.resolve(data, "uid", "gt_masks", split, c.id());
        Files.createDirectories(maskDir);
        int w = opt.size() == null ? c.width() : opt.size();
        int h = opt.size() == null ? c.height() : opt.size();
        int labelFrames = 0;
        int frames = 0;
        for (int k = 0; k < c.keyframeCount(); k++) {
            int[] lab = composeLabels(c, k, classOf);
            int[] r = ImageFiles.resizeNearest(lab, c.width(), c.height(), w, h);
            byte[] g = new byte[w * h];
            for (int i = 0; i < g.length; i++) {
                g[i] = (byte) (r[i] != 0 ? 255 : 0);
            }
            ImageFiles.writeGreyPng(maskDir.resolve(c.id() + "_" + (k + 1) + ".png"), w, h, g);
            labelFrames++;
            if (opt.writeFrames()) {
                int[] px = media.frame(c, k);
                if (px != null) {
                    Path fd = s4 ? SafeNames.resolve(data, "uid", "visual_frames", split, category, c.id())
                            : SafeNames.resolve(data, "uid", "visual_frames", c.id());
                    Files.createDirectories(fd);
                    String name = s4 ? c.id() + "_" + (k + 1) + ".png" : c.id() + ".mp4_" + (k + 1) + ".png";
                    int[] rp = resizeBilinear(px, c.width(), c.height(), w, h);
                    ImageFiles.writeRgbPng(fd.resolve(name), w, h, rp);
                    frames++;
                }
            }
        }
        int audio = 0;
        if (opt.writeAudio()) {
            Path ad = s4 ? SafeNames.resolve(data, "uid", "audio_wav", split, category)
                    : SafeNames.resolve(data, "uid", "audio_wav", split);
            Files.createDirectories(ad); // shared by clips: createDirectories tolerates a racing worker
            if (writeAudio(c, ad.resolve(c.id() + ".wav"))) {
                audio = 1;
            }
        }
        String row = s4 ? c.id() + "," + Math.round(c.mediaStart()) + "," + category + "," + split : c.id() + "," + split;
        return new ClipResult<>(labelFrames, frames, audio, row);
    }

    /** What one clip wrote, and its csv row. */
    private record ClipResult<R>(int labelFrames, int frames, int audioFiles, R row) {
    }

    /** Writes one clip (its position in the project is {@code index}). */
    @FunctionalInterface
    private interface ClipWriter<R> {
        R write(Clip clip, int index) throws IOException;
    }

    /**
     * Runs {@code writer} for every clip on up to {@code threads} workers and returns the results in
     * project order. Progress is reported on the calling thread, in completion order, with a
     * count that only grows.
     */
    private static <R> List<R> forEachClip(List<Clip> clips, int threads, ProgressSink progress,
                                           Cancellation cancel, ClipWriter<R> writer) throws IOException {
        int n = clips.size();
        if (threads <= 1 || n <= 1) {
            List<R> results = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                cancel.check();
                results.add(writeNamed(writer, clips.get(i), i));
                progress.report(i + 1, n, "exported " + clips.get(i).id());
            }
            return results;
        }
        record Done<R>(int index, R result) {
        }
        int pool = POOLS.incrementAndGet();
        List<Thread> started = Collections.synchronizedList(new ArrayList<>());
        ThreadFactory names = NamedThreads.numbered("avsbench-export-" + pool);
        ExecutorService workers = Executors.newFixedThreadPool(Math.min(threads, n), r -> {
            Thread t = names.newThread(r);
            started.add(t);
            return t;
        });
        CompletionService<Done<R>> completed = new ExecutorCompletionService<>(workers);
        List<Future<Done<R>>> futures = new ArrayList<>(n);
        AtomicBoolean stop = new AtomicBoolean();
        List<R> byIndex = new ArrayList<>(Collections.nCopies(n, null));
        try {
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(completed.submit(() -> {
                    if (stop.get()) {
                        throw new CancellationException("stopped");
                    }
                    cancel.check();
                    return new Done<>(index, writeNamed(writer, clips.get(index), index));
                }));
            }
            for (int finished = 1; finished <= n; finished++) {
                Done<R> d = completed.take().get();
                byIndex.set(d.index(), d.result());
                progress.report(finished, n, "exported " + clips.get(d.index()).id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        } catch (ExecutionException e) {
            throw Futures.unwrap(e, cause -> new AvsbenchException(String.valueOf(cause), cause));
        } finally {
            // clips not yet started never start; the ones in flight finish before we return
            stop.set(true);
            for (Future<Done<R>> f : futures) {
                f.cancel(false);
            }
            workers.shutdown();
            awaitUninterruptibly(workers, started);
        }
        return byIndex;
    }

    /** Waits for the pool to finish its tasks and for its threads to end, even when interrupted. */
    private static void awaitUninterruptibly(ExecutorService pool, List<Thread> threads) {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            // termination is signalled from inside the last worker: join so none is alive on return
            for (Thread t : List.copyOf(threads)) {
                while (t.isAlive()) {
                    try {
                        t.join();
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Runs {@code writer} on one clip; a failure comes back with the clip's uid in its message. */
    private static <R> R writeNamed(ClipWriter<R> writer, Clip c, int index) throws IOException {
        try {
            return writer.write(c, index);
        } catch (CancellationException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(named(c, e.getClass() == IOException.class ? e.getMessage() : e.toString()), e);
        } catch (RuntimeException e) {
            throw new AvsbenchException(named(c, e instanceof AvsbenchException ? e.getMessage() : e.toString()), e);
        }
    }

    private static String named(Clip c, String message) {
        return message != null && message.contains("clip '" + c.id() + "'") ? message
                : "clip '" + c.id() + "': " + message;
    }

    private static String category(Clip c) {
        String cat = c.attributes().get("category");
        if (cat != null) {
            return cat;
        }
        for (SoundingObject o : c.objects()) {
            if (o.frames().values().stream().anyMatch(f -> f.sound().isSounding())) {
                return o.label().toLowerCase(Locale.ROOT).replace(' ', '_');
            }
        }
        return "unknown";
    }

    /** Bilinear resize of 0xRRGGBB pixels (centre-aligned), for frames only. */
    static int[] resizeBilinear(int[] src, int w, int h, int nw, int nh) {
        if (w == nw && h == nh) {
            return src;
        }
        int[] dst = new int[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                int v = 0;
                for (int sh = 16; sh >= 0; sh -= 8) {
                    double a = (src[y0 * w + x0] >> sh & 255) * (1 - tx) + (src[y0 * w + x1] >> sh & 255) * tx;
                    double b = (src[y1 * w + x0] >> sh & 255) * (1 - tx) + (src[y1 * w + x1] >> sh & 255) * tx;
                    v |= ((int) Math.round(a * (1 - ty) + b * ty)) << sh;
                }
                dst[y * nw + x] = v;
            }
        }
        return dst;
    }
}
