package ovavss.studio.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Warnings as a reader can take them in: grouped by kind (the same sentence about another uid,
 * line or count), each kind once with how many more there are, at most {@link #MAX_KINDS} kinds.
 * The public AVSBench metadata.csv gave 11,351 warnings, one per line, before this.
 */
final class WarningLines {
    static final int MAX_KINDS = 20;
    private static final Pattern UID = Pattern.compile("^uid [^:]+:");
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private WarningLines() {
    }

    /** The kind of a warning: its text with the uid and every number blanked out. */
    static String kind(String warning) {
        return NUMBER.matcher(UID.matcher(warning).replaceFirst("uid *:")).replaceAll("#");
    }

    /** One line per kind, in order of first appearance; capped. */
    static List<String> grouped(List<String> warnings) {
        Map<String, List<String>> byKind = new LinkedHashMap<>();
        for (String w : warnings) {
            byKind.computeIfAbsent(kind(w), k -> new ArrayList<>()).add(w);
        }
        List<String> out = new ArrayList<>();
        for (List<String> same : byKind.values()) {
            if (out.size() == MAX_KINDS) {
                out.add("... and " + (byKind.size() - MAX_KINDS) + " more kinds of warning");
                break;
            }
            out.add(same.size() == 1 ? same.get(0)
                    : same.get(0) + " (and " + (same.size() - 1) + " more like it)");
        }
        return out;
    }

    /** Prints {@link #grouped} as "warning: ..." lines. */
    static void print(PrintStream err, List<String> warnings) {
        grouped(warnings).forEach(w -> err.println("warning: " + w));
    }
}
