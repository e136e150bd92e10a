package ovavss.studio.ui.project;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform dialogs for the folders a project lives in or is written to. A folder to be made
 * (Save project as, Export) is chosen with a save dialog, where a new name can be typed and the
 * parent browsed: a folder chooser only picks folders that already exist, so a first save needed
 * a terminal. The chosen path is created by whoever writes it.
 */
public final class FolderDialogs {
    private static final Logger LOG = LoggerFactory.getLogger(FolderDialogs.class);

    private FolderDialogs() {
    }

    /** A new folder: its parent browsed, its name typed ({@code suggestedName} to start with). */
    public static Optional<Path> newFolder(Window owner, String title, Path startIn, String suggestedName) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        if (startIn != null && Files.isDirectory(startIn)) {
            fc.setInitialDirectory(startIn.toFile());
        }
        fc.setInitialFileName(suggestedName);
        return Optional.ofNullable(fc.showSaveDialog(owner)).map(File::toPath);
    }

    /** An existing folder (Open project). */
    public static Optional<Path> existingFolder(Window owner, String title) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle(title);
        return Optional.ofNullable(dc.showDialog(owner)).map(File::toPath);
    }

    /** Shows {@code folder} in the desktop's file manager, off the FX thread; false when there is none. */
    public static boolean openInFileManager(Path folder) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String[] cmd = os.contains("win") ? new String[] {"explorer", folder.toString()}
                : os.contains("mac") ? new String[] {"open", folder.toString()}
                : new String[] {"xdg-open", folder.toString()};
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return true;
        } catch (IOException e) {
            LOG.warn("cannot open {} in a file manager: {}", folder, e.toString());
            return false;
        }
    }
}
