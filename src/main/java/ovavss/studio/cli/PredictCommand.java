package ovavss.studio.cli;

import ovavss.studio.files.AtomicFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import ovavss.studio.app.AnalysisKeyframes;
import ovavss.studio.task.Cancellation;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.avsbench.MetadataCsv;
import ovavss.studio.avsbench.Palette;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.ClipAnalysis;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.KeyframeSource;
import ovavss.studio.model.Labelling;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.ObjectPrediction;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.model.WindowAnalysis;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code predict}: runs a model bundle on a video, an AVSBench clip folder or a whole AVSBench
 * tree and writes AVSBench-semantic label maps ({@code labels_semantic/k.png} grey index,
 * {@code labels_rgb/k.png} palette colours; class c of the vocabulary is written as c+1) plus
 * {@code predictions.json} with every kept object and its scores.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Segment sounding objects with an OV-AVSS model bundle.",
            "Input: a video file, an AVSBench clip folder (frames/, audio.wav) or an AVSBench root "
                + "(<root>/<subset>/<uid>/frames). Output mirrors <subset>/<uid>/ under --out."})
public final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "video file, AVSBench clip folder or AVSBench dataset root")
    Path input;

    @Option(names = "--model", required = true, description = "model bundle directory")
    Path model;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--vocab", description = "vocabulary file, one name per line (default: the bundle's)")
    Path vocab;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--threshold", description = "score threshold (default: the bundle's, 0.3)")
    Float threshold;

    @Option(names = "--sound-gate", description = "multiply scores by the sound head's score (not the official path)")
    boolean soundGate;

    @Option(names = "--shard", defaultValue = "0/1", description = "i/n: process every n-th clip starting at i")
    String shard;

    @Option(names = "--split", description = "with an AVSBench root: only clips whose metadata.csv split is this (e.g. test)")
    String split;

    @Override
    public Integer call() throws Exception {
        int[] sh = parseShard(shard);
        List<Path> clips = new ArrayList<>(findClips(input));
        if (split != null) {
            Path csv = input.resolve("metadata.csv");
            if (!Files.isRegularFile(csv)) {
                System.err.println("--split needs an AVSBench root with metadata.csv; none at " + csv);
                return 2;
            }
            java.util.Set<String> uids = new java.util.HashSet<>();
            for (MetadataCsv.Row r : MetadataCsv.read(csv).rows()) {
                if (split.equals(r.split())) {
                    uids.add(r.uid());
                }
            }
            clips.removeIf(c -> !uids.contains(c.getFileName().toString()));
        }
        if (clips.isEmpty()) {
            System.err.println(input + ": no video or AVSBench clip folder found");
            return 2;
        }
        List<Path> mine = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            if (i % sh[1] == sh[0]) {
                mine.add(clips.get(i));
            }
        }
        ModelBundle bundle;
        try {
            bundle = ModelBundle.load(model, DevicePreference.parse(device));
        } catch (BundleException e) {
            System.err.println("cannot use model: " + e.getMessage());
            return 2;
        }
        List<String> names = vocab != null ? readVocab(vocab) : bundle.manifest().defaultVocabulary();
        System.err.printf(Locale.ROOT, "predict: %d clip(s) (shard %d/%d of %d), %d names, device %s%n",
                mine.size(), sh[0], sh[1], clips.size(), names.size(), bundle.deviceName());
        int failures = 0;
        try (InferenceService service = new InferenceService(bundle)) {
            PostProcessSettings s = service.settings().withSoundGate(soundGate);
            if (threshold != null) {
                s = s.withScoreThreshold(threshold);
            }
            long t0 = System.nanoTime();
            PostProcessSettings settings = s;
            int[] failed = {0};
            List<KeyframeSource.Opener> openers = new ArrayList<>();
            for (Path clip : mine) {
                openers.add(() -> AnalysisKeyframes.open(clip, 0, -1));
            }
            // clips prepared ahead on every decode thread: the model never waits for the next clip's opening
            java.util.function.IntFunction<String> tagOf = i -> String.format(Locale.ROOT, "[%d/%d] %s", i + 1,
                    mine.size(), mine.get(i).getFileName());
            service.analyseInOrder(openers, service.decodeThreads(),
                    i -> p -> System.err.printf(Locale.ROOT, "\r%s %s   ", tagOf.apply(i), p.message()),
                    new Cancellation(), (i, a, failure) -> {
                        String tag = tagOf.apply(i);
                        if (failure != null) {
                            failed[0]++;
                            System.err.printf(Locale.ROOT, "\r%s: FAILED: %s%n", tag, failure.getMessage());
                            return;
                        }
                        Labelling l = service.vocabulary().relabel(a, names, settings);
                        write(outputDir(mine.get(i)), l, names, settings);
                        System.err.printf(Locale.ROOT, "\r%s: %d object(s)%n", tag, l.allObjects().size());
                    });
            failures = failed[0];
            System.err.printf(Locale.ROOT, "predict: done in %.1f s, %d failure(s)%n", (System.nanoTime() - t0) / 1e9,
                    failures);
        } finally {
            bundle.close();
        }
        return failures == 0 ? 0 : 1;
    }

    static int[] parseShard(String s) {
        String[] p = s.split("/");
        try {
            int i = Integer.parseInt(p[0].trim());
            int n = Integer.parseInt(p[1].trim());
            if (p.length == 2 && n > 0 && i >= 0 && i < n) {
                return new int[] {i, n};
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("--shard must be i/n with 0 <= i < n, got '" + s + "'");
    }

    static List<String> readVocab(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String n = line.strip();
            if (!n.isEmpty() && !n.startsWith("#") && !out.contains(n)) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            throw new IOException(file + ": no vocabulary names");
        }
        return out;
    }

    private static boolean isClip(Path p) {
        return Files.isDirectory(p.resolve("frames"));
    }

    /** A file, one clip folder, or every clip folder under a root (sorted, for stable shards). */
    static List<Path> findClips(Path input) throws IOException {
        if (Files.isRegularFile(input)) {
            return List.of(input);
        }
        if (isClip(input)) {
            return List.of(input);
        }
        if (!Files.isDirectory(input)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(input, 3)) {
            return s.filter(Files::isDirectory).filter(PredictCommand::isClip).sorted().toList();
        }
    }

    /** {@code out/<subset>/<uid>} for clip folders (relative to a root), {@code out/video/<stem>} for files. */
    private Path outputDir(Path clip) {
        if (Files.isRegularFile(clip)) {
            String name = clip.getFileName().toString();
            int dot = name.lastIndexOf('.');
            return out.resolve("video").resolve(dot > 0 ? name.substring(0, dot) : name);
        }
        if (clip.equals(input)) {
            Path parent = clip.toAbsolutePath().getParent();
            String subset = parent != null && parent.getFileName() != null ? parent.getFileName().toString() : "clips";
            return out.resolve(subset).resolve(clip.getFileName().toString());
        }
        return out.resolve(input.relativize(clip).toString());
    }

    private static void write(Path dir, Labelling l, List<String> names, PostProcessSettings s) throws IOException {
        Path sem = dir.resolve("labels_semantic");
        Path rgb = dir.resolve("labels_rgb");
        Files.createDirectories(sem);
        Files.createDirectories(rgb);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode vocab = root.putArray("vocabulary");
        names.forEach(vocab::add);
        root.put("score_threshold", s.scoreThreshold());
        root.put("sound_gate", s.soundGate());
        ArrayNode objects = root.putArray("objects");
        for (int w = 0; w < l.windowCount(); w++) {
            WindowAnalysis a = l.window(w);
            int[][] maps = l.labelMaps(w);
            int width = a.geometry().sourceWidth();
            int height = a.geometry().sourceHeight();
            for (int f = 0; f < a.realFrames(); f++) {
                int k = a.firstKeyframe() + f;
                byte[] grey = new byte[maps[f].length];
                int[] colours = new int[maps[f].length];
                for (int i = 0; i < grey.length; i++) {
                    grey[i] = (byte) Math.min(255, maps[f][i]);
                    colours[i] = Palette.rgb(maps[f][i]);
                }
                AtomicFiles.writeWith(sem.resolve(k + ".png"), t -> ImageFiles.writeGreyPng(t, width, height, grey));
                AtomicFiles.writeWith(rgb.resolve(k + ".png"), t -> ImageFiles.writeRgbPng(t, width, height, colours));
            }
            for (ObjectPrediction o : l.objects(w)) {
                ObjectNode n = objects.addObject();
                n.put("window", o.window());
                n.put("query", o.query());
                n.put("label", o.label());
                n.put("label_id", o.classIndex() + 1);
                n.put("score", o.score());
                n.put("clip_score", o.clipScore());
                n.put("sound_score", o.soundScore());
                ArrayNode kf = n.putArray("keyframes");
                for (int k : o.keyframes()) {
                    kf.add(k);
                }
            }
        }
        byte[] bytes = json.writeValueAsBytes(root);
        AtomicFiles.writeWith(dir.resolve("predictions.json"), t -> Files.write(t, bytes));
    }
}
