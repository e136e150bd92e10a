package ovavss.studio.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where an output may go: never onto one of the inputs, never onto a device or anything else that
 * is not a plain file or folder (replacing {@code /dev/full} with a file, as root, is the kind of
 * damage this prevents), and never into a folder that holds someone else's files unless asked.
 */
public final class OutputTargets {
    private OutputTargets() {
    }

    /** What an existing non-empty output folder means. */
    public enum Existing {
        /** Refused: the command has no way to write into it. */
        REFUSE,
        /** Refused, with the hint that --force writes into it. */
        REFUSE_UNLESS_FORCED,
        /** Accepted: the user gave --force. */
        WRITE_INTO
    }

    /**
     * Checks that {@code out} is a new file or a plain file that none of {@code inputs} is.
     *
     * @throws IllegalArgumentException naming the output and the problem
     */
    public static void checkFile(Path out, Path... inputs) {
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) || Files.exists(out)) {
            if (Files.isDirectory(out)) {
                throw new IllegalArgumentException("the output " + out + " is a folder, not a file");
            }
            if (!Files.isRegularFile(out)) {
                throw new IllegalArgumentException("the output " + out + " is not a plain file (a device or a pipe?)");
            }
            for (Path in : inputs) {
                try {
                    if (Files.exists(in) && Files.isSameFile(in, out)) {
                        throw new IllegalArgumentException("the output " + out + " is the input " + in
                                + "; an input is never overwritten");
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot compare the output " + out + " with " + in + ": "
                            + e.getMessage());
                }
            }
        }
        checkParent(out);
    }

    /**
     * Checks that {@code out} can become an output folder: new, or an existing empty folder (or a
     * non-empty one when {@code existing} says so); never a file, a device, the file system root, nor inside
     * or around any of {@code inputs} (named by what they are, e.g. "the project folder").
     *
     * @throws IllegalArgumentException naming the output and the problem
     */
    public static void checkFolder(Path out, Existing existing, Map<String, Path> inputs) {
        Path abs = out.toAbsolutePath().normalize();
        if (abs.getParent() == null) {
            throw new IllegalArgumentException("the output " + out + " is the root folder");
        }
        try {
            if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) || Files.exists(abs)) {
                if (!Files.isDirectory(abs)) {
                    throw new IllegalArgumentException("the output " + out + " exists and is not a folder"
                            + (Files.isRegularFile(abs) ? "" : " (a device or a pipe?)"));
                }
                if (existing != Existing.WRITE_INTO && !isEmptyFolder(abs)) {
                    throw new IllegalArgumentException("the output folder " + out
                            + " is not empty; choose a new or empty folder"
                            + (existing == Existing.REFUSE_UNLESS_FORCED ? " (or add --force to write into it)" : ""));
                }
            }
            checkParent(abs);
            for (Map.Entry<String, Path> in : inputs.entrySet()) {
                if (in.getValue() == null) {
                    continue;
                }
                Path realOut = realish(abs);
                Path realIn = realish(in.getValue().toAbsolutePath().normalize());
                if (realOut.startsWith(realIn) || realIn.startsWith(realOut)) {
                    throw new IllegalArgumentException("the output " + out + " overlaps " + in.getKey() + " ("
                            + in.getValue() + "); an output never goes into or around its inputs");
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot check the output " + out + ": " + e.getMessage());
        }
    }

    /** Whether {@code dir} is a folder with nothing in it. */
    public static boolean isEmptyFolder(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** The nearest existing ancestor must be a folder: an output "under" a file cannot be made. */
    private static void checkParent(Path out) {
        for (Path p = out.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new IllegalArgumentException("the output " + out + " cannot be made: " + p
                            + " is a file, not a folder");
                }
                return;
            }
        }
    }

    /** The real path of the deepest existing ancestor, with the rest appended: links cannot hide an overlap. */
    private static Path realish(Path p) throws IOException {
        Path existing = p;
        Path rest = null;
        while (existing != null && !Files.exists(existing)) {
            Path name = existing.getFileName();
            rest = rest == null ? name : name.resolve(rest);
            existing = existing.getParent();
        }
        if (existing == null) {
            return p;
        }
        Path real = existing.toRealPath();
        return rest == null ? real : real.resolve(rest);
    }
}
