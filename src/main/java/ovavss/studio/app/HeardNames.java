package ovavss.studio.app;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import ovavss.studio.audio.VggishLogMel;
import ovavss.studio.model.AnalysisMethod;
import ovavss.studio.model.InferenceService;
import ovavss.studio.model.MethodSettings;
import ovavss.studio.pcm.PcmSource;
import ovavss.studio.task.Cancellation;

/**
 * "What do I hear?": for every second of a clip's audio, the names the bundle's audio–text tower
 * (OpenAVS's first step) scores highest among the candidates, so that annotators can name sounds
 * before they draw. Scores are sigmoid(scale · cos(audio, text) + bias), as OpenAVS computes its
 * prompts; a name above the bundle's prompt threshold is one OpenAVS would look for in the picture.
 */
public final class HeardNames {
    /** Longest audio heard (longer media: the first hour), as the onset suggestions. */
    public static final double MAX_SECONDS = AudioSuggestions.MAX_SECONDS;

    private HeardNames() {
    }

    /**
     * One candidate name heard in one second.
     *
     * @param name the vocabulary name
     * @param score its score in (0, 1)
     * @param prompt true when the score passes the bundle's prompt threshold
     */
    public record Name(String name, float score, boolean prompt) {
    }

    /** The top names of one second (starting at {@code second} seconds), best first. */
    public record Second(int second, List<Name> names) {
    }

    /** True when the loaded bundle has an audio–text tower. */
    public static boolean available(InferenceService service) {
        return service.bundle().manifest().methods().contains(AnalysisMethod.OPENAVS);
    }

    /**
     * Hears {@code audio} (one second per VGGish example) and ranks {@code candidates} per second.
     *
     * @param top names kept per second
     * @throws java.util.concurrent.CancellationException when cancelled
     */
    public static List<Second> hear(InferenceService service, PcmSource audio, List<String> candidates, int top,
                                    Cancellation cancel) {
        if (candidates.isEmpty()) {
            return List.of();
        }
        MethodSettings ms = service.bundle().manifest().method(AnalysisMethod.OPENAVS);
        float[][][] examples = VggishLogMel.examples(audio);
        if (examples.length > MAX_SECONDS) {
            examples = java.util.Arrays.copyOf(examples, (int) MAX_SECONDS);
        }
        cancel.check();
        float[][] heard = service.hear(examples);
        cancel.check();
        float[][] text = service.vocabulary().textEmbeddings(candidates);
        List<Second> out = new ArrayList<>(heard.length);
        for (int s = 0; s < heard.length; s++) {
            List<Name> names = new ArrayList<>(candidates.size());
            for (int c = 0; c < candidates.size(); c++) {
                float cos = 0;
                for (int j = 0; j < heard[s].length; j++) {
                    cos += heard[s][j] * text[c][j];
                }
                float score = ms.promptScore(cos);
                names.add(new Name(candidates.get(c), score, score > ms.promptThreshold()));
            }
            names.sort(Comparator.comparingDouble(Name::score).reversed());
            out.add(new Second(s, List.copyOf(names.subList(0, Math.min(top, names.size())))));
        }
        return out;
    }
}
