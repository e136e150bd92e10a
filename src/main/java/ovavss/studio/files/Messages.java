package ovavss.studio.files;

/**
 * A reading or writing failure in one line. Parsers (Jackson among them) append the location on
 * further lines ("at [Source: ...; line: 1, column: 4]"); a message the user reads is one line
 * naming the file and the problem, so only the first line is kept, with the line number when the
 * parser gave one.
 */
public final class Messages {
    private Messages() {
    }

    /** The first line of {@code e}'s message (its class name when it has none), plus "line N" if given. */
    public static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String first = m.lines().findFirst().orElse(m).strip();
        java.util.regex.Matcher line = java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)").matcher(m);
        if (!first.contains("line: ") && line.find()) {
            first = first + " (line " + line.group(1) + ", column " + line.group(2) + ")";
        }
        return first;
    }
}
