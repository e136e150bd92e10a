package ovavss.studio.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.app.predict.DatasetPrediction;
import ovavss.studio.app.predict.PredictionException;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.BundleException;
import ovavss.studio.model.DevicePreference;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.ModelBundle;
import ovavss.studio.model.Precision;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code predict}: the face of {@link DatasetPrediction}: parses, prints progress per clip, exits 0 / 1 (some clips failed) / 2 (bad input). */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = {"Segment sounding objects with an OV-AVSS model bundle.",
            "Input: a video file, an AVSBench clip folder (frames/, audio.wav) or an AVSBench root "
                + "(<root>/<subset>/<uid>/frames). Output mirrors <subset>/<uid>/ under --out."})
public final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "video file, AVSBench clip folder or AVSBench dataset root")
    Path input;

    @Option(names = "--model", description = "model bundle folder, or the name of an installed or imported bundle "
            + "(default: the one chosen with `bundles default` or Model › Bundles, else the installed demo)")
    String model;

    @Option(names = "--out", required = true, description = "output directory")
    Path out;

    @Option(names = "--vocab", description = "vocabulary file, one name per line (default: the bundle's)")
    Path vocab;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu (default: ${DEFAULT-VALUE})")
    String device;

    @Option(names = "--precision", defaultValue = "fp32", description = "fp32, or fp16: the bundle's float16 graphs, "
            + "as the official test runs (needs a CUDA GPU and a bundle with fp16 graphs; otherwise fp32 runs, "
            + "with a warning) (default: ${DEFAULT-VALUE})")
    String precision;

    @Option(names = "--threshold", description = "score threshold (default: the bundle's, 0.3)")
    Float threshold;

    @Option(names = "--sound-gate", description = "multiply scores by the sound head's score (not the official path)")
    boolean soundGate;

    @Option(names = "--shard", defaultValue = "0/1", description = "i/n: process every n-th clip starting at i")
    String shard;

    @Option(names = "--split", description = "with an AVSBench root: only clips whose metadata.csv split is this (e.g. test)")
    String split;

    @Option(names = "--force", description = "write into an existing non-empty --out folder")
    boolean force;

    @Option(names = "--allow-silent", description = "analyse clips without an audio stream as silence")
    boolean allowSilent;

    @Option(names = "--method", defaultValue = "ovavss", description = "ovavss, seac or openavs: one of the bundle's "
            + "analysis methods (`bundles` lists them) (default: ${DEFAULT-VALUE})")
    String method;

    @Override
    public Integer call() throws Exception {
        DatasetPrediction plan;
        ModelBundle bundle;
        try {
            int[] sh = parseShard(shard);
            List<String> names = vocab == null ? null : DatasetPrediction.readVocabulary(vocab);
            AnalysisMethod m = AnalysisMethod.parse(method);
            plan = DatasetPrediction.plan(new DatasetPrediction.Request(input, out, names, threshold, soundGate,
                    sh[0], sh[1], split, force, allowSilent, m));
            BundleLibrary bundles = BundleLibrary.standard();
            bundle = ModelBundle.load(model != null ? bundles.resolve(model) : bundles.defaultBundle(),
                    DevicePreference.parse(device), Precision.parse(precision));
        } catch (PredictionException | IllegalArgumentException e) {
            System.err.println("predict: " + e.getMessage());
            return 2;
        } catch (BundleException e) {
            System.err.println("cannot use model: " + e.getMessage());
            return 2;
        }
        try {
            bundle.manifest().requireMethod(plan.request().method());
        } catch (BundleException e) {
            System.err.println("cannot use model: " + e.getMessage());
            bundle.close();
            return 2;
        }
        List<Path> mine = plan.clips();
        bundle.precisionNote().ifPresent(note -> WarningLines.print(System.err, List.of(note)));
        System.err.printf(Locale.ROOT, "predict: %d clip(s) (shard %s of %d), %d names, device %s, precision %s%n",
                mine.size(), shard, plan.allClips().size(), plan.vocabulary(bundle).size(), bundle.deviceName(),
                bundle.precision().id());
        IntFunction<String> tagOf = i -> String.format(Locale.ROOT, "[%d/%d] %s", i + 1, mine.size(),
                mine.get(i).getFileName());
        DatasetPrediction.Summary summary;
        long t0 = System.nanoTime();
        try (InferenceService service = new InferenceService(bundle)) {
            summary = plan.run(service, new DatasetPrediction.Listener() {
                @Override
                public void progress(int index, Path clip, Progress p) {
                    System.err.printf(Locale.ROOT, "\r%s %s   ", tagOf.apply(index), p.message());
                }

                @Override
                public void written(int index, Path clip, int objects) {
                    System.err.printf(Locale.ROOT, "\r%s: %d object(s)%n", tagOf.apply(index), objects);
                }

                @Override
                public void failed(int index, Path clip, Throwable failure) {
                    System.err.printf(Locale.ROOT, "\r%s: FAILED: %s%n", tagOf.apply(index), failure.getMessage());
                }
            }, new Cancellation());
        } finally {
            bundle.close();
        }
        System.err.printf(Locale.ROOT, "predict: done in %.1f s, %d failure(s)%n", (System.nanoTime() - t0) / 1e9,
                summary.failures());
        return summary.failures() == 0 ? 0 : 1;
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
}
