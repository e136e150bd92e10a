package ovavss.studio.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import ovavss.studio.annotation.ClassSplit;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.LabelNames;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.model.Labelling;
import ovavss.studio.model.ObjectPrediction;

/**
 * Turns a {@link Labelling} of an analysed clip (or keyframe range) into project
 * {@link SoundingObject}s with provenance {@link Provenance#MODEL}, and merges them into a
 * {@link Clip} without touching human work.
 *
 * <p>Identity across windows: the segmenter's queries carry no identity from one window to the
 * next, so an object is "the r-th highest-scored object with label L": window 0's best
 * "red-circle" and window 1's best "red-circle" become one object. Masks depend only on the
 * query, never on the vocabulary, so they are cached per (window, query) and a relabel only
 * re-groups them.
 */
public final class AnalysisResults {
    /** Sound-head probability from which a model object counts as sounding at a keyframe. */
    public static final double SOUNDING_THRESHOLD = 0.5;
    /** Prefix of model object ids, so re-analysis can find and replace its own objects. */
    public static final String ID_PREFIX = "m-";

    private final int firstKeyframe;
    private final Map<Long, Mask[]> masks = new ConcurrentHashMap<>();

    /**
     * Summary of one object for the object list.
     *
     * @param id object id in the clip
     * @param label vocabulary name
     * @param score best ranking score over its keyframes
     * @param soundScore mean sound-head probability over its windows
     * @param keyframes keyframes with a mask, ascending
     * @param soundingKeyframes keyframes where it is sounding, ascending
     */
    public record Summary(String id, String label, double score, double soundScore, int[] keyframes,
                          int[] soundingKeyframes) {
    }

    /** Objects and their summaries, both in the same (score-descending) order. */
    public record Result(List<SoundingObject> objects, List<Summary> summaries) {
    }

    /** @param firstKeyframe global keyframe of the analysed range's keyframe 0 */
    public AnalysisResults(int firstKeyframe) {
        this.firstKeyframe = firstKeyframe;
    }

    public int firstKeyframe() {
        return firstKeyframe;
    }

    /**
     * Builds the model objects of a labelling.
     *
     * @param clipKeyframes keyframes of the project clip (frames past it are dropped)
     * @param width clip width (masks are resized when the source differs)
     * @param height clip height
     */
    public Result objects(Labelling l, int clipKeyframes, int width, int height) {
        Map<String, TreeMap<Integer, ObjectFrame>> frames = new LinkedHashMap<>();
        Map<String, String> labels = new HashMap<>();
        Map<String, double[]> stats = new HashMap<>(); // best score, sound sum, window count
        for (int w = 0; w < l.windowCount(); w++) {
            Map<String, Integer> rank = new HashMap<>();
            List<ObjectPrediction> preds = new ArrayList<>(l.objects(w));
            preds.sort((a, b) -> Float.compare(b.score(), a.score()));
            for (ObjectPrediction o : preds) {
                int r = rank.merge(o.label(), 1, Integer::sum);
                String id = ID_PREFIX + o.label() + (r > 1 ? "-" + r : "");
                Mask[] qm = masks(l, w, o, width, height);
                // SeAC and OpenAVS keep an object only where they judged it sounding
                SoundFlag flag = l.method() != ovavss.studio.model.AnalysisMethod.OVAVSS
                        || o.soundScore() >= SOUNDING_THRESHOLD ? SoundFlag.SOUNDING : SoundFlag.SILENT;
                double score = Math.max(0, Math.min(1, o.score()));
                int t0 = l.window(w).firstKeyframe();
                for (int k : o.keyframes()) {
                    int g = firstKeyframe + k;
                    Mask m = qm[k - t0];
                    if (g >= clipKeyframes || m == null || m.isEmpty()) {
                        continue;
                    }
                    frames.computeIfAbsent(id, x -> new TreeMap<>()).put(g, ObjectFrame.model(m, flag, score));
                }
                if (frames.containsKey(id)) {
                    labels.put(id, o.label());
                    double[] s = stats.computeIfAbsent(id, x -> new double[3]);
                    s[0] = Math.max(s[0], score);
                    s[1] += o.soundScore();
                    s[2] += 1;
                }
            }
        }
        List<String> ids = new ArrayList<>(frames.keySet());
        ids.sort((a, b) -> Double.compare(stats.get(b)[0], stats.get(a)[0]));
        List<SoundingObject> objects = new ArrayList<>();
        List<Summary> summaries = new ArrayList<>();
        for (String id : ids) {
            TreeMap<Integer, ObjectFrame> f = frames.get(id);
            objects.add(new SoundingObject(id, labels.get(id), 0, f));
            double[] s = stats.get(id);
            int[] kf = f.keySet().stream().mapToInt(Integer::intValue).toArray();
            int[] sounding = f.entrySet().stream().filter(e -> e.getValue().sound().isSounding())
                    .mapToInt(Map.Entry::getKey).toArray();
            summaries.add(new Summary(id, labels.get(id), s[0], s[1] / s[2], kf, sounding));
        }
        return new Result(List.copyOf(objects), List.copyOf(summaries));
    }

    /**
     * One row per object of {@code clip}, model and hand-made, in the clip's order: the best model
     * score over its frames (NaN when no frame came from the model), the sound-head probability
     * when this session computed it (NaN otherwise: the project does not keep it), its keyframes
     * and the sounding ones.
     */
    public static List<Summary> summarise(Clip clip, Map<String, Double> soundScores) {
        List<Summary> out = new ArrayList<>();
        for (SoundingObject o : clip.objects()) {
            double best = Double.NaN;
            for (ObjectFrame f : o.frames().values()) {
                if (f.provenance() == Provenance.MODEL) {
                    best = Double.isNaN(best) ? f.score() : Math.max(best, f.score());
                }
            }
            int[] kf = o.frames().keySet().stream().mapToInt(Integer::intValue).toArray();
            int[] sounding = o.frames().entrySet().stream().filter(e -> e.getValue().sound().isSounding())
                    .mapToInt(Map.Entry::getKey).toArray();
            out.add(new Summary(o.id(), o.label(), best, soundScores.getOrDefault(o.id(), Double.NaN), kf, sounding));
        }
        return out;
    }

    /** Masks of a query per window frame (null where the source frame is padding), cached. */
    private Mask[] masks(Labelling l, int w, ObjectPrediction o, int width, int height) {
        if (l.method() != ovavss.studio.model.AnalysisMethod.OVAVSS) {
            // SeAC's and OpenAVS's masks are the pixels each object won, which a vocabulary edit changes
            return objectMasks(l, w, o, width, height);
        }
        long key = ((long) l.window(w).index() << 32) | o.query();
        return masks.computeIfAbsent(key, k -> objectMasks(l, w, o, width, height));
    }

    private static Mask[] objectMasks(Labelling l, int w, ObjectPrediction o, int width, int height) {
        var a = l.window(w);
        boolean[][] bits = l.objectMasks(w, o);
        int sw = a.geometry().sourceWidth();
        int sh = a.geometry().sourceHeight();
        Mask[] out = new Mask[bits.length];
        for (int f = 0; f < Math.min(bits.length, a.realFrames()); f++) {
            Mask m = Mask.fromBitmap(bits[f], sw, sh);
            out[f] = (sw == width && sh == height) ? m : m.resizeNearest(width, height);
        }
        return out;
    }

    /**
     * Merges fresh model objects into a clip: model-only objects lose their frames inside
     * {@code [from, to)} (and disappear when nothing is left); objects with any human frame are
     * kept as they are, and a fresh object whose id they use gets a new id.
     */
    public static Clip merge(Clip clip, Collection<SoundingObject> fresh, int from, int to) {
        Clip c = clip;
        for (SoundingObject o : clip.objects()) {
            if (!isModelOnly(o)) {
                continue;
            }
            SoundingObject kept = o;
            for (int k : o.frames().keySet()) {
                if (k >= from && k < to) {
                    kept = kept.withFrame(k, null);
                }
            }
            c = kept.frames().isEmpty() ? c.withoutObject(o.id()) : c.withObject(kept);
        }
        for (SoundingObject o : fresh) {
            var existing = c.object(o.id());
            if (existing.isEmpty()) {
                c = c.withObject(o);
            } else if (isModelOnly(existing.get())) {
                TreeMap<Integer, ObjectFrame> f = new TreeMap<>(existing.get().frames());
                f.putAll(o.frames());
                c = c.withObject(new SoundingObject(o.id(), o.label(), o.zOrder(), f));
            } else {
                String id = o.id();
                for (int i = 2; c.object(id).isPresent(); i++) {
                    id = o.id() + "~" + i;
                }
                c = c.withObject(new SoundingObject(id, o.label(), o.zOrder(), o.frames()));
            }
        }
        return c;
    }

    /** True when every frame of the object came from the model (nothing a human would lose). */
    public static boolean isModelOnly(SoundingObject o) {
        return o.isModelOnly();
    }

    /**
     * The bundle's default vocabulary with display colours and base/novel tags, its names spelled
     * by {@link LabelNames} (names that spell the same become one class).
     */
    public static Vocabulary defaultVocabulary(List<String> names, Collection<String> base, Collection<String> novel,
                                               List<String> labelSpace) {
        List<VocabularyEntry> entries = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String raw : names) {
            String name = LabelNames.normalise(raw);
            if (!name.isEmpty() && seen.add(name)) {
                entries.add(entry(name, entries.size(), base, novel));
            }
        }
        return new Vocabulary(entries, labelSpace);
    }

    /**
     * A vocabulary entry for a name (spelled by {@link LabelNames}): colour from the name, BASE
     * when trained on, else NOVEL (when known); the model's lists match up to spelling.
     */
    public static VocabularyEntry entry(String name, int index, Collection<String> base, Collection<String> novel) {
        String n = LabelNames.normalise(name);
        ClassSplit split = base.stream().anyMatch(b -> LabelNames.same(b, n)) ? ClassSplit.BASE
                : novel.stream().anyMatch(x -> LabelNames.same(x, n)) || !base.isEmpty() ? ClassSplit.NOVEL
                : ClassSplit.UNTAGGED;
        return new VocabularyEntry(n, colourFor(n, index), null, split, List.of());
    }

    private static final Map<String, Integer> COLOUR_WORDS = Map.ofEntries(
            Map.entry("red", 0xE53935), Map.entry("green", 0x43A047), Map.entry("blue", 0x1E88E5),
            Map.entry("yellow", 0xFDD835), Map.entry("orange", 0xFB8C00), Map.entry("purple", 0x8E24AA),
            Map.entry("pink", 0xEC407A), Map.entry("cyan", 0x00ACC1), Map.entry("brown", 0x8D6E63),
            Map.entry("white", 0xF5F5F5), Map.entry("black", 0x424242), Map.entry("grey", 0x9E9E9E),
            Map.entry("gray", 0x9E9E9E));

    /**
     * A display colour: the colour a name mentions ("red-circle" → red) so overlays read
     * naturally, otherwise a golden-angle hue by position (distinct for neighbours).
     */
    public static int colourFor(String name, int index) {
        for (String part : name.toLowerCase(Locale.ROOT).split("[^a-z]+")) {
            Integer c = COLOUR_WORDS.get(part);
            if (c != null) {
                return c;
            }
        }
        double hue = (index * 137.508) % 360;
        return hsvToRgb(hue, 0.65, 0.95);
    }

    private static int hsvToRgb(double h, double s, double v) {
        double c = v * s;
        double x = c * (1 - Math.abs((h / 60) % 2 - 1));
        double m = v - c;
        double[] rgb = h < 60 ? new double[] {c, x, 0} : h < 120 ? new double[] {x, c, 0}
                : h < 180 ? new double[] {0, c, x} : h < 240 ? new double[] {0, x, c}
                : h < 300 ? new double[] {x, 0, c} : new double[] {c, 0, x};
        int r = (int) Math.round((rgb[0] + m) * 255);
        int g = (int) Math.round((rgb[1] + m) * 255);
        int b = (int) Math.round((rgb[2] + m) * 255);
        return (r << 16) | (g << 8) | b;
    }

    /** Distinct names in order, for relabelling (the vocabulary forbids duplicates already). */
    public static List<String> names(Vocabulary v) {
        return v.entries().stream().map(VocabularyEntry::name).toList();
    }

    /** What the model is asked, in vocabulary order ({@link VocabularyEntry#prompt}). */
    public static List<String> prompts(Vocabulary v) {
        return v.entries().stream().map(VocabularyEntry::prompt).toList();
    }

    /** Model objects labelled with prompts, relabelled with the names of the classes those prompts belong to. */
    public static Result named(Result r, List<String> prompts, List<String> names) {
        Map<String, String> nameOf = new HashMap<>();
        for (int i = 0; i < prompts.size(); i++) {
            nameOf.putIfAbsent(prompts.get(i), names.get(i));
        }
        if (prompts.equals(names)) {
            return r;
        }
        List<SoundingObject> objects = new ArrayList<>();
        for (SoundingObject o : r.objects()) {
            objects.add(o.withLabel(nameOf.getOrDefault(o.label(), o.label())));
        }
        List<Summary> summaries = new ArrayList<>();
        for (Summary s : r.summaries()) {
            summaries.add(new Summary(s.id(), nameOf.getOrDefault(s.label(), s.label()), s.score(), s.soundScore(),
                    s.keyframes(), s.soundingKeyframes()));
        }
        return new Result(List.copyOf(objects), List.copyOf(summaries));
    }
}
