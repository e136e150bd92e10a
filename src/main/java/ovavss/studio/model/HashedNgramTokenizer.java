package ovavss.studio.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo bundle's tokenizer {@code hashed-ngram/1}: words of ASCII [a-z0-9] and any non-ASCII
 * code point (ASCII upper case folded), each emitting the feature {@code "w:"+word} and then
 * every code-point trigram of {@code "<"+word+">"} as {@code "t:"+trigram}; a feature's id is
 * {@code 3 + FNV-1a-32(UTF-8 bytes) mod 8189}. Rows are {@code [1] + ids + [2]}, truncated to
 * keep the end token, zero-padded.
 */
final class HashedNgramTokenizer implements TextTokenizer {
    public static final int VOCAB_SIZE = 8192;
    public static final int PAD = 0;
    public static final int START = 1;
    public static final int END = 2;

    private final int contextLength;

    public HashedNgramTokenizer(int contextLength) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2");
        }
        this.contextLength = contextLength;
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    /** FNV-1a 32-bit over the UTF-8 bytes of {@code s}, as an unsigned value. */
    static long fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x01000193;
        }
        return h & 0xFFFFFFFFL;
    }

    static int featureId(String feature) {
        return 3 + (int) (fnv1a(feature) % (VOCAB_SIZE - 3));
    }

    /** The feature ids of a text, without start/end tokens. */
    static List<Integer> features(String text) {
        List<Integer> ids = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i <= cps.length; i++) {
            int cp = i < cps.length ? cps[i] : ' ';
            if (cp >= 'A' && cp <= 'Z') {
                cp = cp - 'A' + 'a';
            }
            boolean wordChar = (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp > 0x7F;
            if (wordChar && i < cps.length) {
                word.appendCodePoint(cp);
            } else if (word.length() > 0) {
                String w = word.toString();
                ids.add(featureId("w:" + w));
                int[] b = ("<" + w + ">").codePoints().toArray();
                for (int j = 0; j + 3 <= b.length; j++) {
                    ids.add(featureId("t:" + new String(b, j, 3)));
                }
                word.setLength(0);
            }
        }
        return ids;
    }

    @Override
    public long[] encode(String text) {
        List<Integer> f = features(text);
        long[] out = new long[contextLength];
        out[0] = START;
        int n = Math.min(f.size(), contextLength - 2);
        for (int i = 0; i < n; i++) {
            out[1 + i] = f.get(i);
        }
        out[1 + n] = END;
        return out;
    }
}
