package ovavss.studio.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The project folders opened or saved lately: most recent first, each folder once, at most
 * {@value #LIMIT}. Kept in a small JSON file written atomically; a file that cannot be read
 * counts as an empty list (with a warning), never as an error. Thread-safe; {@link #load} and
 * {@link #save()} do file I/O, the rest does none.
 */
public final class RecentProjects {
    private static final Logger LOG = LoggerFactory.getLogger(RecentProjects.class);
    public static final int LIMIT = 10;
    public static final String FILE_NAME = "recent-projects.json";

    /** A folder of the list and whether it is there now. */
    public record Entry(Path folder, boolean exists) {
    }

    /** The file's content. */
    static final class Dto {
        public int schemaVersion = 1;
        public List<String> projects = new ArrayList<>();
    }

    private final Path file;
    private final String problem;
    // guarded by "this"
    private List<Path> folders;

    private RecentProjects(Path file, List<Path> folders, String problem) {
        this.file = file;
        this.folders = List.copyOf(folders);
        this.problem = problem;
    }

    /** {@code <config dir>/recent-projects.json}, see {@link AppDirs#config()}. */
    public static Path defaultFile() {
        return AppDirs.config().resolve(FILE_NAME);
    }

    /** Reads the list; a missing file is an empty list, an unreadable one too (see {@link #problem()}). */
    public static RecentProjects load(Path file) {
        try {
            Dto d = JsonFiles.MAPPER.readValue(Files.readAllBytes(file), Dto.class);
            List<Path> list = new ArrayList<>();
            for (String s : d.projects == null ? List.<String>of() : d.projects) {
                Path n = s == null || s.isBlank() ? null : normal(Path.of(s));
                if (n != null && !list.contains(n) && list.size() < LIMIT) {
                    list.add(n); // the file is most recent first already
                }
            }
            return new RecentProjects(file, list, null);
        } catch (NoSuchFileException e) {
            return new RecentProjects(file, List.of(), null);
        } catch (IOException | RuntimeException e) {
            String why = "cannot read the recent projects from " + file + " (" + e.getMessage() + "); starting an empty list";
            LOG.warn(why);
            return new RecentProjects(file, List.of(), why);
        }
    }

    /** Why the file could not be read, when it could not. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    public Path file() {
        return file;
    }

    /** Most recent first. */
    public synchronized List<Path> folders() {
        return folders;
    }

    /** Puts {@code folder} first (moving it up if it is there already) and drops the oldest beyond the limit. */
    public synchronized List<Path> add(Path folder) {
        List<Path> list = new ArrayList<>(folders);
        add(list, folder);
        folders = List.copyOf(list);
        return folders;
    }

    /** Forgets {@code folder}. */
    public synchronized List<Path> remove(Path folder) {
        List<Path> list = new ArrayList<>(folders);
        list.remove(normal(folder));
        folders = List.copyOf(list);
        return folders;
    }

    /** Forgets every folder. */
    public synchronized void clear() {
        folders = List.of();
    }

    /** Writes the list now (atomically). */
    public void save() throws IOException {
        Dto d = new Dto();
        for (Path p : folders()) {
            d.projects.add(p.toString());
        }
        JsonFiles.writeAtomically(file, d);
    }

    /** The list with each folder looked up on disk (one file-system call per folder). */
    public List<Entry> check() {
        return folders().stream().map(p -> new Entry(p, Files.isDirectory(p))).toList();
    }

    private static void add(List<Path> list, Path folder) {
        Path p = normal(folder);
        list.remove(p);
        list.add(0, p);
        while (list.size() > LIMIT) {
            list.remove(list.size() - 1);
        }
    }

    /** Two spellings of one folder ({@code a/../b}, relative) are one entry. */
    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
