package ovavss.studio.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An output folder built beside its destination and moved into place when complete, so the
 * destination never holds half an output: a hidden {@code .<name>.<purpose>-<uuid>} sibling that
 * {@link #commit()} moves over a new or empty destination in one step (or, into a non-empty one
 * the user chose to write into, file by file, each replaced atomically), and that {@link #close()}
 * deletes when it was not committed — after a failure, a cancel or an exception.
 */
public final class StagedFolder implements AutoCloseable {
    private final Path destination;
    private final Path staging;
    private boolean committed;

    private StagedFolder(Path destination, Path staging) {
        this.destination = destination;
        this.staging = staging;
    }

    /** Creates the hidden staging folder beside {@code destination} (and the destination's parents). */
    public static StagedFolder beside(Path destination, String purpose) throws IOException {
        Path out = destination.toAbsolutePath().normalize();
        Path parent = out.getParent();
        if (parent == null) {
            throw new IOException("cannot build an output beside the root folder");
        }
        Files.createDirectories(parent);
        Path staging = parent.resolve("." + out.getFileName() + "." + purpose + "-" + UUID.randomUUID());
        Files.createDirectory(staging);
        return new StagedFolder(out, staging);
    }

    /** Where to write the output until it is committed. */
    public Path path() {
        return staging;
    }

    /** The final place. */
    public Path destination() {
        return destination;
    }

    /** Moves the finished output into place. */
    public void commit() throws IOException {
        if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS) && !OutputTargets.isEmptyFolder(destination)) {
            merge(staging, destination);
            FileTrees.delete(staging);
        } else {
            if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS)) {
                // an empty destination folder makes way for the finished tree
                Files.delete(destination);
            }
            AtomicFiles.moveDirectory(staging, destination);
        }
        committed = true;
    }

    private static void merge(Path from, Path into) throws IOException {
        List<Path> children;
        try (Stream<Path> s = Files.list(from)) {
            children = s.sorted().toList();
        }
        for (Path c : children) {
            Path target = into.resolve(c.getFileName().toString());
            if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    merge(c, target);
                } else {
                    Files.move(c, target);
                }
            } else {
                AtomicFiles.move(c, target);
            }
        }
    }

    /** Deletes the staging folder unless it was committed. */
    @Override
    public void close() throws IOException {
        if (!committed) {
            FileTrees.delete(staging);
        }
    }
}
