package ovavss.studio.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** How the job sizes its tasks when the user does not: one task per executor, bounded partitions. */
class JobSettingsDefaultsTest {
    @Test
    void anExecutorsCoresComeFromTheLocalMasterOrTheSubmittedSettings() {
        SparkConf none = new SparkConf(false);
        assertEquals(2, SparkPredictJob.executorCores("local[2]", none));
        assertEquals(4, SparkPredictJob.executorCores("local[4,3]", none));
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkPredictJob.executorCores("local[*,3]", none));
        assertEquals(1, SparkPredictJob.executorCores("local", none));
        assertEquals(0, SparkPredictJob.executorCores("yarn", none), "unknown: Spark's own default stands");
        assertEquals(8, SparkPredictJob.executorCores("spark://head:7077",
                new SparkConf(false).set("spark.executor.cores", "8")));
    }

    @Test
    void partitionsAreOnePerTaskSlotAndNoneTooLarge() {
        // local[2] with spark.task.cpus=2: one slot, one long task
        assertEquals(1, SparkPredictJob.defaultPartitions(50, 2, 2));
        // 100 executors of 8 cores, one task each
        assertEquals(100, SparkPredictJob.defaultPartitions(11_356, 800, 8));
        // a large set on few slots is cut so that no task holds more than the cap
        assertEquals(400, SparkPredictJob.defaultPartitions(200_000, 16, 8));
        assertEquals(3, SparkPredictJob.defaultPartitions(3, 800, 8), "never more partitions than clips");
    }
}
