package ovavss.studio.avsbench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * AVSBench-semantic {@code metadata.csv}: header {@code vid,uid,s_min,s_sec,a_obj,split,label}.
 * Reading tolerates the known quirks (AVSBENCH.md §1.2, §8) and reports them as warnings:
 * non-class {@code a_obj} tokens ({@code off-the-screen}, {@code background}), the typo
 * {@code h orse}, and {@code s_sec = 60}.
 */
public final class MetadataCsv {
    public static final String HEADER = "vid,uid,s_min,s_sec,a_obj,split,label";

    private MetadataCsv() {
    }

    /** One clip row. {@code aObj} is the raw column; {@link #classes()} the cleaned class names. */
    public record Row(String vid, String uid, int sMin, int sSec, String aObj, String split, String label) {
        /** Clip start in seconds inside the source video ({@code s_min*60 + s_sec}, so 1:60 = 120 s). */
        public int startSeconds() {
            return sMin * 60 + sSec;
        }

        /** Audible class names from {@code a_obj}: split on '_', typo fixed, non-class tokens dropped. */
        public List<String> classes() {
            List<String> out = new ArrayList<>();
            for (String t : aObj.split("_")) {
                String c = cleanToken(t);
                if (c != null && !out.contains(c)) {
                    out.add(c);
                }
            }
            return out;
        }
    }

    /**
     * The rows and the quirks met while reading: {@code warnings} about the file (lines skipped),
     * {@code rowWarnings} about one row each, by uid, so a reader restricted to a split reports
     * only its own rows' quirks.
     */
    public record Result(List<Row> rows, List<String> warnings, java.util.Map<String, List<String>> rowWarnings) {
        public Result(List<Row> rows, List<String> warnings) {
            this(rows, warnings, java.util.Map.of());
        }

        /** The quirks of the row with this uid (none when it had none). */
        public List<String> warningsFor(String uid) {
            return rowWarnings.getOrDefault(uid, List.of());
        }

        /**
         * The rows of {@code split} (all when null), in file order; their quirks, and only theirs,
         * are added to {@code warnings}.
         */
        public List<Row> inSplit(String split, List<String> warnings) {
            List<Row> out = new ArrayList<>();
            for (Row r : rows) {
                if (split == null || split.equals(r.split())) {
                    out.add(r);
                    warnings.addAll(warningsFor(r.uid()));
                }
            }
            return out;
        }
    }

    /**
     * The clips of an AVSBench-semantic root: its {@code metadata.csv}, or, without one, every
     * {@code <label>/<uid>} folder that holds {@code labels_rgb} or {@code labels_semantic}, as rows
     * with no split (sorted, with a warning saying so).
     */
    public static Result readOrScan(Path root) throws IOException {
        Path csv = root.resolve("metadata.csv");
        if (Files.isRegularFile(csv)) {
            return read(csv);
        }
        List<Row> rows = new ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> subsets = Files.newDirectoryStream(root, Files::isDirectory)) {
            for (Path subset : subsets) {
                try (java.nio.file.DirectoryStream<Path> uids = Files.newDirectoryStream(subset, Files::isDirectory)) {
                    for (Path u : uids) {
                        if (Files.isDirectory(u.resolve("labels_rgb")) || Files.isDirectory(u.resolve("labels_semantic"))) {
                            String uid = u.getFileName().toString();
                            rows.add(new Row(uid, uid, 0, 0, "", "", subset.getFileName().toString()));
                        }
                    }
                }
            }
        }
        rows.sort((a, b) -> (a.label() + "/" + a.uid()).compareTo(b.label() + "/" + b.uid()));
        return new Result(rows, List.of("no metadata.csv: found " + rows.size() + " clip folders by scanning"));
    }

    static String cleanToken(String token) {
        String t = token.trim();
        if (t.isEmpty() || AvsbenchClasses.NON_CLASS_TOKENS.contains(t)) {
            return null;
        }
        // "h orse" is a typo in one official row; class names never contain spaces
        return t.replace(" ", "");
    }

    /**
     * Reads the csv with the quoting rules of RFC 4180 (what Python's csv module and pandas write:
     * a field with a comma, a quote or a line break is quoted, quotes doubled). Malformed rows are
     * skipped with a warning rather than failing the import; a uid listed twice is refused.
     */
    public static Result read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AvsbenchException("cannot read " + file + ": " + ovavss.studio.files.Messages.oneLine(e), e);
        }
        List<Record> records;
        try {
            records = parse(text.startsWith("\uFEFF") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new AvsbenchException(file + ": " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new AvsbenchException(file + " is empty");
        }
        String[] cols = records.get(0).fields().toArray(String[]::new);
        int[] pos = new int[7];
        String[] want = HEADER.split(",");
        for (int i = 0; i < want.length; i++) {
            pos[i] = indexOf(cols, want[i]);
            if (pos[i] < 0) {
                throw new AvsbenchException(file + ": missing column '" + want[i] + "' (header must hold " + HEADER + ")");
            }
        }
        List<Row> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        java.util.Map<String, Integer> lineOfUid = new java.util.HashMap<>();
        java.util.Map<String, List<String>> rowWarnings = new java.util.HashMap<>();
        for (Record rec : records.subList(1, records.size())) {
            List<String> f = rec.fields();
            int line = rec.line();
            if (f.size() == 1 && f.get(0).isBlank()) {
                continue;
            }
            if (f.size() < cols.length) {
                warnings.add("line " + line + ": " + f.size() + " fields, expected " + cols.length + "; skipped");
                continue;
            }
            int sMin;
            int sSec;
            try {
                sMin = Integer.parseInt(f.get(pos[2]).trim());
                sSec = Integer.parseInt(f.get(pos[3]).trim());
            } catch (NumberFormatException e) {
                warnings.add("line " + line + ": non-numeric s_min/s_sec; skipped");
                continue;
            }
            Row r = new Row(f.get(pos[0]).trim(), f.get(pos[1]).trim(), sMin, sSec, f.get(pos[4]).trim(),
                    f.get(pos[5]).trim(), f.get(pos[6]).trim());
            List<String> quirks = new ArrayList<>();
            if (sSec >= 60) {
                quirks.add("uid " + r.uid() + ": s_sec = " + sSec + " (read as start " + r.startSeconds() + " s)");
            }
            for (String t : r.aObj().split("_")) {
                String tt = t.trim();
                if (AvsbenchClasses.NON_CLASS_TOKENS.contains(tt)) {
                    quirks.add("uid " + r.uid() + ": a_obj token '" + tt + "' is not a class");
                } else if (tt.contains(" ")) {
                    quirks.add("uid " + r.uid() + ": a_obj token '" + tt + "' read as '" + tt.replace(" ", "") + "'");
                }
            }
            if (!quirks.isEmpty()) {
                rowWarnings.put(r.uid(), List.copyOf(quirks));
            }
            Integer first = lineOfUid.putIfAbsent(r.uid(), line);
            if (first != null) {
                // scoring or importing it twice would count its frames twice
                throw new AvsbenchException(file + ": uid '" + r.uid() + "' appears twice (lines " + first + " and "
                        + line + ")");
            }
            rows.add(r);
        }
        if (rows.isEmpty()) {
            throw new AvsbenchException(file + " lists no clip" + (warnings.isEmpty() ? ""
                    : " (" + warnings.size() + " malformed rows skipped; the first: " + warnings.get(0) + ")"));
        }
        return new Result(rows, warnings, rowWarnings);
    }

    /** One CSV record and the line it starts on (1-based). */
    public record Record(int line, List<String> fields) {
    }

    /**
     * Splits CSV text into records (RFC 4180): fields separated by commas, records by LF or CRLF; a
     * field that starts with a quote runs to the matching quote, with {@code ""} standing for one
     * quote, and may hold commas and line breaks.
     *
     * @throws IllegalArgumentException for a quote that is never closed
     */
    public static List<Record> parse(String text) {
        List<Record> out = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int recordLine = 1;
        int i = 0;
        int n = text.length();
        boolean any = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.length() == 0) {
                int start = line;
                i++;
                while (true) {
                    if (i >= n) {
                        throw new IllegalArgumentException("the quote opened on line " + start + " is never closed");
                    }
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    if (q == '\n') {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                any = true;
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                any = true;
                i++;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
                i++;
                fields.add(field.toString());
                field.setLength(0);
                out.add(new Record(recordLine, List.copyOf(fields)));
                fields.clear();
                any = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                any = true;
                i++;
            }
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            out.add(new Record(recordLine, List.copyOf(fields)));
        }
        return out;
    }

    private static int indexOf(String[] cols, String name) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].trim().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the csv with the official header; a value with a comma, quote or line break is quoted. */
    public static void write(Path file, List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (Row r : rows) {
                w.write(String.join(",", quote(r.vid()), quote(r.uid()), Integer.toString(r.sMin()),
                        Integer.toString(r.sSec()), quote(r.aObj()), quote(r.split()), quote(r.label())));
                w.write('\n');
            }
        }
    }

    private static String quote(String s) {
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
