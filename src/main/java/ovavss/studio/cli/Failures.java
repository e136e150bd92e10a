package ovavss.studio.cli;

import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.app.export.ExportException;
import ovavss.studio.app.predict.PredictionException;
import ovavss.studio.avsbench.AvsbenchException;
import ovavss.studio.media.MediaException;
import ovavss.studio.model.BundleException;

/**
 * How a command's failure reads and which exit status it gets: the problems a user can fix (a
 * missing or unreadable file, a malformed dataset, bundle, media or project, an impossible option,
 * a full or read-only disk) are bad input, exit 2; anything else is a failure of the command, exit 1.
 */
final class Failures {
    private Failures() {
    }

    /**
     * Whether anything in the cause chain is a problem the user can fix. The chain, not only the
     * root: a clip's failure wrapped by the export of many clips is still a full disk.
     */
    static boolean isBadInput(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof AnnotationException
                    || t instanceof AvsbenchException || t instanceof ExportException
                    || t instanceof PredictionException || t instanceof BundleException || t instanceof MediaException
                    || t instanceof FileSystemException || t instanceof FileNotFoundException
                    || t instanceof OutOfMemoryError || isFullOrReadOnlyDisk(t)) {
                return true;
            }
        }
        return false;
    }

    /** The kernel's words for an output disk that cannot take the output (ENOSPC, EROFS, EDQUOT). */
    private static boolean isFullOrReadOnlyDisk(Throwable t) {
        String m = t.getMessage();
        return t instanceof java.io.IOException && m != null
                && (m.contains("No space left on device") || m.contains("Read-only file system")
                        || m.contains("Disk quota exceeded"));
    }

    /** One line: what went wrong, in the words of the exception that knows. */
    static String describe(Throwable e) {
        Throwable t = root(e);
        if (t instanceof NoSuchFileException n) {
            return "no such file or folder: " + n.getFile();
        }
        if (t instanceof NotDirectoryException n) {
            return "not a folder: " + n.getFile();
        }
        if (t instanceof AccessDeniedException a) {
            return "permission denied: " + a.getFile();
        }
        if (t instanceof FileSystemException f) {
            return f.getFile() + ": " + (f.getReason() == null ? "cannot be written" : f.getReason());
        }
        if (t instanceof OutOfMemoryError) {
            return "the input is too large for the memory available (" + t.getMessage() + ")";
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }

    /** The innermost cause that has a message of its own: wrappers add nothing a user needs. */
    private static Throwable root(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().equals(String.valueOf(t.getCause())))) {
            t = t.getCause();
        }
        return t;
    }
}
