package ovavss.studio.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;

/** Turns a prompt into the fixed-length token id row the bundle's text graph expects. */
interface TextTokenizer {
    /** L, the row length. */
    int contextLength();

    /** Token ids of one prompt, exactly {@link #contextLength()} long, zero-padded. */
    long[] encode(String text);

    /**
     * The tokenizer a bundle declares in {@code clip.tokenizer}: {@code clip-bpe} (with a
     * {@code merges} file in the bundle) or {@code hashed-ngram/1}.
     */
    static TextTokenizer fromManifest(Path bundleDir, JsonNode spec, int contextLength) throws BundleException {
        String type = spec.path("type").asText();
        switch (type) {
            case "clip-bpe": {
                String merges = spec.path("merges").asText("");
                if (merges.isEmpty()) {
                    throw new BundleException("bundle.json: clip.tokenizer of type clip-bpe needs 'merges'");
                }
                return ClipBpeTokenizer.load(bundleDir.resolve(merges), contextLength);
            }
            case "hashed-ngram/1": {
                int vocab = spec.path("vocab_size").asInt(HashedNgramTokenizer.VOCAB_SIZE);
                if (vocab != HashedNgramTokenizer.VOCAB_SIZE) {
                    throw new BundleException("bundle.json: hashed-ngram/1 vocab_size must be "
                            + HashedNgramTokenizer.VOCAB_SIZE + ", got " + vocab);
                }
                int ctx = spec.path("context_length").asInt(contextLength);
                return new HashedNgramTokenizer(ctx);
            }
            default:
                throw new BundleException("bundle.json: unknown tokenizer type '" + type
                        + "' (known: clip-bpe, hashed-ngram/1)");
        }
    }
}
