package ovavss.studio.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Both tokenizers against golden ids from independent Python references. */
class TokenizerTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny");
    private static final Path DEMO_GOLDEN = Path.of("src/test/resources/golden/demo");

    @Test
    void fnv1aKnownVectors() {
        assertEquals(0x811c9dc5L, HashedNgramTokenizer.fnv1a(""));
        assertEquals(0xe40c292cL, HashedNgramTokenizer.fnv1a("a"));
        assertEquals(0xbf9cf968L, HashedNgramTokenizer.fnv1a("foobar"));
    }

    private static long[] row(int len, long... head) {
        return Arrays.copyOf(head, len);
    }

    @Test
    void hashedNgramHandCheckedCases() {
        HashedNgramTokenizer t = new HashedNgramTokenizer(64);
        // computed with a separate Python implementation of the spec
        assertArrayEquals(row(64, 1, 2141, 5536, 1804, 590, 7625, 4197, 4211, 2450, 6275, 6548, 5021, 2),
                t.encode("Red circle"));
        assertArrayEquals(row(64, 1, 579, 3505, 7126, 2038, 2), t.encode("a-b"));
        assertArrayEquals(row(64, 1, 7423, 5460, 7710, 3862, 5863, 5690, 5441, 6545, 3758, 1795, 2),
                t.encode("Ünïcode x"));
        assertArrayEquals(row(64, 1, 2), t.encode(""));
        assertArrayEquals(row(64, 1, 149, 3253, 4729, 2), t.encode("ab"));
        // "w:a" = 3 + fnv1a("w:a") mod 8189 by hand: 69795423 mod 8189 = 576
        assertEquals(579, HashedNgramTokenizer.featureId("w:a"));
        long[] longRow = t.encode(String.join(" ", java.util.Collections.nCopies(20, "word")));
        assertEquals(2, longRow[63], "truncation keeps the end token");
        assertEquals(7029, longRow[62]);
        assertTrue(Arrays.stream(longRow).noneMatch(x -> x == 0));
    }

    @Test
    void hashedNgramMatchesDemoGoldenWhenPresent() throws IOException {
        if (!Files.isDirectory(DEMO_GOLDEN)) {
            return; // the Python side writes these; the hand-checked cases above always run
        }
        try (Stream<Path> files = Files.list(DEMO_GOLDEN)) {
            for (Path f : files.filter(p -> p.getFileName().toString().contains("token")
                    && p.toString().endsWith(".json")).toList()) {
                JsonNode root = new ObjectMapper().readTree(f.toFile());
                JsonNode cases = root.has("cases") ? root.get("cases") : root;
                int ctx = root.path("context_length").asInt(64);
                HashedNgramTokenizer t = new HashedNgramTokenizer(ctx);
                int checked = 0;
                for (JsonNode c : cases) {
                    long[] ids = new ObjectMapper().convertValue(c.get("ids"), long[].class);
                    assertArrayEquals(ids, t.encode(c.get("text").asText()), f + ": " + c.get("text"));
                    checked++;
                }
                assertTrue(checked > 0, f + " has no cases");
            }
        }
    }

    @Test
    void clipBpeMatchesPythonReference() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(TINY.resolve("tokenizer_golden.json").toFile());
        int ctx = golden.get("context_length").asInt();
        ClipBpeTokenizer t = ClipBpeTokenizer.load(TINY.resolve("tokenizer/merges.txt"), ctx);
        int n = 0;
        for (JsonNode c : golden.get("cases")) {
            long[] ids = new ObjectMapper().convertValue(c.get("ids"), long[].class);
            assertArrayEquals(ids, t.encode(c.get("text").asText()), "text: " + c.get("text").asText());
            n++;
        }
        assertEquals(8, n);
        // layout: 512 byte symbols, merges, then start/end
        assertEquals(t.startToken() + 1, t.endToken());
        long[] empty = t.encode("");
        assertEquals(t.startToken(), empty[0]);
        assertEquals(t.endToken(), empty[1]);
    }

    @Test
    void clipBpeByteFallbackAndTruncation() throws Exception {
        ClipBpeTokenizer t = ClipBpeTokenizer.load(TINY.resolve("tokenizer/merges.txt"), 8);
        long[] ids = t.encode("zzzz zzzz zzzz");
        assertEquals(8, ids.length);
        assertEquals(t.endToken(), ids[7]);
        // 'z' is byte 0x7A → symbol id 0x7A − '!' (printable bytes come first in the table)
        assertEquals('z' - '!', ids[1]);
    }

    /**
     * CLIP's basic_clean and whitespace_clean on user-typed names: NFD accents, Unicode spaces,
     * entities escaped once and twice, curly quotes, ligatures, full-width forms, non-Latin scripts
     * and the literal special tokens (models/golden/tokenizer_clean_golden.py).
     */
    @Test
    void clipBpeCleansTextAsClipDoes() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(
                Path.of("src/test/resources/golden/tokenizer_clean.json").toFile());
        int ctx = golden.get("context_length").asInt();
        ClipBpeTokenizer t = ClipBpeTokenizer.load(TINY.resolve("tokenizer/merges.txt"), ctx);
        int n = 0;
        for (JsonNode c : golden.get("cases")) {
            String text = c.get("text").asText();
            assertEquals(c.get("clean").asText(), ClipTextClean.clean(text), "clean: " + text);
            long[] ids = new ObjectMapper().convertValue(c.get("ids"), long[].class);
            assertArrayEquals(ids, t.encode(text), "ids: " + text);
            n++;
        }
        assertTrue(n >= 15, "cases: " + n);
    }
}
