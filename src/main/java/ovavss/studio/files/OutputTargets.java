package ovavss.studio.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Where an output file may go: never onto one of the inputs, never onto a folder, a device or
 * anything else that is not a plain file (replacing {@code /dev/full} with a file, as root, is the
 * kind of damage this prevents).
 */
public final class OutputTargets {
    private OutputTargets() {
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
    }
}
