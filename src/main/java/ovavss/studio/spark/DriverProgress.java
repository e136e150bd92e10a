package ovavss.studio.spark;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.scheduler.AccumulableInfo;
import scala.jdk.javaapi.CollectionConverters;
import org.apache.spark.util.LongAccumulator;

/**
 * Progress on the driver: clips done, failed, skipped and an ETA, every few seconds while the tasks
 * run. Finished tasks count through the accumulators, which Spark merges when a task succeeds;
 * running tasks count through the values their executors send with each heartbeat (the job sets it
 * to 3 s), so progress moves while a long task runs. The final figures are the collected outcomes,
 * not these.
 */
final class DriverProgress {
    private static final long PERIOD_MS = 3_000;

    private final Thread thread;
    private final org.apache.spark.SparkContext sc;
    private final RunningTasks running;

    private DriverProgress(Thread thread, org.apache.spark.SparkContext sc, RunningTasks running) {
        this.thread = thread;
        this.sc = sc;
        this.running = running;
    }

    static DriverProgress start(org.apache.spark.SparkContext sc, PrintStream err, int total,
                                LongAccumulator predicted, LongAccumulator skipped, LongAccumulator failed) {
        RunningTasks running = new RunningTasks(predicted.id(), skipped.id(), failed.id());
        sc.addSparkListener(running);
        long t0 = System.nanoTime();
        Thread t = new Thread(() -> {
            long shown = 0;
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
                long[] live = running.counts();
                long p = predicted.value() + live[0];
                long s = skipped.value() + live[1];
                long f = failed.value() + live[2];
                long done = Math.min(total, p + s + f);
                if (done == shown) {
                    continue;
                }
                shown = done;
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = (p + f) / seconds;
                long left = total - done;
                String eta = rate > 0 ? String.format(Locale.ROOT, "%.0f s", left / rate) : "?";
                err.printf(Locale.ROOT, "spark-predict: %d/%d clips (%d predicted, %d skipped, %d failed), "
                        + "%.2f clips/s, ETA %s%n", done, total, p, s, f, rate, eta);
            }
        }, "ovavss-spark-progress");
        t.setDaemon(true);
        t.start();
        return new DriverProgress(t, sc, running);
    }

    /**
     * The latest counts of each running task, from executor heartbeats; a task's entry goes when it
     * ends (its counts are then in the accumulators if it succeeded, and void if it failed).
     */
    static final class RunningTasks extends org.apache.spark.scheduler.SparkListener {
        private final long[] ids;
        private final Map<Long, long[]> byTask = new ConcurrentHashMap<>();

        RunningTasks(long... accumulatorIds) {
            this.ids = accumulatorIds;
        }

        @Override
        public void onExecutorMetricsUpdate(org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate update) {
            for (scala.Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                    : CollectionConverters.asJava(update.accumUpdates())) {
                long[] counts = byTask.computeIfAbsent((Long) task._1(), k -> new long[ids.length]);
                for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
                    for (int i = 0; i < ids.length; i++) {
                        if (info.id() == ids[i] && info.update().isDefined()
                                && info.update().get() instanceof Long n) {
                            counts[i] = n;
                        }
                    }
                }
            }
        }

        @Override
        public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
            byTask.remove(end.taskInfo().taskId());
        }

        long[] counts() {
            long[] sum = new long[ids.length];
            for (long[] c : byTask.values()) {
                for (int i = 0; i < sum.length; i++) {
                    sum[i] += c[i];
                }
            }
            return sum;
        }
    }

    /**
     * Tells the user about every failed task attempt as it happens (Spark retries it up to its
     * {@code spark.task.maxFailures}, in local mode the F of {@code local[N,F]}).
     */
    static void reportTaskFailures(org.apache.spark.SparkContext sc, PrintStream err) {
        sc.addSparkListener(new org.apache.spark.scheduler.SparkListener() {
            @Override
            public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                if (end.taskInfo() == null || end.taskInfo().successful()) {
                    return;
                }
                String why = end.reason() instanceof org.apache.spark.ExceptionFailure f
                        ? f.className().substring(f.className().lastIndexOf('.') + 1) + ": " + f.description()
                        : String.valueOf(end.reason());
                err.printf(Locale.ROOT, "spark-predict: task %d attempt %d failed on %s: %s%n", end.taskInfo().index(),
                        end.taskInfo().attemptNumber(), end.taskInfo().host(), why.lines().findFirst().orElse(why));
            }
        });
    }

    void stop() {
        sc.removeSparkListener(running);
        thread.interrupt();
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
