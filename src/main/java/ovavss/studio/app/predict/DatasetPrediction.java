package ovavss.studio.app.predict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ovavss.studio.files.OutputTargets;
import ovavss.studio.files.StagedFolder;
import ovavss.studio.media.MediaException;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.Progress;

/**
 * The predict use case: runs a model bundle over a video, an AVSBench clip folder or a whole
 * AVSBench tree and writes, per clip, AVSBench-semantic label maps ({@code labels_semantic/k.png}
 * grey index, {@code labels_rgb/k.png} palette colours; class c of the vocabulary is written as c+1)
 * and {@code predictions.json} with every kept object and its scores. Output mirrors
 * {@code <subset>/<uid>/} under the output folder ({@code video/<stem>/} for a file). Clips are
 * analysed in order with the next ones decoded ahead, so the model never waits for an opening.
 */
public final class DatasetPrediction {
    /**
     * What to predict.
     *
     * @param input a video file, an AVSBench clip folder or an AVSBench root
     * @param out the output folder
     * @param vocabulary the names to label with, or null for the bundle's own
     * @param threshold the score threshold, or null for the bundle's
     * @param soundGate multiply scores by the sound head's score (not the official path)
     * @param shardIndex with {@code shardCount}: every n-th clip starting at i (0 <= i < n)
     * @param split with an AVSBench root: only the clips of this metadata.csv split, or null for all
     * @param force write into an existing non-empty output folder (each clip's files replaced)
     * @param allowSilent analyse clips without an audio stream as silence instead of refusing them
     * @param method the analysis method, or null for OV-AVSS
     */
    public record Request(Path input, Path out, List<String> vocabulary, Float threshold, boolean soundGate,
                          int shardIndex, int shardCount, String split, boolean force, boolean allowSilent,
                          AnalysisMethod method) {
        /** An OV-AVSS request. */
        public Request(Path input, Path out, List<String> vocabulary, Float threshold, boolean soundGate,
                       int shardIndex, int shardCount, String split, boolean force, boolean allowSilent) {
            this(input, out, vocabulary, threshold, soundGate, shardIndex, shardCount, split, force, allowSilent, null);
        }

        public Request {
            if (threshold != null && !(threshold >= 0f && threshold <= 1f)) {
                throw new PredictionException("--threshold must be a score between 0 and 1, got " + threshold);
            }
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new PredictionException("the shard must be i/n with 0 <= i < n, got " + shardIndex + "/" + shardCount);
            }
            if (vocabulary != null && vocabulary.isEmpty()) {
                throw new PredictionException("the vocabulary is empty");
            }
            vocabulary = vocabulary == null ? null : List.copyOf(vocabulary);
        }
    }

    /** Hears how a run goes; called on the caller's thread, in clip order. */
    public interface Listener {
        /** Progress inside clip {@code index} (window by window). */
        default void progress(int index, Path clip, Progress p) {
        }

        /** Clip {@code index} was written with {@code objects} kept objects. */
        default void written(int index, Path clip, int objects) {
        }

        /** Clip {@code index} could not be analysed or written; the run goes on with the next. */
        default void failed(int index, Path clip, Throwable failure) {
        }
    }

    /** What a run did. */
    public record Summary(int clips, int failures) {
    }

    private final Request request;
    private final List<PredictionInputs.Clip> all;
    private final List<PredictionInputs.Clip> mine;

    private DatasetPrediction(Request request, List<PredictionInputs.Clip> all, List<PredictionInputs.Clip> mine) {
        this.request = request;
        this.all = all;
        this.mine = mine;
    }

    /**
     * Finds the clips of {@code request} (the split filter, then this shard's share).
     *
     * @throws PredictionException when there is nothing to predict or the split cannot be read
     */
    public static DatasetPrediction plan(Request request) throws IOException {
        List<PredictionInputs.Clip> clips = PredictionInputs.find(request.input(), request.split());
        try {
            OutputTargets.checkFolder(request.out(), request.force() ? OutputTargets.Existing.WRITE_INTO
                    : OutputTargets.Existing.REFUSE_UNLESS_FORCED, Map.of("the input", request.input()));
        } catch (IllegalArgumentException e) {
            throw new PredictionException("--out: " + e.getMessage());
        }
        if (clips.size() == 1 && clips.get(0).media().equals(request.input())) {
            // one clip: its problems are the input's, told before the model loads and nothing is written
            checkOpens(request.input(), request.allowSilent());
        }
        List<PredictionInputs.Clip> mine = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            if (i % request.shardCount() == request.shardIndex()) {
                mine.add(clips.get(i));
            }
        }
        return new DatasetPrediction(request, List.copyOf(clips), List.copyOf(mine));
    }

    /**
     * Checks that one clip opens with a video stream, and with an audio stream unless
     * {@code allowSilent}.
     *
     * @throws PredictionException saying what is wrong with it
     */
    public static void checkOpens(Path clip, boolean allowSilent) {
        MediaInfo info;
        try {
            info = MediaOpener.probe(clip);
        } catch (MediaException e) {
            throw new PredictionException(e.getMessage());
        }
        if (!info.hasVideo()) {
            throw new PredictionException(clip + " has no video stream to analyse");
        }
        if (!info.hasAudio() && !allowSilent) {
            throw new PredictionException(clip + " has no audio stream; add --allow-silent to analyse it as silence");
        }
    }

    /** Clips found before sharding. */
    public List<PredictionInputs.Clip> allClips() {
        return all;
    }

    /** What was asked. */
    public Request request() {
        return request;
    }

    /** This shard's clips, in the order they are analysed. */
    public List<Path> clips() {
        return mine.stream().map(PredictionInputs.Clip::media).toList();
    }

    /** The names the run labels with: the request's, else the bundle's. */
    public List<String> vocabulary(ModelBundle bundle) {
        return request.vocabulary() != null ? request.vocabulary() : bundle.manifest().defaultVocabulary();
    }

    /**
     * Analyses and writes every clip of this shard with {@code service}; a clip that fails is
     * reported to the listener and the run goes on. The output is built beside {@code out} and
     * moved into place at the end (unless every clip failed or the run was cancelled: then nothing
     * is left).
     */
    public Summary run(InferenceService service, Listener listener, Cancellation cancel) throws Exception {
        try (StagedFolder staging = StagedFolder.beside(request.out(), "predict")) {
            Summary summary = run(staging.path(), service, listener, cancel);
            cancel.check();
            if (summary.failures() < summary.clips()) {
                staging.commit();
            }
            return summary;
        }
    }

    private Summary run(Path into, InferenceService service, Listener listener, Cancellation cancel) throws Exception {
        List<String> names = vocabulary(service.bundle());
        PostProcessSettings settings = ClipLabeller.settings(service, request.threshold(), request.soundGate());
        List<Path> media = clips();
        int[] failures = {0};
        AnalysisMethod method = ClipLabeller.method(service, request.method());
        ClipLabeller.run(service, method, media, request.allowSilent(), names, settings,
                i -> p -> listener.progress(i, media.get(i), p), cancel, (i, l, failure) -> {
                    if (failure != null) {
                        failures[0]++;
                        listener.failed(i, media.get(i), failure);
                        return;
                    }
                    try {
                        PredictionWriter.write(into.resolve(mine.get(i).key()), l, names, settings, false);
                    } catch (IOException e) {
                        failures[0]++;
                        listener.failed(i, media.get(i), e);
                        return;
                    }
                    listener.written(i, media.get(i), l.allObjects().size());
                });
        return new Summary(mine.size(), failures[0]);
    }

    /**
     * Reads a vocabulary file: one name per line, blank lines and {@code #} comments skipped,
     * repeats dropped.
     *
     * @throws PredictionException when the file cannot be read or holds no name
     */
    public static List<String> readVocabulary(Path file) {
        List<String> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new PredictionException("cannot read the vocabulary file " + file + ": " + e.getMessage());
        }
        for (String line : lines) {
            String n = line.strip();
            if (!n.isEmpty() && !n.startsWith("#") && !out.contains(n)) {
                out.add(n);
            }
        }
        if (out.isEmpty()) {
            throw new PredictionException(file + ": no vocabulary names");
        }
        return out;
    }
}
