package ovavss.studio.app.predict;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.FileTrees;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;

/**
 * The predict use case for runs that are retried, speculated and re-run (the Spark job's tasks):
 * the same analysis, labelling and writer as {@code predict}, but every clip is committed on its
 * own. A clip's folder is built beside its destination and moved into place, then a record
 * {@code _done/<clip>.json} (its settings and its objects' masks) is written; a clip with a record
 * made with the same bundle and settings, and its folder in place, is skipped. Two attempts at one
 * clip (a retry racing a straggler, or speculation) write the same files, and the last move wins.
 * A clip that fails becomes a {@link Status#FAILED} outcome and the others go on.
 */
public final class ResumablePrediction {
    /** Folder of the completion records under the output root (Spark and Hadoop skip '_' names). */
    public static final String DONE_FOLDER = "_done";

    /**
     * What to predict with.
     *
     * @param vocabulary the names to label with, or null for the bundle's
     * @param threshold the score threshold, or null for the bundle's
     * @param soundGate multiply scores by the sound head's score
     * @param allowSilent analyse clips without audio as silence
     * @param overwrite predict clips again even when their outputs are complete
     * @param method the analysis method, or null for OV-AVSS
     */
    public record Settings(List<String> vocabulary, Float threshold, boolean soundGate, boolean allowSilent,
                           boolean overwrite, AnalysisMethod method) {
        /** OV-AVSS settings. */
        public Settings(List<String> vocabulary, Float threshold, boolean soundGate, boolean allowSilent,
                        boolean overwrite) {
            this(vocabulary, threshold, soundGate, allowSilent, overwrite, null);
        }

        public Settings {
            vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
        }
    }

    /** What became of a clip. */
    public enum Status {
        /** Analysed and written by this run. */
        PREDICTED,
        /** Complete from an earlier run with the same bundle and settings. */
        SKIPPED,
        /** Could not be analysed or written; {@code reason} says why. */
        FAILED
    }

    /**
     * One clip's outcome.
     *
     * @param clip the clip
     * @param status what happened
     * @param reason why it failed (one line), else null
     * @param objects kept objects
     * @param masks its objects' masks per keyframe (empty when failed)
     */
    public record Outcome(PredictionInputs.Clip clip, Status status, String reason, int objects,
                          List<PredictedMask> masks) {
    }

    /** Hears a run's clips; exceptions it throws end the run (the Spark face uses that to fail fast). */
    public interface Listener {
        /** The clip's folder is complete in staging and about to be moved into place. */
        default void staged(PredictionInputs.Clip clip) throws Exception {
        }

        /** A clip is done, whatever its status. */
        default void finished(Outcome outcome) throws Exception {
        }
    }

    /** What a completion record holds: the run's signature and the clip's objects. */
    record DoneRecord(Signature signature, int objects, List<PredictedMask> masks) {
    }

    /**
     * What makes two runs' outputs the same: the bundle (its {@code bundle.json} hash), the
     * precision and the labelling settings.
     */
    record Signature(String bundleSha256, String precision, List<String> vocabulary, float scoreThreshold,
                     boolean soundGate, String method) {
    }

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path out;
    private final Settings settings;

    /**
     * @param out the output root (clip folders at {@code out/<clip key>})
     * @param settings the run's settings
     */
    public ResumablePrediction(Path out, Settings settings) {
        this.out = out;
        this.settings = settings;
    }

    /** Where a clip's completion record goes. */
    public static Path doneRecord(Path out, PredictionInputs.Clip clip) {
        return out.resolve(DONE_FOLDER).resolve(clip.key() + ".json");
    }

    /**
     * Predicts {@code clips} with {@code service} in order (the next ones decoded ahead), skipping
     * the complete ones unless {@link Settings#overwrite()}.
     *
     * @return one outcome per clip, in input order
     */
    public List<Outcome> run(InferenceService service, List<PredictionInputs.Clip> clips, Listener listener,
                             Cancellation cancel) throws Exception {
        List<String> names = settings.vocabulary() != null ? settings.vocabulary()
                : service.bundle().manifest().defaultVocabulary();
        PostProcessSettings post = ClipLabeller.settings(service, settings.threshold(), settings.soundGate());
        AnalysisMethod method = ClipLabeller.method(service, settings.method());
        Signature signature = new Signature(service.bundle().sha256(), service.bundle().precision().id(), names,
                post.scoreThreshold(), post.soundGate(), method.id());
        Outcome[] outcomes = new Outcome[clips.size()];
        List<Integer> todo = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            DoneRecord done = settings.overwrite() ? null : completed(clips.get(i), signature);
            if (done != null) {
                outcomes[i] = new Outcome(clips.get(i), Status.SKIPPED, null, done.objects(), done.masks());
                listener.finished(outcomes[i]);
            } else {
                todo.add(i);
            }
        }
        List<Path> media = todo.stream().map(i -> clips.get(i).media()).toList();
        ClipLabeller.run(service, method, media, settings.allowSilent(), names, post, i -> ProgressSink.NONE, cancel,
                (j, labelling, failure) -> {
                    int i = todo.get(j);
                    PredictionInputs.Clip clip = clips.get(i);
                    Outcome o;
                    if (failure != null) {
                        o = failed(clip, failure);
                    } else {
                        try (StagedFolder staging = StagedFolder.beside(out.resolve(clip.key()), "predict")) {
                            List<PredictedMask> masks = PredictionWriter.write(staging.path(), labelling, names, post,
                                    true);
                            listener.staged(clip);
                            moveIntoPlace(staging.path(), out.resolve(clip.key()));
                            int objects = labelling.allObjects().size();
                            byte[] record = JSON.writeValueAsBytes(new DoneRecord(signature, objects, masks));
                            Path recordFile = doneRecord(out, clip);
                            Files.createDirectories(recordFile.getParent());
                            // not forced to disk, as the clip's own files are not: a power cut costs a
                            // re-run of the clip at worst, and a sync per clip costs the job ~10%
                            AtomicFiles.write(recordFile, record, false);
                            o = new Outcome(clip, Status.PREDICTED, null, objects, masks);
                        } catch (IOException e) {
                            o = failed(clip, e);
                        }
                    }
                    outcomes[i] = o;
                    listener.finished(o);
                });
        return List.copyOf(Arrays.asList(outcomes));
    }

    private static Outcome failed(PredictionInputs.Clip clip, Throwable failure) {
        String why = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
        return new Outcome(clip, Status.FAILED, why.lines().findFirst().orElse(why), 0, List.of());
    }

    /** The clip's record when its outputs are complete and were made with {@code signature}, else null. */
    private DoneRecord completed(PredictionInputs.Clip clip, Signature signature) {
        Path record = doneRecord(out, clip);
        if (!Files.isRegularFile(record)
                || !Files.isRegularFile(out.resolve(clip.key()).resolve(PredictionWriter.PREDICTIONS_JSON))) {
            return null;
        }
        try {
            DoneRecord done = JSON.readValue(record.toFile(), new TypeReference<DoneRecord>() { });
            return signature.equals(done.signature()) ? done : null;
        } catch (IOException e) {
            // unreadable record (a disk problem, an older format): predict the clip again
            return null;
        }
    }

    /**
     * Moves a finished clip folder over its destination: in one step when there is none; else the
     * old one is first moved aside (a concurrent attempt may do the same; whichever move comes last
     * leaves its own, identical, folder in place).
     */
    private static void moveIntoPlace(Path staged, Path dest) throws IOException {
        for (int tries = 0; ; tries++) {
            try {
                Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
                return;
            } catch (FileSystemException e) {
                if (!Files.exists(dest) || tries >= 10) {
                    throw e;
                }
            }
            Path old = dest.resolveSibling("." + dest.getFileName() + ".replaced-" + UUID.randomUUID());
            try {
                Files.move(dest, old, StandardCopyOption.ATOMIC_MOVE);
                FileTrees.delete(old);
            } catch (NoSuchFileException gone) {
                // another attempt moved it first
            }
        }
    }
}
