package ovavss.studio.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the app replaces a file: the bytes go to a uniquely named temp file beside the target
 * (another instance of the app may be writing the same file), which is flushed and then moved over
 * the target in one step. A crash leaves the old file or the new one, never half of one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Replaces {@code file} with {@code data}, forcing the bytes to disk before the move. */
    public static void write(Path file, byte[] data) throws IOException {
        write(file, data, true);
    }

    /**
     * Replaces {@code file} with {@code data}; {@code fsync} false skips forcing the bytes to disk
     * (the move is still atomic; a power cut may then leave an empty file).
     */
    public static void write(Path file, byte[] data, boolean fsync) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (fsync) {
                    ch.force(true);
                }
            }
            move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Writes a file's content into the temp path it is given. */
    @FunctionalInterface
    public interface Writer<E extends Exception> {
        void write(Path tmp) throws IOException, E;
    }

    /**
     * Replaces {@code file} with what {@code writer} writes into a temp file beside it (for writers
     * that want a path, such as image encoders or muxers); the temp file is gone afterwards, moved
     * or deleted.
     */
    public static <E extends Exception> void writeWith(Path file, Writer<E> writer) throws IOException, E {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            writer.write(tmp);
            move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Moves {@code from} over {@code to} atomically where the file system can, else as a plain replace. */
    public static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Moves a finished folder into place in one step: readers see no folder or the whole one. Both
     * paths must be on one file system (build the folder beside its destination).
     */
    public static void moveDirectory(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }
}
