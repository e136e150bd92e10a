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

    /** The rows and the quirks met while reading. */
    public record Result(List<Row> rows, List<String> warnings) {
    }

    static String cleanToken(String token) {
        String t = token.trim();
        if (t.isEmpty() || AvsbenchClasses.NON_CLASS_TOKENS.contains(t)) {
            return null;
        }
        // "h orse" is a typo in one official row; class names never contain spaces
        return t.replace(" ", "");
    }

    /** Reads the csv. Malformed rows are skipped with a warning rather than failing the import. */
    public static Result read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AvsbenchException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new AvsbenchException(file + " is empty");
        }
        String header = lines.get(0).replace("\uFEFF", "").trim();
        String[] cols = header.split(",", -1);
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
        for (int ln = 1; ln < lines.size(); ln++) {
            String line = lines.get(ln);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            if (f.length < cols.length) {
                warnings.add("line " + (ln + 1) + ": " + f.length + " fields, expected " + cols.length + "; skipped");
                continue;
            }
            int sMin;
            int sSec;
            try {
                sMin = Integer.parseInt(f[pos[2]].trim());
                sSec = Integer.parseInt(f[pos[3]].trim());
            } catch (NumberFormatException e) {
                warnings.add("line " + (ln + 1) + ": non-numeric s_min/s_sec; skipped");
                continue;
            }
            Row r = new Row(f[pos[0]].trim(), f[pos[1]].trim(), sMin, sSec, f[pos[4]].trim(), f[pos[5]].trim(),
                    f[pos[6]].trim());
            if (sSec >= 60) {
                warnings.add("uid " + r.uid() + ": s_sec = " + sSec + " (read as start " + r.startSeconds() + " s)");
            }
            for (String t : r.aObj().split("_")) {
                String tt = t.trim();
                if (AvsbenchClasses.NON_CLASS_TOKENS.contains(tt)) {
                    warnings.add("uid " + r.uid() + ": a_obj token '" + tt + "' is not a class");
                } else if (tt.contains(" ")) {
                    warnings.add("uid " + r.uid() + ": a_obj token '" + tt + "' read as '" + tt.replace(" ", "") + "'");
                }
            }
            rows.add(r);
        }
        return new Result(rows, warnings);
    }

    private static int indexOf(String[] cols, String name) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i].trim().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Writes the csv with the official header. */
    public static void write(Path file, List<Row> rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.write('\n');
            for (Row r : rows) {
                for (String s : new String[] {r.vid(), r.uid(), r.aObj(), r.split(), r.label()}) {
                    if (s.contains(",") || s.contains("\n")) {
                        throw new AvsbenchException("metadata value '" + s + "' contains a comma or newline");
                    }
                }
                w.write(r.vid() + "," + r.uid() + "," + r.sMin() + "," + r.sSec() + "," + r.aObj() + ","
                        + r.split() + "," + r.label() + "\n");
            }
        }
    }
}
