package ovavss.studio.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ovavss.studio.audio.VggishLogMel;

/**
 * The parsed {@code bundle.json} of a model bundle (MODEL_BUNDLE.md), validated field by field
 * so that a broken manifest is refused with a message naming the key.
 */
public final class BundleManifest {
    /** The only format this app reads. */
    public static final String FORMAT = "ovavss-bundle/1";
    /** The manifest's file name in a bundle folder. */
    public static final String FILE = "bundle.json";

    /** The four graphs every bundle carries. */
    public static final List<String> GRAPHS = List.of("audio_encoder.pt", "segmenter.pt", "clip_image.pt",
            "clip_text.pt");

    /*
     * Limits on the declared sizes, checked before anything is allocated from them; each is far
     * above what published models use (T = 5 or 10 frames, 100 to 200 queries, 224 or 336 CLIP
     * input, 77 tokens, 1,024 pixels) and far below what exhausts memory.
     */
    public static final int MAX_FRAMES_PER_CLIP = 64;
    public static final int MAX_QUERIES = 1_000;
    public static final int MAX_IMAGE_SIZE = 4_096;
    public static final int MAX_EMBEDDING_DIM = 16_384;
    public static final int MAX_CLIP_INPUT_SIZE = 1_024;
    public static final int MAX_CONTEXT_LENGTH = 1_024;

    private final String name;
    private final int framesPerClip;
    private final int queries;
    private final int minSize;
    private final int maxSize;
    private final int sizeDivisibility;
    private final float[] mean;
    private final float[] std;
    private final int sampleRate;
    private final int audioEmbeddingDim;
    private final int clipInputSize;
    private final int clipEmbeddingDim;
    private final int contextLength;
    private final float temperature;
    private final float[] clipMean;
    private final float[] clipStd;
    private final JsonNode tokenizer;
    private final List<String> templates;
    private final PostProcessSettings postprocess;
    private final List<String> defaultVocabulary;
    private final List<String> baseVocabulary;
    private final List<String> novelVocabulary;
    private final JsonNode metrics;
    private final Map<String, String> sha256;
    /** Graph name → file, for each precision the bundle lists under "precisions" (fp32 is implicit). */
    private final Map<Precision, Map<String, String>> precisions;
    /** The methods beside OV-AVSS the bundle declares, with their constants. */
    private final Map<AnalysisMethod, MethodSettings> methods;

    private BundleManifest(JsonNode root) throws BundleException {
        String format = text(root, "format");
        if (!FORMAT.equals(format)) {
            throw new BundleException("bundle.json: unsupported format '" + format + "' (this app reads " + FORMAT + ")");
        }
        name = root.path("name").asText("unnamed");
        framesPerClip = positive(root, "frames_per_clip", MAX_FRAMES_PER_CLIP);
        queries = positive(root, "queries", MAX_QUERIES);
        JsonNode image = object(root, "image");
        minSize = positive(image, "min_size", MAX_IMAGE_SIZE);
        maxSize = positive(image, "max_size", MAX_IMAGE_SIZE);
        sizeDivisibility = positive(image, "size_divisibility", MAX_IMAGE_SIZE);
        if (sizeDivisibility % 4 != 0) {
            throw new BundleException("bundle.json: image.size_divisibility must be a multiple of 4 (masks are at 1/4)");
        }
        mean = floats(image, "mean", 3);
        std = floats(image, "std", 3);
        String order = image.path("order").asText("RGB");
        if (!order.equals("RGB")) {
            throw new BundleException("bundle.json: image.order '" + order + "' not supported (only RGB)");
        }
        JsonNode audio = object(root, "audio");
        sampleRate = positive(audio, "sample_rate", Integer.MAX_VALUE);
        // the app computes the VGGish front end itself: a bundle expecting another one would get wrong inputs
        expect(audio, "sample_rate", VggishLogMel.SAMPLE_RATE);
        expect(audio, "mel_bins", VggishLogMel.MEL_BANDS);
        audioEmbeddingDim = positive(audio, "embedding_dim", MAX_EMBEDDING_DIM);
        JsonNode clip = object(root, "clip");
        clipInputSize = positive(clip, "input_size", MAX_CLIP_INPUT_SIZE);
        clipEmbeddingDim = positive(clip, "embedding_dim", MAX_EMBEDDING_DIM);
        contextLength = positive(clip, "context_length", MAX_CONTEXT_LENGTH);
        temperature = (float) clip.path("temperature").asDouble(100.0);
        clipMean = floats(clip, "mean", 3);
        clipStd = floats(clip, "std", 3);
        tokenizer = object(clip, "tokenizer");
        text(tokenizer, "type");
        templates = strings(clip, "templates");
        if (templates.isEmpty() || templates.stream().anyMatch(t -> !t.contains("{}"))) {
            throw new BundleException("bundle.json: clip.templates must be non-empty and each contain '{}'");
        }
        JsonNode pp = object(root, "postprocess");
        String square = pp.path("square_crop").asText("top-left-anchored");
        if (!square.equals("top-left-anchored")) {
            throw new BundleException("bundle.json: postprocess.square_crop '" + square + "' not supported");
        }
        JsonNode vocab = object(root, "vocabulary");
        defaultVocabulary = strings(vocab, "default");
        baseVocabulary = vocab.has("base") ? strings(vocab, "base") : List.of();
        novelVocabulary = vocab.has("novel") ? strings(vocab, "novel") : List.of();
        postprocess = new PostProcessSettings((float) pp.path("valid_mask_prob").asDouble(0.5),
                pp.path("top_k").asInt(10), (float) pp.path("score_threshold").asDouble(0.3),
                (float) pp.path("mask_logit_threshold").asDouble(0.0), clipInputSize, temperature, clipMean, clipStd,
                false, calibration(pp, "postprocess", baseVocabulary));
        metrics = root.path("metrics");
        JsonNode sha = object(root, "sha256");
        sha256 = new LinkedHashMap<>();
        sha.fields().forEachRemaining(e -> sha256.put(e.getKey(), e.getValue().asText()));
        for (String g : GRAPHS) {
            if (!sha256.containsKey(g)) {
                throw new BundleException("bundle.json: sha256 has no entry for " + g);
            }
        }
        precisions = precisions(root.get("precisions"), sha256);
        methods = methods(root.get("methods"), sha256, baseVocabulary);
    }

    /**
     * The optional {@code methods} object: {@code {"seac": {...}, "openavs": {...}}}, each with the
     * {@code graphs} it needs (those of {@link AnalysisMethod#graphs}, each with a sha256 entry), its
     * {@code proposals} ({@code min_objectness}, {@code top}) and its own constants. OV-AVSS is
     * implicit (an {@code "ovavss"} entry is allowed and ignored); methods this app does not know are
     * skipped, so a newer bundle still loads; a bundle without the object offers OV-AVSS alone.
     */
    private static Map<AnalysisMethod, MethodSettings> methods(JsonNode node, Map<String, String> sha256,
                                                               List<String> baseVocabulary)
            throws BundleException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BundleException("bundle.json: 'methods' must be an object");
        }
        Map<AnalysisMethod, MethodSettings> out = new java.util.EnumMap<>(AnalysisMethod.class);
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            AnalysisMethod m;
            try {
                m = AnalysisMethod.parse(e.getKey());
            } catch (IllegalArgumentException unknown) {
                continue;
            }
            if (m == AnalysisMethod.OVAVSS) {
                continue;
            }
            String at = "methods." + m.id();
            JsonNode spec = e.getValue();
            if (!spec.isObject()) {
                throw new BundleException("bundle.json: " + at + " must be an object");
            }
            List<String> graphs = strings(spec, "graphs");
            for (String g : m.graphs()) {
                if (!graphs.contains(g)) {
                    throw new BundleException("bundle.json: " + at + ".graphs must list " + g);
                }
                if (!sha256.containsKey(g)) {
                    throw new BundleException("bundle.json: " + at + ": " + g + " has no sha256 entry");
                }
            }
            JsonNode prop = object(spec, "proposals");
            float minObjectness = unit(prop, at + ".proposals", "min_objectness", 0.5);
            int top = prop.path("top").asInt(50);
            if (top < 1 || top > MAX_QUERIES) {
                throw new BundleException("bundle.json: " + at + ".proposals.top must be 1 to " + MAX_QUERIES);
            }
            float lambda = Float.NaN;
            float sigma = Float.NaN;
            float blur = Float.NaN;
            float threshold = Float.NaN;
            float scale = Float.NaN;
            float bias = Float.NaN;
            if (m == AnalysisMethod.SEAC) {
                lambda = unit(spec, at, "lambda_local", 0.6);
                sigma = unit(spec, at, "sigma", 0.9);
                blur = (float) spec.path("blur_sigma").asDouble(2.0);
                if (!(blur > 0 && blur <= 64)) {
                    throw new BundleException("bundle.json: " + at + ".blur_sigma must be in (0, 64]");
                }
            } else {
                threshold = unit(spec, at, "prompt_threshold", 0.5);
                scale = finite(spec, at, "prompt_scale");
                bias = finite(spec, at, "prompt_bias");
            }
            ProposalNaming naming = ProposalNaming.defaultFor(m);
            JsonNode namingNode = spec.get("naming");
            if (namingNode != null) {
                try {
                    String id = namingNode.isTextual() ? namingNode.asText() : namingNode.toString();
                    naming = ProposalNaming.parse(id);
                } catch (IllegalArgumentException bad) {
                    throw new BundleException("bundle.json: " + at + ".naming: " + bad.getMessage());
                }
                if (naming == ProposalNaming.FEATURES && m != AnalysisMethod.SEAC) {
                    throw new BundleException("bundle.json: " + at + ".naming: 'features' are SeAC's mask features;"
                            + " use crop or window_crops");
                }
            }
            MaskPooling pooling = null;
            float silenceDb = Float.NaN;
            float heardNaming = 0f;
            float heardGate = 0f;
            if (m == AnalysisMethod.SEAC) {
                JsonNode gate = spec.get("silence_db");
                if (gate != null) {
                    if (!gate.isNumber() || !(gate.asDouble() >= -100 && gate.asDouble() <= 0)) {
                        throw new BundleException("bundle.json: " + at + ".silence_db must be a level from -100 to 0 dBFS");
                    }
                    silenceDb = (float) gate.asDouble();
                }
                JsonNode heard = spec.get("heard_naming");
                if (heard != null) {
                    if (!heard.isNumber() || !(heard.asDouble() >= 0 && heard.asDouble() <= 10)) {
                        throw new BundleException("bundle.json: " + at + ".heard_naming must be a weight from 0 to 10");
                    }
                    heardNaming = (float) heard.asDouble();
                }
                JsonNode heardGateNode = spec.get("heard_gate");
                if (heardGateNode != null) {
                    if (!heardGateNode.isNumber() || !(heardGateNode.asDouble() >= 0 && heardGateNode.asDouble() < 1)) {
                        throw new BundleException("bundle.json: " + at + ".heard_gate must be a score from 0 to below 1");
                    }
                    heardGate = (float) heardGateNode.asDouble();
                }
                if (heardNaming > 0 || heardGate > 0) {
                    // the names are heard by the audio–text tower, scored as OpenAVS scores its prompts
                    if (!graphs.contains("audio_text.pt") || !sha256.containsKey("audio_text.pt")) {
                        throw new BundleException("bundle.json: " + at + ".heard_naming and heard_gate need audio_text.pt in "
                                + at + ".graphs, with a sha256 entry");
                    }
                    scale = finite(spec, at, "prompt_scale");
                    bias = finite(spec, at, "prompt_bias");
                }
                JsonNode poolingNode = spec.get("mask_pooling");
                try {
                    pooling = poolingNode == null ? MaskPooling.FRAME : MaskPooling.parse(
                            poolingNode.isTextual() ? poolingNode.asText() : poolingNode.toString());
                } catch (IllegalArgumentException bad) {
                    throw new BundleException("bundle.json: " + at + ".mask_pooling: " + bad.getMessage());
                }
            }
            out.put(m, new MethodSettings(m, minObjectness, top, lambda, sigma, blur, threshold, scale, bias, naming,
                    calibration(spec, at, baseVocabulary), pooling, silenceDb, heardNaming, heardGate));
        }
        return Map.copyOf(out);
    }

    /** A section's optional {@code base_calibration} γ over the bundle's base vocabulary. */
    private static NameCalibration calibration(JsonNode section, String at, List<String> baseVocabulary)
            throws BundleException {
        float gamma = unit(section, at, "base_calibration", 0.0);
        if (gamma > 0 && baseVocabulary.isEmpty()) {
            throw new BundleException("bundle.json: " + at + ".base_calibration lowers the base names, but"
                    + " vocabulary.base lists none");
        }
        return gamma > 0 ? NameCalibration.of(gamma, baseVocabulary) : NameCalibration.NONE;
    }

    private static float unit(JsonNode n, String at, String key, double fallback) throws BundleException {
        JsonNode v = n.get(key);
        double d = v == null ? fallback : v.isNumber() ? v.asDouble() : Double.NaN;
        if (!(d >= 0 && d <= 1)) {
            throw new BundleException("bundle.json: " + at + "." + key + " must be a number from 0 to 1");
        }
        return (float) d;
    }

    private static float finite(JsonNode n, String at, String key) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw new BundleException("bundle.json: " + at + "." + key + " must be a number");
        }
        return (float) v.asDouble();
    }

    /**
     * The optional {@code precisions} object: {@code {"fp16": {"graphs": {graph: file}, "how": ..., "check": ...}}}.
     * Each listed graph must be one of {@link #GRAPHS}, and each file relative, inside the bundle
     * and checked by a sha256 entry (so {@link ModelBundle#verify} covers it). A graph a precision
     * does not list runs its fp32 file. Precisions this app does not know are skipped, so a newer
     * bundle still loads; "how" and "check" are free text for people.
     */
    private static Map<Precision, Map<String, String>> precisions(JsonNode node, Map<String, String> sha256)
            throws BundleException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw new BundleException("bundle.json: 'precisions' must be an object");
        }
        Map<Precision, Map<String, String>> out = new java.util.EnumMap<>(Precision.class);
        for (var it = node.fields(); it.hasNext(); ) {
            var e = it.next();
            Precision p;
            try {
                p = Precision.parse(e.getKey());
            } catch (IllegalArgumentException unknown) {
                continue;
            }
            String at = "precisions." + e.getKey();
            if (p == Precision.FP32) {
                throw new BundleException("bundle.json: " + at + ": fp32 graphs are the bundle's own files, not listed here");
            }
            JsonNode graphs = e.getValue().get("graphs");
            if (graphs == null || !graphs.isObject() || graphs.isEmpty()) {
                throw new BundleException("bundle.json: " + at + ".graphs must be an object naming at least one graph");
            }
            Map<String, String> files = new LinkedHashMap<>();
            for (var g = graphs.fields(); g.hasNext(); ) {
                var f = g.next();
                if (!GRAPHS.contains(f.getKey())) {
                    throw new BundleException("bundle.json: " + at + ".graphs: '" + f.getKey() + "' is not a graph"
                            + " of a bundle (" + String.join(", ", GRAPHS) + ")");
                }
                if (!f.getValue().isTextual() || f.getValue().asText().isBlank()) {
                    throw new BundleException("bundle.json: " + at + ".graphs." + f.getKey() + " must be a file name");
                }
                String file = f.getValue().asText();
                if (!insideBundle(file)) {
                    throw new BundleException("bundle.json: " + at + ".graphs." + f.getKey() + " '" + file
                            + "' points outside the bundle");
                }
                if (!sha256.containsKey(file)) {
                    throw new BundleException("bundle.json: " + at + ".graphs." + f.getKey() + " '" + file
                            + "' has no sha256 entry");
                }
                files.put(f.getKey(), file);
            }
            out.put(p, Map.copyOf(files));
        }
        return Map.copyOf(out);
    }

    /** A relative path that stays inside the bundle folder once normalised. */
    private static boolean insideBundle(String file) {
        try {
            Path p = Path.of(file);
            Path n = p.normalize();
            return !p.isAbsolute() && p.getRoot() == null && !n.toString().isEmpty() && !n.startsWith("..");
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** Reads and validates {@code dir/bundle.json}. */
    public static BundleManifest read(Path dir) throws BundleException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new BundleException(dir + ": not a model bundle (no bundle.json)");
        }
        try {
            return new BundleManifest(new ObjectMapper().readTree(file.toFile()));
        } catch (IOException e) {
            throw new BundleException(file + ": not valid JSON (" + ovavss.studio.files.Messages.oneLine(e) + ")", e);
        }
    }

    private static JsonNode object(JsonNode n, String key) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.isObject()) {
            throw new BundleException("bundle.json: missing object '" + key + "'");
        }
        return v;
    }

    private static String text(JsonNode n, String key) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new BundleException("bundle.json: missing string '" + key + "'");
        }
        return v.asText();
    }

    private static int positive(JsonNode n, String key, int max) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.canConvertToInt() || v.asInt() <= 0) {
            throw new BundleException("bundle.json: '" + key + "' must be a positive integer");
        }
        if (v.asInt() > max) {
            throw new BundleException("bundle.json: '" + key + "' is " + v.asInt() + "; the limit is " + max);
        }
        return v.asInt();
    }

    /** A key that, when present, must hold the one value the app computes. */
    private static void expect(JsonNode n, String key, int value) throws BundleException {
        JsonNode v = n.get(key);
        if (v != null && (!v.canConvertToInt() || v.asInt() != value)) {
            throw new BundleException("bundle.json: '" + key + "' is " + v + "; this app's audio front end"
                    + " (VGGish log-mel) computes " + value);
        }
    }

    private static float[] floats(JsonNode n, String key, int len) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.isArray() || v.size() != len) {
            throw new BundleException("bundle.json: '" + key + "' must be an array of " + len + " numbers");
        }
        float[] out = new float[len];
        for (int i = 0; i < len; i++) {
            out[i] = (float) v.get(i).asDouble();
        }
        return out;
    }

    private static List<String> strings(JsonNode n, String key) throws BundleException {
        JsonNode v = n.get(key);
        if (v == null || !v.isArray()) {
            throw new BundleException("bundle.json: '" + key + "' must be an array of strings");
        }
        List<String> out = new ArrayList<>();
        v.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }

    public String name() {
        return name;
    }

    public int framesPerClip() {
        return framesPerClip;
    }

    public int queries() {
        return queries;
    }

    public int minSize() {
        return minSize;
    }

    public int maxSize() {
        return maxSize;
    }

    public int sizeDivisibility() {
        return sizeDivisibility;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int audioEmbeddingDim() {
        return audioEmbeddingDim;
    }

    public int clipInputSize() {
        return clipInputSize;
    }

    public int clipEmbeddingDim() {
        return clipEmbeddingDim;
    }

    public int contextLength() {
        return contextLength;
    }

    public float temperature() {
        return temperature;
    }

    /** The {@code clip.tokenizer} object (type plus type-specific keys). */
    public JsonNode tokenizer() {
        return tokenizer;
    }

    public List<String> templates() {
        return templates;
    }

    public PostProcessSettings postprocess() {
        return postprocess;
    }

    public List<String> defaultVocabulary() {
        return defaultVocabulary;
    }

    public List<String> baseVocabulary() {
        return baseVocabulary;
    }

    public List<String> novelVocabulary() {
        return novelVocabulary;
    }

    /** The {@code metrics} object as written by the exporter (may be empty). */
    public JsonNode metrics() {
        return metrics;
    }

    /** File (relative to the bundle) → expected lower-case hex SHA-256. */
    public Map<String, String> sha256() {
        return Map.copyOf(sha256);
    }

    /** True when the bundle carries graphs for {@code p} (always for fp32). */
    public boolean has(Precision p) {
        return p == Precision.FP32 || precisions.containsKey(p);
    }

    /**
     * The file (relative to the bundle) of one of {@link #allGraphs} at a precision: the listed
     * variant, else the graph's own fp32 file (the only one the methods' own graphs have).
     */
    public String graphFile(String graph, Precision p) {
        if (!GRAPHS.contains(graph)) {
            // the methods' own graphs have fp32 files only
            if (allGraphs().contains(graph)) {
                return graph;
            }
            throw new IllegalArgumentException("not a bundle graph: " + graph);
        }
        return precisions.getOrDefault(p, Map.of()).getOrDefault(graph, graph);
    }

    /** The methods this bundle offers: OV-AVSS first, then those it declares. */
    public List<AnalysisMethod> methods() {
        List<AnalysisMethod> out = new ArrayList<>();
        out.add(AnalysisMethod.OVAVSS);
        for (AnalysisMethod m : AnalysisMethod.values()) {
            if (methods.containsKey(m)) {
                out.add(m);
            }
        }
        return List.copyOf(out);
    }

    /** Refuses a method the bundle does not offer, naming those it does (null: OV-AVSS, always offered). */
    public void requireMethod(AnalysisMethod m) throws BundleException {
        if (m != null && !methods().contains(m)) {
            throw new BundleException("bundle '" + name + "' does not offer " + m.label() + " (it offers "
                    + AnalysisMethod.idsOf(methods()) + ")");
        }
    }

    /** The constants of a declared proposer-based method; fails for OV-AVSS or an undeclared one. */
    public MethodSettings method(AnalysisMethod m) {
        MethodSettings s = methods.get(m);
        if (s == null) {
            throw new IllegalArgumentException("this bundle does not offer " + m.label() + " (it offers "
                    + AnalysisMethod.idsOf(methods()) + ")");
        }
        return s;
    }

    /** Every graph file the bundle's methods need: the four of {@link #GRAPHS}, then the methods' own. */
    public List<String> allGraphs() {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>(GRAPHS);
        for (AnalysisMethod m : methods()) {
            out.addAll(m.graphs());
        }
        return List.copyOf(out);
    }

    /** Grid geometry of a source frame size under this bundle's image settings. */
    public WindowGeometry geometry(int sourceHeight, int sourceWidth) {
        return WindowGeometry.of(framesPerClip, sourceHeight, sourceWidth, minSize, maxSize, sizeDivisibility);
    }
}
