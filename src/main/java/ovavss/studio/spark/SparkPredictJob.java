package ovavss.studio.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.app.predict.DatasetPrediction;
import ovavss.studio.app.predict.PredictionException;
import ovavss.studio.app.predict.PredictionInputs;
import ovavss.studio.app.predict.ResumablePrediction;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.FileTrees;
import ovavss.studio.files.OutputTargets;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.BundleManifest;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark batch job: predicts every clip of an input (an AVSBench root, a clip folder, a video or a
 * manifest.csv of media paths) on a Spark cluster or an embedded local Spark, writing under
 * {@code --out} exactly what {@code predict} writes, plus {@code predictions.parquet},
 * {@code failures.parquet} and {@code summary.json}. Re-runs skip complete clips; a bad clip is a
 * failure row, not a dead job. Exit 0 done, 1 some clips failed, 2 bad input (nothing run).
 */
@Command(name = "spark-predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Pre-label a dataset with an OV-AVSS model bundle on Apache Spark (local by default).",
            "Writes what `predict` writes under --out, plus predictions.parquet, failures.parquet and summary.json."})
public final class SparkPredictJob implements Callable<Integer> {
    /** The master when neither --master nor spark-submit sets one: all cores, a task tried up to 3 times. */
    static final String DEFAULT_MASTER = "local[*,3]";

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else " + DEFAULT_MASTER + ")")
    String master;

    @Option(names = "--model", description = "model bundle folder (on a cluster: a path every executor can read), "
            + "or the name of an installed or imported bundle (default: the default bundle)")
    String model;

    @Option(names = "--input", required = true, description = "AVSBench root, clip folder, video file, or a .csv "
            + "manifest with a 'path' column (and optionally 'uid')")
    Path input;

    @Option(names = "--split", description = "with an AVSBench root: only clips whose metadata.csv split is this")
    String split;

    @Option(names = "--out", required = true, description = "output folder: new, empty, or an earlier run's "
            + "(its complete clips are skipped)")
    Path out;

    @Option(names = "--vocab", description = "vocabulary file, one name per line (default: the bundle's)")
    Path vocab;

    @Option(names = "--threshold", description = "score threshold (default: the bundle's)")
    Float threshold;

    @Option(names = "--sound-gate", description = "multiply scores by the sound head's score (not the official path)")
    boolean soundGate;

    @Option(names = "--allow-silent", description = "analyse clips without an audio stream as silence")
    boolean allowSilent;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu on the executors "
            + "(default: ${DEFAULT-VALUE}); with Spark GPU scheduling each task uses its assigned GPU")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32 or fp16 (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--method", defaultValue = "ovavss", description = "ovavss, seac or openavs: one of the bundle's "
            + "analysis methods (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--overwrite", description = "predict clips again even when their outputs are complete")
    boolean overwrite;

    @Option(names = "--fail-fast", description = "stop the job at the first clip that fails")
    boolean failFast;

    @Option(names = "--partitions", description = "Spark partitions (tasks); default: one per task slot, "
            + "at most " + MAX_CLIPS_PER_PARTITION + " clips each")
    Integer partitions;

    @Option(names = "--inject-failure-once", hidden = true, description = "tests: the first attempt of the task "
            + "holding this clip key fails just before committing it")
    String injectFailureOnce;

    private final PrintStream err;

    SparkPredictJob(PrintStream err) {
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(run(System.err, args));
    }

    /** Runs the job and returns its exit status (0, 1 or 2). */
    public static int run(PrintStream err, String... args) {
        CommandLine cl = new CommandLine(new SparkPredictJob(err));
        cl.setErr(new java.io.PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("spark-predict: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) -> {
            org.slf4j.LoggerFactory.getLogger("ovavss.failures").error("spark-predict failed", e);
            err.println("spark-predict: " + (e.getMessage() != null ? e.getMessage().lines().findFirst().orElse("")
                    : e.toString()));
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        List<PredictionInputs.Clip> clips;
        List<String> names;
        Path bundleDir;
        try {
            DevicePreference.parse(device);
            Precision.parse(precision);
            AnalysisMethod.parse(method);
            names = vocab == null ? null : DatasetPrediction.readVocabulary(vocab);
            if (threshold != null && !(threshold >= 0f && threshold <= 1f)) {
                throw new PredictionException("--threshold must be a score between 0 and 1, got " + threshold);
            }
            if (partitions != null && partitions < 1) {
                throw new PredictionException("--partitions must be at least 1, got " + partitions);
            }
            clips = PredictionInputs.find(input, split);
            checkOut(out, input);
            BundleLibrary bundles = BundleLibrary.standard();
            bundleDir = (model != null ? bundles.resolve(model) : bundles.defaultBundle()).toAbsolutePath();
        } catch (PredictionException | IllegalArgumentException e) {
            err.println("spark-predict: " + e.getMessage());
            return 2;
        } catch (BundleException e) {
            err.println("cannot use model: " + e.getMessage());
            return 2;
        }
        JobSettings settings = new JobSettings(bundleDir.toString(), device, precision,
                out.toAbsolutePath().normalize().toString(), names, threshold, soundGate, allowSilent, overwrite,
                failFast, injectFailureOnce, AnalysisMethod.parse(method).id());
        String chosenMaster = master != null ? master : new SparkConf().get("spark.master", DEFAULT_MASTER);
        boolean local = chosenMaster.startsWith("local");
        String bundleSha;
        try {
            // the bundle must verify and load before any task runs; in local mode the executor is
            // this JVM and keeps this load, on a cluster the driver checks on its CPU
            bundleSha = local ? ExecutorModels.service(settings, 0).bundle().sha256() : checkLoads(bundleDir);
            BundleManifest.read(bundleDir).requireMethod(AnalysisMethod.parse(method));
        } catch (BundleException e) {
            err.println("cannot use model: " + e.getMessage());
            return 2;
        }
        err.printf(Locale.ROOT, "spark-predict: %d clip(s), master %s, bundle %s (sha256 %s…)%n", clips.size(),
                chosenMaster, bundleDir.getFileName(), bundleSha.substring(0, 12));
        long s0 = System.nanoTime();
        SparkSession spark = session(chosenMaster, new SparkConf());
        double sessionStartS = (System.nanoTime() - s0) / 1e9;
        try {
            return runJob(spark, settings, clips, chosenMaster, bundleSha, sessionStartS);
        } finally {
            spark.stop();
        }
    }

    /**
     * The job's session. One task at a time per executor unless the user says otherwise
     * ({@code spark.task.cpus} = the executor's cores): a task's {@link ResumablePrediction} already
     * keeps every core busy (the service's decode pool beside the model's intra-op threads), and two
     * tasks on one executor run two pipelines that compete for the same cores and one model (measured
     * at local[2] on 2 cores: 0.86 of predict's speed against 0.91 for one task). Executors report
     * their tasks' counts every 3 s for the driver's progress.
     */
    static SparkSession session(String master, SparkConf submitted) {
        SparkSession.Builder b = SparkSession.builder().appName("ovavss-spark-predict").master(master)
                .config("spark.ui.showConsoleProgress", "false");
        int cores = executorCores(master, submitted);
        if (cores > 1 && !submitted.contains("spark.task.cpus")) {
            b.config("spark.task.cpus", cores);
        }
        if (!submitted.contains("spark.executor.heartbeatInterval")) {
            b.config("spark.executor.heartbeatInterval", "3s");
        }
        return b.getOrCreate();
    }

    /** An executor's cores where the job can know them: local[N], local[*], or spark.executor.cores; else 0. */
    static int executorCores(String master, SparkConf submitted) {
        java.util.regex.Matcher local = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
        if (local.matches()) {
            return local.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                    : Integer.parseInt(local.group(1));
        }
        if (master.equals("local")) {
            return 1;
        }
        return submitted.getInt("spark.executor.cores", 0);
    }

    /**
     * Default partitions: one per task slot, each a long stream through the executor's pipeline (a
     * task's start and its pipeline's drain are paid per partition; a retried task skips the clips it
     * had finished), and no more than {@link #MAX_CLIPS_PER_PARTITION} clips in one.
     */
    static int defaultPartitions(int clips, int defaultParallelism, int taskCpus) {
        int slots = Math.max(1, defaultParallelism / Math.max(1, taskCpus));
        int bySize = (clips + MAX_CLIPS_PER_PARTITION - 1) / MAX_CLIPS_PER_PARTITION;
        return Math.max(1, Math.min(clips, Math.max(slots, bySize)));
    }

    static final int MAX_CLIPS_PER_PARTITION = 500;

    private int runJob(SparkSession spark, JobSettings settings, List<PredictionInputs.Clip> clips, String masterUsed,
                       String bundleSha, double sessionStartS) throws IOException {
        long t0 = System.nanoTime();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        DriverProgress.reportTaskFailures(spark.sparkContext(), err);
        LongAccumulator predicted = jsc.sc().longAccumulator("clips predicted");
        LongAccumulator skipped = jsc.sc().longAccumulator("clips skipped");
        LongAccumulator failed = jsc.sc().longAccumulator("clips failed");
        int parts = partitions != null ? partitions
                : defaultPartitions(clips.size(), jsc.defaultParallelism(), jsc.getConf().getInt("spark.task.cpus", 1));
        List<ClipRef> refs = clips.stream().map(ClipRef::of).toList();
        CollectionAccumulator<ClipResult> outcomes = jsc.sc().collectionAccumulator("clip outcomes");
        // one Spark job: writing the predictions table runs the tasks, which hand their clips'
        // outcomes back through an accumulator (Spark merges a task's updates once, when it succeeds)
        JavaRDD<Row> rows = jsc.parallelize(refs, parts)
                .mapPartitions(new PartitionPredictor(settings, predicted, skipped, failed, outcomes));
        Path root = Path.of(settings.out());
        DriverProgress progress = DriverProgress.start(spark.sparkContext(), err, clips.size(), predicted, skipped,
                failed);
        try {
            writeTable(spark.createDataFrame(rows, PredictionTables.PREDICTIONS), root, "predictions.parquet");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            // Spark's job failure (a SparkException, thrown unchecked from Scala): the tasks gave up
            err.println("spark-predict: stopped: " + jobFailure(e));
            return 1;
        } finally {
            progress.stop();
        }
        Map<String, ClipResult> byClip = new java.util.TreeMap<>();
        for (ClipResult r : outcomes.value()) {
            byClip.put(r.key(), r);
        }
        List<ClipResult> summaries = new ArrayList<>(byClip.values());
        List<Row> failureRows = new ArrayList<>();
        for (ClipResult r : summaries) {
            if (ResumablePrediction.Status.FAILED.name().equals(r.status())) {
                failureRows.add(PredictionTables.failure(r));
            }
        }
        writeTable(spark.createDataFrame(failureRows, PredictionTables.FAILURES).coalesce(1), root, "failures.parquet");
        if (summaries.size() != clips.size()) {
            throw new IllegalStateException("the tasks reported " + summaries.size() + " of " + clips.size() + " clips");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return summarise(root, summaries, seconds, sessionStartS, masterUsed, bundleSha, parts);
    }

    /** Writes a table beside its place and moves it in, replacing an earlier run's. */
    private static void writeTable(org.apache.spark.sql.Dataset<Row> table, Path root, String name)
            throws IOException {
        Path dest = root.resolve(name);
        Path staging = root.resolve("." + name + ".writing-" + UUID.randomUUID());
        try {
            table.write().mode(SaveMode.ErrorIfExists).parquet(staging.toUri().toString());
            if (Files.exists(dest)) {
                Path old = root.resolve("." + name + ".replaced-" + UUID.randomUUID());
                Files.move(dest, old, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                FileTrees.delete(old);
            }
            AtomicFiles.moveDirectory(staging, dest);
        } finally {
            FileTrees.delete(staging);
        }
    }

    private int summarise(Path root, List<ClipResult> results, double seconds, double sessionStartS, String masterUsed,
                          String bundleSha, int parts) throws IOException {
        int predictedN = 0;
        int skippedN = 0;
        int objects = 0;
        List<ClipResult> failures = new ArrayList<>();
        for (ClipResult r : results) {
            switch (ResumablePrediction.Status.valueOf(r.status())) {
                case PREDICTED -> predictedN++;
                case SKIPPED -> skippedN++;
                case FAILED -> failures.add(r);
            }
            objects += r.objects();
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode s = json.createObjectNode();
        s.put("clips", results.size());
        s.put("predicted", predictedN);
        s.put("skipped", skippedN);
        s.put("failed", failures.size());
        s.put("objects", objects);
        s.put("seconds", Math.round(seconds * 100) / 100.0);
        s.put("predicted_clips_per_s", Math.round(predictedN / seconds * 1000) / 1000.0);
        s.put("spark_session_start_s", Math.round(sessionStartS * 100) / 100.0);
        s.put("master", masterUsed);
        s.put("partitions", parts);
        s.put("bundle_sha256", bundleSha);
        ArrayNode f = s.putArray("failures");
        for (ClipResult r : failures) {
            f.addObject().put("clip", r.key()).put("reason", r.reason());
        }
        AtomicFiles.write(root.resolve("summary.json"), json.writeValueAsBytes(s));
        err.printf(Locale.ROOT, "spark-predict: %d clip(s): %d predicted, %d skipped (complete), %d failed; "
                + "%d object(s); %.1f s (%.2f clips/s predicted)%n", results.size(), predictedN, skippedN,
                failures.size(), objects, seconds, predictedN / seconds);
        for (ClipResult r : failures.subList(0, Math.min(10, failures.size()))) {
            err.println("  FAILED " + r.key() + ": " + r.reason());
        }
        if (failures.size() > 10) {
            err.println("  … and " + (failures.size() - 10) + " more in failures.parquet");
        }
        err.println("spark-predict: tables " + root.resolve("predictions.parquet") + ", "
                + root.resolve("failures.parquet"));
        return failures.isEmpty() ? 0 : 1;
    }

    /** The reason a Spark job ended: our fail-fast message when it is that, else Spark's first line. */
    static String jobFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PartitionPredictor.FailFastException) {
                return t.getMessage();
            }
        }
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int at = m.indexOf(PartitionPredictor.FailFastException.class.getName() + ": ");
        if (at >= 0) {
            m = m.substring(at + PartitionPredictor.FailFastException.class.getName().length() + 2);
        }
        return (e instanceof SparkException || at >= 0 ? "" : e.getClass().getSimpleName() + ": ")
                + m.lines().findFirst().orElse(m);
    }

    /** Loads the bundle on this JVM's CPU and closes it: it verifies and runs (the driver's check). */
    private static String checkLoads(Path bundleDir) throws BundleException {
        try (ModelBundle b = ModelBundle.load(bundleDir, DevicePreference.CPU, Precision.FP32)) {
            return b.sha256();
        }
    }

    /**
     * The output folder must be new, empty, or an earlier run's (it has {@code _done/}); never an
     * input, a file or a device.
     */
    static void checkOut(Path out, Path input) throws IOException {
        try {
            OutputTargets.checkFolder(out, OutputTargets.Existing.WRITE_INTO, Map.of("the input", input));
        } catch (IllegalArgumentException e) {
            throw new PredictionException("--out: " + e.getMessage());
        }
        if (Files.isDirectory(out) && !OutputTargets.isEmptyFolder(out)
                && !Files.isDirectory(out.resolve(ResumablePrediction.DONE_FOLDER))) {
            throw new PredictionException("--out: " + out + " holds other files and is not an earlier run's output; "
                    + "choose a new or empty folder");
        }
        if (Files.isRegularFile(out.resolve(BundleManifest.FILE))) {
            throw new PredictionException("--out: " + out + " is a model bundle");
        }
    }
}
