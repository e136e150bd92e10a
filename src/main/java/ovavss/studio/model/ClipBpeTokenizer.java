package ovavss.studio.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * CLIP's byte-level BPE tokenizer over a merges file (plain or {@code .gz}, first line a header),
 * behaving like {@code clip.tokenize(text, truncate=True)}: cleaned and lower-cased, CLIP's pre-tokenisation pattern, bytes mapped to printable code points, BPE by
 * merge rank with an {@code </w>} end-of-word marker, start/end tokens, zero padding, and
 * truncation that keeps the end token.
 *
 * <p>Text is cleaned first as CLIP's {@code basic_clean} and {@code whitespace_clean} do
 * ({@link ClipTextClean}: NFC, curly quotes, HTML entities twice, Unicode spaces); the start and
 * end tokens typed literally get their own ids, as in CLIP.
 *
 * <p>Ids follow CLIP's vocabulary layout: 256 byte symbols, the same with {@code </w>}, one id
 * per merge, then start and end (49406 and 49407 with the real 48,894-merge file).
 */
final class ClipBpeTokenizer implements TextTokenizer {
    /** CLIP reads at most this many merges (49152 − 256 − 2). */
    private static final int MAX_MERGES = 49152 - 256 - 2;
    private static final Pattern PRE = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}]+",
            Pattern.CASE_INSENSITIVE);
    private static final java.util.Set<String> SPECIAL = java.util.Set.of("<|startoftext|>", "<|endoftext|>");

    private final String[] byteToUnicode = new String[256];
    private final Map<String, Integer> encoder = new HashMap<>();
    private final Map<String, Integer> ranks = new HashMap<>();
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();
    private final int contextLength;
    private final int start;
    private final int end;

    private ClipBpeTokenizer(List<String[]> merges, int contextLength) {
        this.contextLength = contextLength;
        // Printable Latin-1 bytes keep their own code point; the other 68 bytes are mapped to
        // 256, 257, … in byte order, so every byte becomes a visible, non-space character.
        // The printable bytes come first in the vocabulary, then the others in byte order.
        int n = 0;
        List<Integer> order = new ArrayList<>();
        for (int b = 0; b < 256; b++) {
            boolean keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            if (keep) {
                order.add(b);
            }
        }
        for (int b = 0; b < 256; b++) {
            boolean keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            byteToUnicode[b] = new String(Character.toChars(keep ? b : 256 + n++));
            if (!keep) {
                order.add(b);
            }
        }
        List<String> vocab = new ArrayList<>();
        for (int b : order) {
            vocab.add(byteToUnicode[b]);
        }
        for (int b : order) {
            vocab.add(byteToUnicode[b] + "</w>");
        }
        for (int i = 0; i < merges.size(); i++) {
            String[] m = merges.get(i);
            vocab.add(m[0] + m[1]);
            ranks.put(m[0] + " " + m[1], i);
        }
        vocab.add("<|startoftext|>");
        vocab.add("<|endoftext|>");
        for (int i = 0; i < vocab.size(); i++) {
            encoder.put(vocab.get(i), i);
        }
        start = encoder.get("<|startoftext|>");
        end = encoder.get("<|endoftext|>");
    }

    /** Reads a merges file (plain text or gzip). */
    public static ClipBpeTokenizer load(Path mergesFile, int contextLength) throws BundleException {
        if (!Files.isRegularFile(mergesFile)) {
            throw new BundleException(mergesFile + ": tokenizer merges file missing");
        }
        List<String[]> merges = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(mergesFile);
             InputStream in = mergesFile.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.readLine(); // header ("#version: …")
            String line;
            while ((line = r.readLine()) != null && merges.size() < MAX_MERGES) {
                if (line.isEmpty()) {
                    continue;
                }
                String[] parts = line.split(" ");
                if (parts.length != 2) {
                    throw new BundleException(mergesFile + ": line " + (merges.size() + 2) + " is not a merge pair");
                }
                merges.add(parts);
            }
        } catch (IOException e) {
            throw new BundleException(mergesFile + ": cannot read tokenizer merges (" + e.getMessage() + ")", e);
        }
        return new ClipBpeTokenizer(merges, contextLength);
    }

    @Override
    public int contextLength() {
        return contextLength;
    }

    public int startToken() {
        return start;
    }

    public int endToken() {
        return end;
    }

    /** Ids of the text without start/end tokens. */
    public List<Integer> encodeRaw(String text) {
        String clean = ClipTextClean.clean(text);
        List<Integer> ids = new ArrayList<>();
        Matcher m = PRE.matcher(clean);
        while (m.find()) {
            Integer special = SPECIAL.contains(m.group()) ? encoder.get(m.group()) : null;
            if (special != null) {
                // typed literally, CLIP's cache maps them to themselves: their own ids
                ids.add(special);
                continue;
            }
            StringBuilder sb = new StringBuilder();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                sb.append(byteToUnicode[b & 0xFF]);
            }
            for (int id : cache.computeIfAbsent(sb.toString(), this::bpe)) {
                ids.add(id);
            }
        }
        return ids;
    }

    private int[] bpe(String token) {
        List<String> word = new ArrayList<>();
        int[] cps = token.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            String s = new String(cps, i, 1);
            word.add(i == cps.length - 1 ? s + "</w>" : s);
        }
        while (word.size() > 1) {
            int bestRank = Integer.MAX_VALUE;
            String a = null;
            String b = null;
            for (int i = 0; i + 1 < word.size(); i++) {
                Integer r = ranks.get(word.get(i) + " " + word.get(i + 1));
                if (r != null && r < bestRank) {
                    bestRank = r;
                    a = word.get(i);
                    b = word.get(i + 1);
                }
            }
            if (a == null) {
                break;
            }
            List<String> merged = new ArrayList<>(word.size());
            for (int i = 0; i < word.size(); i++) {
                if (i + 1 < word.size() && word.get(i).equals(a) && word.get(i + 1).equals(b)) {
                    merged.add(a + b);
                    i++;
                } else {
                    merged.add(word.get(i));
                }
            }
            word = merged;
        }
        int[] out = new int[word.size()];
        for (int i = 0; i < out.length; i++) {
            Integer id = encoder.get(word.get(i));
            // every merge result and every byte symbol is in the vocabulary by construction
            out[i] = id;
        }
        return out;
    }

    @Override
    public long[] encode(String text) {
        List<Integer> ids = encodeRaw(text);
        long[] out = new long[contextLength];
        out[0] = start;
        int n = Math.min(ids.size(), contextLength - 2);
        for (int i = 0; i < n; i++) {
            out[1 + i] = ids.get(i);
        }
        out[1 + n] = end;
        return out;
    }
}
