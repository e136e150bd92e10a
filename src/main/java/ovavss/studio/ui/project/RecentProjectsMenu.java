package ovavss.studio.ui.project;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import ovavss.studio.app.RecentProjects;

/**
 * File › Open recent: the project folders of {@link RecentProjects}, most recent first; a folder
 * that is gone is shown disabled. The list is the project session's (it follows Open project and
 * Save project as, see {@link ovavss.studio.app.ProjectSession#useRecentProjects}); the FX thread
 * only swaps items.
 */
public final class RecentProjectsMenu {
    private final ProjectViewModel vm;
    private final Menu menu = new Menu("Open recent");

    public RecentProjectsMenu(ProjectViewModel vm) {
        this.vm = vm;
        menu.setId("open-recent");
        show(vm.recentProjectsProperty().get());
        vm.recentProjectsProperty().addListener((o, a, entries) -> show(entries));
        // Folders come and go (USB disks): look again whenever the menu opens.
        menu.setOnShowing(e -> vm.refreshRecentProjects());
    }

    public Menu menu() {
        return menu;
    }

    /** Reads the list from {@code file} and keeps it there from now on; completes (on FX) with the entries shown. */
    public CompletableFuture<List<RecentProjects.Entry>> use(Path file) {
        return vm.useRecentProjects(file);
    }

    private void show(List<RecentProjects.Entry> entries) {
        menu.getItems().clear();
        for (RecentProjects.Entry e : entries) {
            Path dir = e.folder();
            String name = dir.getFileName() == null ? dir.toString() : dir.getFileName().toString();
            MenuItem item = new MenuItem(name + "  \u2014  " + (dir.getParent() == null ? "" : dir.getParent())
                    + (e.exists() ? "" : "  (missing)"));
            item.setMnemonicParsing(false); // folder names have underscores
            item.setDisable(!e.exists());
            item.setOnAction(ev -> vm.open(dir));
            menu.getItems().add(item);
        }
        if (entries.isEmpty()) {
            MenuItem none = new MenuItem("No recent projects");
            none.setDisable(true);
            menu.getItems().add(none);
        } else {
            MenuItem clear = new MenuItem("Clear the list");
            clear.setOnAction(ev -> vm.clearRecentProjects());
            menu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }
}
