package ovavss.studio.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import ovavss.studio.app.InstallFiles;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.files.FileTrees;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import ovavss.studio.avsbench.AvsbenchClasses;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.avsbench.AvsbenchImporter;
import ovavss.studio.avsbench.ClipMedia;
import ovavss.studio.avsbench.LabelSet;

/**
 * {@code bench export}: AVSBench-semantic export of 1,000 generated 10-frame 224×224 clips
 * (frames JPEG q95, labels_rgb, labels_semantic, 10 s audio.wav, csv, label2idx; the count is
 * {@code -Dovavss.bench.exportClips=N}), once on one thread and once with the default worker
 * count ({@link AvsbenchExporter#defaultThreads()}), and the same work done by
 * {@code models/golden/pil_export_reference.py} (Python/PIL, one process) in the same run.
 * Prints {@code export_threads}, {@code export_1thread_clips_per_s} with
 * {@code export_1thread_vs_pil_ratio} (like for like: one thread against one process), and
 * {@code export_clips_per_s} with {@code export_vs_pil_ratio} for the default thread count
 * (ratios skipped when python3 or PIL is missing). With one processor both figures come from the
 * same single-thread run.
 */
public final class ExportBenchmark implements Benchmark {
    static final int SIZE = 224;
    static final int FRAMES = 10;
    static final int[][] CLASSES = {{17, 41}, {7, 70}, {28, 47}, {2, 11}};

    private final int clips;

    public ExportBenchmark() {
        this(Integer.getInteger("ovavss.bench.exportClips", 1000));
    }

    ExportBenchmark(int clips) {
        this.clips = clips;
    }

    @Override
    public String name() {
        return "export";
    }

    /** Frames, masks and audio of template {@code t}; the Python baseline builds the same ones. */
    record Template(int[][] frames, Mask[][] masks, float[] audio) {
    }

    static Template template(int t) {
        int[][] frames = new int[FRAMES][SIZE * SIZE];
        Mask[][] masks = new Mask[FRAMES][2];
        for (int k = 0; k < FRAMES; k++) {
            boolean[] m1 = new boolean[SIZE * SIZE];
            boolean[] m2 = new boolean[SIZE * SIZE];
            double cx1 = 40 + 12 * k;
            double cy1 = 60 + 5 * t;
            double cx2 = 150 - 6 * k;
            double cy2 = 140;
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int r = (x + 7 * k + 31 * t) % 256;
                    int g = (y + 3 * k) % 256;
                    int b = (x + y + 50 * t) % 256;
                    frames[k][y * SIZE + x] = (r << 16) | (g << 8) | b;
                    double dx1 = x + 0.5 - cx1;
                    double dy1 = y + 0.5 - cy1;
                    double dx2 = x + 0.5 - cx2;
                    double dy2 = y + 0.5 - cy2;
                    m1[y * SIZE + x] = dx1 * dx1 + dy1 * dy1 <= 30 * 30;
                    m2[y * SIZE + x] = dx2 * dx2 + dy2 * dy2 <= 40 * 40;
                }
            }
            masks[k][0] = Mask.fromBitmap(m1, SIZE, SIZE);
            masks[k][1] = Mask.fromBitmap(m2, SIZE, SIZE);
        }
        float[] audio = new float[16000 * FRAMES];
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) (0.3 * Math.sin(2 * Math.PI * (440 + 110 * t) * i / 16000.0));
        }
        return new Template(frames, masks, audio);
    }

    /** A project of {@code n} clips cycling over the four templates (masks are shared, immutable). */
    static Project project(int n, Template[] templates) {
        Vocabulary vocab = AvsbenchImporter.vocabularyFor(LabelSet.standard());
        List<Clip> list = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            int t = c % 4;
            List<SoundingObject> objects = new ArrayList<>();
            for (int o = 0; o < 2; o++) {
                TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
                for (int k = 0; k < FRAMES; k++) {
                    frames.put(k, ObjectFrame.human(templates[t].masks()[k][o], SoundFlag.SOUNDING));
                }
                // the first object is on top, like the baseline's first-mask-wins composition
                objects.add(new SoundingObject("o" + (o + 1), AvsbenchClasses.NAMES.get(CLASSES[t][o]), 1 - o, frames));
            }
            String uid = String.format(Locale.ROOT, "bench%05d_0_10000", c);
            list.add(new Clip(uid, "template:" + t, 0, FRAMES, Clip.defaultKeyframes(FRAMES), SIZE, SIZE, objects,
                    Map.of("split", "test", "label", "v2")));
        }
        return new Project("bench", vocab, list, Map.of());
    }

    @Override
    public void run(PrintStream out) throws Exception {
        Template[] templates = new Template[4];
        for (int t = 0; t < 4; t++) {
            templates[t] = template(t);
        }
        Project p = project(clips, templates);
        // stateless over read-only arrays (the exporter copies what it changes): safe for the workers
        ClipMedia media = new ClipMedia() {
            @Override
            public int[] frame(Clip clip, int k) {
                return templates[clip.media().charAt(clip.media().length() - 1) - '0'].frames()[k];
            }

            @Override
            public Audio audio(Clip clip) {
                return new Audio(templates[clip.media().charAt(clip.media().length() - 1) - '0'].audio(), 16000);
            }
        };
        int threads = AvsbenchExporter.defaultThreads();
        // one thread first: it pays for the JIT warm-up, as the single-thread figure always has
        double oneRate = clips / exportSeconds(p, media, 1);
        double rate = threads == 1 ? oneRate : clips / exportSeconds(p, media, threads);
        out.printf(Locale.ROOT, "export_threads %d threads%n", threads);
        out.printf(Locale.ROOT, "export_1thread_clips_per_s %.2f clips/s%n", oneRate);
        out.printf(Locale.ROOT, "export_clips_per_s %.2f clips/s%n", rate);

        Double pilSeconds = runPil();
        if (pilSeconds == null) {
            out.println("# export_1thread_vs_pil_ratio and export_vs_pil_ratio skipped: "
                    + "python3 with numpy and PIL not available");
        } else {
            double pilRate = clips / pilSeconds;
            out.printf(Locale.ROOT, "export_pil_clips_per_s %.2f clips/s%n", pilRate);
            out.printf(Locale.ROOT, "export_1thread_vs_pil_ratio %.2f x%n", oneRate / pilRate);
            out.printf(Locale.ROOT, "export_vs_pil_ratio %.2f x%n", rate / pilRate);
        }
    }

    /** Wall time of one semantic export of {@code p} on {@code threads} workers, into a temp folder. */
    private static double exportSeconds(Project p, ClipMedia media, int threads) throws IOException {
        Path javaOut = Files.createTempDirectory("ovavss-bench-export-java");
        try {
            long t0 = System.nanoTime();
            new AvsbenchExporter(media).exportSemantic(p, javaOut,
                    AvsbenchExporter.SemanticOptions.defaults().withThreads(threads), ProgressSink.NONE,
                    Cancellation.NEVER);
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            FileTrees.delete(javaOut);
        }
    }

    private Double runPil() throws IOException, InterruptedException {
        Path script = InstallFiles.find("models/golden/pil_export_reference.py");
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        if (!Files.isRegularFile(script)) {
            return null;
        }
        try {
            Process probe = new ProcessBuilder(python, "-c", "import numpy, PIL").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            if (!probe.waitFor(60, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return null;
            }
        } catch (IOException e) {
            return null;
        }
        Path pilOut = Files.createTempDirectory("ovavss-bench-export-pil");
        try {
            Process pr = new ProcessBuilder(python, script.toString(), "--out", pilOut.toString(), "--clips",
                    Integer.toString(clips), "--frames", Integer.toString(FRAMES), "--size", Integer.toString(SIZE))
                    .redirectErrorStream(true).start();
            String text = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pr.waitFor(30, TimeUnit.MINUTES) || pr.exitValue() != 0) {
                throw new IOException("PIL baseline failed: " + text);
            }
            String last = text.strip().lines().reduce((a, b) -> b).orElse("");
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(last).get("seconds").asDouble();
        } finally {
            FileTrees.delete(pilOut);
        }
    }
}
