package ovavss.studio.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.app.predict.DatasetPrediction;
import ovavss.studio.files.FileTrees;
import ovavss.studio.model.InferenceService;
import ovavss.studio.task.Cancellation;

/**
 * {@code spark-predict.sh bench}: the Spark job at {@code local[2]} against its peer, {@code predict}'s
 * use case, on the same clips in one JVM and the same loaded model (the executor's, which predict's
 * runs borrow): a warm-up run of each (JIT, file cache), then alternating rounds (predict, job, ...),
 * each into a new folder and timed from planning to its last file. The job's figure leaves out the
 * SparkSession's start, which the job records in its summary.json and which is printed on its own
 * (paid once per job, whatever its size). Prints {@code name value unit} lines.
 *
 * <p>Arguments: AVSBench root, bundle folder, [master, default local[2]], [rounds, default 2].
 */
public final class SparkBenchmark {
    private SparkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        Path bundle = Path.of(args[1]);
        String master = args.length > 2 ? args[2] : "local[2]";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        PrintStream out = System.out;
        Path work = Files.createTempDirectory("ovavss-spark-bench");
        try {
            int clips = DatasetPrediction.plan(request(root, work.resolve("plan"))).clips().size();
            long l0 = System.nanoTime();
            // the one model of this JVM, as the job's executor holds it: predict's runs use it too, so
            // both sides run on the same loaded model and native thread pools
            InferenceService service = ExecutorModels.service(new JobSettings(
                    BundleLibrary.standard().resolve(bundle.toString()).toAbsolutePath().toString(), "cpu", "fp32",
                    work.toString(), null, null, false, false, false, false, null, "ovavss"), 0);
            out.printf(Locale.ROOT, "model_load_s %.2f s%n", (System.nanoTime() - l0) / 1e9);
            predict(root, service, work.resolve("predict-warm-up"));
            List<Double> predictS = new ArrayList<>();
            List<Double> sparkS = new ArrayList<>();
            double sessionS = 0;
            for (int r = -1; r < rounds; r++) {
                if (r >= 0) {
                    predictS.add(predict(root, service, work.resolve("predict-" + r)));
                }
                Path jobOut = work.resolve("spark-" + (r + 1));
                long t0 = System.nanoTime();
                int exit = SparkPredictJob.run(System.err, "--master", master, "--model", bundle.toString(),
                        "--input", root.toString(), "--out", jobOut.toString(), "--device", "cpu");
                double wall = (System.nanoTime() - t0) / 1e9;
                if (exit != 0) {
                    throw new IllegalStateException("the Spark job exited " + exit);
                }
                // each job starts and stops its own session; its start is reported apart
                double started = new ObjectMapper().readTree(jobOut.resolve("summary.json").toFile())
                        .path("spark_session_start_s").asDouble();
                // the warm-up's start is the cold one (a JVM's first SparkContext)
                sessionS = Math.max(sessionS, started);
                if (r >= 0) {
                    sparkS.add(wall - started);
                }
            }
            double predictBest = predictS.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            double sparkBest = sparkS.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            out.printf(Locale.ROOT, "bench_clips %d clips%n", clips);
            out.printf(Locale.ROOT, "bench_cores %d cores%n", Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "predict_clips_per_s %.3f clips/s%n", clips / predictBest);
            out.printf(Locale.ROOT, "spark_local_clips_per_s %.3f clips/s%n", clips / sparkBest);
            out.printf(Locale.ROOT, "spark_vs_predict_ratio %.3f x%n", predictBest / sparkBest);
            out.printf(Locale.ROOT, "spark_session_start_s %.2f s%n", sessionS);
            out.printf(Locale.ROOT, "spark_local_clips_per_s_with_session_start %.3f clips/s%n",
                    clips / (sparkBest + sessionS));
            out.printf(Locale.ROOT, "predict_runs_s %s s%nspark_runs_s %s s%n", times(predictS), times(sparkS));
        } finally {
            FileTrees.delete(work);
        }
    }

    private static String times(List<Double> s) {
        return String.join(",", s.stream().map(x -> String.format(Locale.ROOT, "%.2f", x)).toList());
    }

    private static DatasetPrediction.Request request(Path root, Path out) {
        return new DatasetPrediction.Request(root, out, null, null, false, 0, 1, null, false, false);
    }

    /** {@code predict} as its command runs it, on a loaded model: plan, analyse and write; seconds taken. */
    private static double predict(Path root, InferenceService service, Path out) throws Exception {
        long t0 = System.nanoTime();
        DatasetPrediction plan = DatasetPrediction.plan(request(root, out));
        DatasetPrediction.Summary s = plan.run(service, new DatasetPrediction.Listener() { }, new Cancellation());
        if (s.failures() > 0) {
            throw new IllegalStateException(s.failures() + " clip(s) failed in predict");
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
