package ovavss.studio.avsbench;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Guards file names that come from datasets and projects (uids, subset labels, categories):
 * each must be one plain path segment, so nothing is ever written outside the chosen folder.
 */
public final class SafeNames {
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL",
            "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private SafeNames() {
    }

    /**
     * @param what what the name is, for the message ("uid", "label")
     * @return {@code name} when it is a safe single path segment
     * @throws AvsbenchException with a clear reason otherwise
     */
    public static String check(String what, String name) {
        if (name == null || name.isEmpty()) {
            throw new AvsbenchException(what + " is empty");
        }
        String shown = name.replace("\0", "\\0");
        if (name.length() > 200) {
            throw new AvsbenchException(what + " '" + shown.substring(0, 40) + "…' is longer than 200 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\') {
                throw new AvsbenchException(what + " '" + shown + "' contains a path separator");
            }
            if (c == 0) {
                throw new AvsbenchException(what + " '" + shown + "' contains a NUL character");
            }
            if (c < 0x20 || c == 0x7F || c == ':' || c == '*' || c == '?' || c == '"' || c == '<' || c == '>'
                    || c == '|') {
                throw new AvsbenchException(what + " '" + shown + "' contains the character U+"
                        + String.format(Locale.ROOT, "%04X", (int) c) + ", not allowed in file names");
            }
        }
        if (name.equals(".") || name.equals("..")) {
            throw new AvsbenchException(what + " '" + name + "' is a relative path component");
        }
        if (name.endsWith(".") || name.endsWith(" ") || name.startsWith(" ")) {
            throw new AvsbenchException(what + " '" + name + "' starts or ends with a space or dot");
        }
        String stem = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        if (RESERVED.contains(stem.toUpperCase(Locale.ROOT))) {
            throw new AvsbenchException(what + " '" + name + "' is a reserved device name");
        }
        return name;
    }

    /**
     * Resolves checked segments under {@code root} and verifies the result stays inside it.
     */
    public static Path resolve(Path root, String what, String... segments) {
        Path base = root.toAbsolutePath().normalize();
        Path p = base;
        for (String s : segments) {
            p = p.resolve(check(what, s));
        }
        p = p.normalize();
        if (!p.startsWith(base) || p.equals(base)) {
            throw new AvsbenchException(what + " '" + String.join("/", segments) + "' escapes " + root);
        }
        return p;
    }
}
