package ovavss.studio.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.sql.Row;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import ovavss.studio.app.predict.PredictionInputs;
import ovavss.studio.app.predict.ResumablePrediction;
import ovavss.studio.model.InferenceService;
import ovavss.studio.task.Cancellation;

/**
 * One Spark task: predicts its partition's clips on the executor's model with
 * {@link ResumablePrediction}, returns their rows of the predictions table and adds one
 * {@link ClipResult} per clip to the job's outcomes. A clip that fails is an outcome, not a task
 * failure, unless the job fails fast; a task that dies (an executor lost, an
 * injected failure) leaves no clip half-written and is simply run again.
 */
final class PartitionPredictor implements FlatMapFunction<Iterator<ClipRef>, Row> {
    private static final long serialVersionUID = 1L;

    private final JobSettings settings;
    private final LongAccumulator predicted;
    private final LongAccumulator skipped;
    private final LongAccumulator failed;
    private final CollectionAccumulator<ClipResult> outcomes;

    PartitionPredictor(JobSettings settings, LongAccumulator predicted, LongAccumulator skipped,
                       LongAccumulator failed, CollectionAccumulator<ClipResult> outcomes) {
        this.settings = settings;
        this.predicted = predicted;
        this.skipped = skipped;
        this.failed = failed;
        this.outcomes = outcomes;
    }

    /** Stops the job at the first failed clip (--fail-fast). */
    static final class FailFastException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FailFastException(String message) {
            super(message);
        }
    }

    @Override
    public Iterator<Row> call(Iterator<ClipRef> refs) throws Exception {
        List<PredictionInputs.Clip> clips = new ArrayList<>();
        refs.forEachRemaining(r -> clips.add(r.clip()));
        if (clips.isEmpty()) {
            return List.<Row>of().iterator();
        }
        TaskContext task = TaskContext.get();
        InferenceService service = ExecutorModels.service(settings, assignedGpu(task));
        String sha = service.bundle().sha256();
        ResumablePrediction run = new ResumablePrediction(Path.of(settings.out()), settings.predictionSettings());
        List<ResumablePrediction.Outcome> done = run.run(service, clips, new ResumablePrediction.Listener() {
            @Override
            public void staged(PredictionInputs.Clip clip) {
                if (clip.key().equals(settings.failOnceBeforeCommit()) && task != null && task.attemptNumber() == 0) {
                    throw new IllegalStateException("injected failure before committing " + clip.key());
                }
            }

            @Override
            public void finished(ResumablePrediction.Outcome o) {
                switch (o.status()) {
                    case PREDICTED -> predicted.add(1);
                    case SKIPPED -> skipped.add(1);
                    case FAILED -> {
                        failed.add(1);
                        if (settings.failFast()) {
                            throw new FailFastException("clip " + o.clip().key() + " failed: " + o.reason());
                        }
                    }
                }
            }
        }, new Cancellation());
        List<Row> out = new ArrayList<>();
        for (ResumablePrediction.Outcome o : done) {
            outcomes.add(new ClipResult(o.clip().key(), o.clip().media().toString(), o.status().name(), o.reason(),
                    o.objects()));
            out.addAll(PredictionTables.rows(o.clip().key(), o.masks(), sha));
        }
        return out.iterator();
    }

    /**
     * The CUDA device Spark's GPU scheduling gave this task (its first address), else 0: with
     * {@code spark.task.resource.gpu.amount} set, tasks see their executor's GPU addresses.
     */
    static int assignedGpu(TaskContext task) {
        if (task == null) {
            return 0;
        }
        Map<String, ResourceInformation> resources = task.resourcesJMap();
        ResourceInformation gpu = resources == null ? null : resources.get("gpu");
        if (gpu == null || gpu.addresses().length == 0) {
            return 0;
        }
        try {
            return Integer.parseInt(gpu.addresses()[0].trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Spark assigned GPU address '" + gpu.addresses()[0]
                    + "', not a CUDA device index", e);
        }
    }
}
