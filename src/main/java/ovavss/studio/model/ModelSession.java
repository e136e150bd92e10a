package ovavss.studio.model;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import java.util.Arrays;
import java.util.List;

/**
 * The predictors of one bundle, owned by exactly one thread (DJL predictors are not
 * thread-safe). Inputs and outputs are plain Java arrays; each call frees its native memory.
 */
final class ModelSession implements AutoCloseable {
    /** CLIP crops per image-encoder call, bounding native memory for frames with many objects. */
    private static final int IMAGE_CHUNK = 64;

    private final ModelBundle bundle;
    private final BundleManifest m;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> audio;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> segmenter;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> image;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> text;
    /** The methods' own graphs; null where the bundle does not declare the method that needs them. */
    private final Predictor<HostTensor.Batch, HostTensor.Batch> proposer;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> associationAudio;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> associationMask;
    private final Predictor<HostTensor.Batch, HostTensor.Batch> audioText;

    ModelSession(ModelBundle bundle) {
        this.bundle = bundle;
        this.m = bundle.manifest();
        this.audio = bundle.model("audio_encoder.pt").newPredictor();
        this.segmenter = bundle.model("segmenter.pt").newPredictor();
        this.image = bundle.model("clip_image.pt").newPredictor();
        this.text = bundle.model("clip_text.pt").newPredictor();
        this.proposer = optional("proposer.pt");
        this.associationAudio = optional("association_audio.pt");
        this.associationMask = optional("association_mask.pt");
        this.audioText = optional("audio_text.pt");
    }

    private Predictor<HostTensor.Batch, HostTensor.Batch> optional(String graph) {
        var model = bundle.model(graph);
        return model == null ? null : model.newPredictor();
    }

    private static Predictor<HostTensor.Batch, HostTensor.Batch> needed(
            Predictor<HostTensor.Batch, HostTensor.Batch> p, String graph) {
        if (p == null) {
            throw new InferenceException("this bundle has no " + graph + " (its methods do not need it)");
        }
        return p;
    }

    /** A [rows, D] output of a method graph; D is whatever the graph makes, checked for consistency. */
    private static float[] rows(HostTensor.Batch out, String graph, int rows) {
        long[] shape = out.get(0).shape();
        if (shape.length != 2 || shape[0] != rows || shape[1] < 1) {
            throw new InferenceException(graph + " returned shape " + Arrays.toString(shape) + ", expected [" + rows
                    + ", D]");
        }
        return out.get(0).floats();
    }

    /**
     * Normalised, padded frames [T,3,Hp,Wp] → objectness [Q,2] and masks [Q,T,Hp/s,Wp/s] (no audio),
     * s = 4, 2 or 1, read from the returned shape.
     */
    public SegmenterOutput propose(float[] frames, int hp, int wp) {
        int t = m.framesPerClip();
        HostTensor.Batch out = run(needed(proposer, "proposer.pt"), "proposer.pt", HostTensor.of(frames, t, 3, hp, wp));
        if (out.size() != 2) {
            throw new InferenceException("proposer.pt returned " + out.size() + " outputs, expected (objectness, masks)");
        }
        expectShape("proposer.pt objectness", out.get(0), m.queries(), 2);
        long[] shape = out.get(1).shape();
        for (int s : WindowGeometry.MASK_STRIDES) {
            if (Arrays.equals(shape, new long[] {m.queries(), t, hp / s, wp / s})) {
                return new SegmenterOutput(out.get(0).floats(), out.get(1).floats(), s);
            }
        }
        throw new InferenceException("proposer.pt mask_logits returned shape " + Arrays.toString(shape)
                + ", bundle.json implies [" + m.queries() + ", " + t + ", " + hp + "/s, " + wp + "/s] with s 4, 2 or 1");
    }

    /**
     * SeAC: a window's log-mel examples, one per second [n,1,96,64] → association vectors [n,D],
     * L2-normalised (the graph holds its own frozen audio backbone).
     */
    public float[] associateAudio(float[] logMel, int n) {
        HostTensor.Batch out = run(needed(associationAudio, "association_audio.pt"), "association_audio.pt",
                HostTensor.of(logMel, n, 1, 96, 64));
        return rows(out, "association_audio.pt", n);
    }

    /** SeAC: mask features [k,Dclip] → association vectors [k,D], L2-normalised. k = 0 gives an empty array. */
    public float[] associateMasks(float[] features, int k) {
        if (k == 0) {
            return new float[0];
        }
        HostTensor.Batch out = run(needed(associationMask, "association_mask.pt"), "association_mask.pt",
                HostTensor.of(features, k, m.clipEmbeddingDim()));
        return rows(out, "association_mask.pt", k);
    }

    /** OpenAVS: log-mel examples [n,1,96,64] → vectors in the CLIP text space [n,Dclip], L2-normalised. */
    public float[] audioText(float[] logMel, int n) {
        HostTensor.Batch out = run(needed(audioText, "audio_text.pt"), "audio_text.pt",
                HostTensor.of(logMel, n, 1, 96, 64));
        expectShape("audio_text.pt", out.get(0), n, m.clipEmbeddingDim());
        return out.get(0).floats();
    }

    /** The segmenter's two outputs. */
    /**
     * Query scores [Q,2] and mask logits [Q,T,Hp/s,Wp/s].
     *
     * @param maskStride s: 4 for the segmenter; a proposer that refines its masks by the frame (the
     *                   demo's does) returns them at full resolution, s = 1
     */
    public record SegmenterOutput(float[] soundLogits, float[] maskLogits, int maskStride) {
        public SegmenterOutput(float[] soundLogits, float[] maskLogits) {
            this(soundLogits, maskLogits, 4);
        }
    }

    private static HostTensor.Batch run(Predictor<HostTensor.Batch, HostTensor.Batch> p, String graph,
                                        HostTensor... in) {
        try {
            return p.predict(HostTensor.Batch.of(in));
        } catch (TranslateException e) {
            throw new InferenceException(graph + " failed on " + Arrays.toString(in) + ": " + e.getMessage(), e);
        }
    }

    private static void expectShape(String graph, HostTensor t, long... shape) {
        if (!Arrays.equals(t.shape(), shape)) {
            throw new InferenceException(graph + " returned shape " + Arrays.toString(t.shape()) + ", bundle.json implies "
                    + Arrays.toString(shape));
        }
    }

    /** VGGish-style log-mel examples [n,1,96,64] → embeddings [n,E]. */
    public float[] embedAudio(float[] logMel, int n) {
        HostTensor.Batch out = run(audio, "audio_encoder.pt", HostTensor.of(logMel, n, 1, 96, 64));
        expectShape("audio_encoder.pt", out.get(0), n, m.audioEmbeddingDim());
        return out.get(0).floats();
    }

    /** Normalised, padded frames [T,3,Hp,Wp] and audio [T,E] → sound [Q,2] and masks [Q,T,Hp/4,Wp/4]. */
    public SegmenterOutput segment(float[] frames, int hp, int wp, float[] audioEmb) {
        int t = m.framesPerClip();
        HostTensor.Batch out = run(segmenter, "segmenter.pt", HostTensor.of(frames, t, 3, hp, wp),
                HostTensor.of(audioEmb, t, m.audioEmbeddingDim()));
        if (out.size() != 2) {
            throw new InferenceException("segmenter.pt returned " + out.size() + " outputs, expected (sound_logits, mask_logits)");
        }
        expectShape("segmenter.pt sound_logits", out.get(0), m.queries(), 2);
        expectShape("segmenter.pt mask_logits", out.get(1), m.queries(), t, hp / 4, wp / 4);
        return new SegmenterOutput(out.get(0).floats(), out.get(1).floats());
    }

    /** CLIP-normalised crops [K,3,R,R] → raw embeddings [K,D], in chunks. K = 0 gives an empty array. */
    public float[] encodeImages(float[] crops, int k) {
        int r = m.clipInputSize();
        int d = m.clipEmbeddingDim();
        int per = 3 * r * r;
        float[] out = new float[k * d];
        for (int s = 0; s < k; s += IMAGE_CHUNK) {
            int n = Math.min(IMAGE_CHUNK, k - s);
            float[] chunk = Arrays.copyOfRange(crops, s * per, (s + n) * per);
            HostTensor.Batch res = run(image, "clip_image.pt", HostTensor.of(chunk, n, 3, r, r));
            expectShape("clip_image.pt", res.get(0), n, d);
            System.arraycopy(res.get(0).floats(), 0, out, s * d, n * d);
        }
        return out;
    }

    /** Token rows [P,L] → raw text embeddings [P,D]. */
    public float[] encodeTokens(long[] tokens, int p) {
        HostTensor.Batch res = run(text, "clip_text.pt", HostTensor.ofLongs(tokens, p, m.contextLength()));
        expectShape("clip_text.pt", res.get(0), p, m.clipEmbeddingDim());
        return res.get(0).floats();
    }

    /** Prompt-ensembled, L2-normalised text embedding [D] of one vocabulary name. */
    public float[] textEmbedding(String name) {
        List<String> prompts = bundle.prompts(name);
        int l = m.contextLength();
        long[] tokens = new long[prompts.size() * l];
        for (int i = 0; i < prompts.size(); i++) {
            System.arraycopy(bundle.tokenizer().encode(prompts.get(i)), 0, tokens, i * l, l);
        }
        return ClipScoring.ensemble(encodeTokens(tokens, prompts.size()), prompts.size(), m.clipEmbeddingDim());
    }

    /** One call of every graph at the smallest real input size; throws when a shape is off. */
    void dryRun() {
        int side = FrameOps.padTo(m.minSize(), m.sizeDivisibility());
        warmUp(side, side);
        encodeImages(new float[3 * m.clipInputSize() * m.clipInputSize()], 1);
        textEmbedding("object");
        int t = m.framesPerClip();
        if (proposer != null) {
            propose(new float[t * 3 * side * side], side, side);
        }
        if (associationAudio != null) {
            int d = associateAudio(new float[t * 96 * 64], t).length / t;
            int d2 = associateMasks(new float[m.clipEmbeddingDim()], 1).length;
            if (d != d2) {
                throw new InferenceException("association_audio.pt makes " + d + "-d vectors but association_mask.pt "
                        + d2 + "-d");
            }
        }
        if (audioText != null) {
            audioText(new float[t * 96 * 64], t);
        }
    }

    /** Runs the audio encoder and the segmenter once at a padded frame size (the real input shape). */
    public void warmUp(int paddedHeight, int paddedWidth) {
        int t = m.framesPerClip();
        float[] emb = embedAudio(new float[t * 96 * 64], t);
        segment(new float[t * 3 * paddedHeight * paddedWidth], paddedHeight, paddedWidth, emb);
    }

    public ModelBundle bundle() {
        return bundle;
    }

    @Override
    public void close() {
        audio.close();
        segmenter.close();
        image.close();
        text.close();
        for (var p : java.util.Arrays.asList(proposer, associationAudio, associationMask, audioText)) {
            if (p != null) {
                p.close();
            }
        }
    }
}
