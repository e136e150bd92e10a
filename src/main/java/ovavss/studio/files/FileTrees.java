package ovavss.studio.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/** Whole folders: copied, or deleted with everything in them. */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Copies the folder {@code from} and everything in it to {@code to} (made; must not hold what is
     * copied). Links are followed: the copy holds the files, not links back into the source.
     */
    public static Path copy(Path from, Path to) throws IOException {
        return copy(from, to, n -> { });
    }

    /**
     * {@link #copy(Path, Path)}, telling {@code copied} the bytes copied so far after every chunk
     * (a large model file takes a while); the listener may throw an unchecked exception to stop.
     */
    public static Path copy(Path from, Path to, LongConsumer copied) throws IOException {
        long[] total = {0};
        byte[] buf = new byte[1 << 20];
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                    continue;
                }
                try (InputStream in = Files.newInputStream(p);
                     OutputStream out = Files.newOutputStream(t, StandardOpenOption.CREATE_NEW)) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        out.write(buf, 0, n);
                        total[0] += n;
                        copied.accept(total[0]);
                    }
                }
            }
        }
        return to;
    }

    /** The bytes of every file under {@code root} (links followed). */
    public static long size(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            long sum = 0;
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                sum += Files.size(p);
            }
            return sum;
        }
    }

    /** Deletes a folder (or file) and everything in it; one already gone is fine. */
    public static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> s = Files.walk(root)) {
            all = s.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
