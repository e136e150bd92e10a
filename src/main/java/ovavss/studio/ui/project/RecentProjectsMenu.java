package ovavss.studio.ui.project;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import ovavss.studio.app.RecentProjects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File › Open recent: the project folders of {@link RecentProjects}, most recent first; a folder
 * that is gone is shown disabled. The list follows the view model's project folder (Open project,
 * Save project as). File work runs on the project's I/O executor; the FX thread only swaps items.
 */
public final class RecentProjectsMenu {
    private static final Logger LOG = LoggerFactory.getLogger(RecentProjectsMenu.class);

    private final ProjectViewModel vm;
    private final Menu menu = new Menu("Open recent");
    /** Null until {@link #use}: tests and screenshot runs keep no list. */
    private volatile RecentProjects recent;

    public RecentProjectsMenu(ProjectViewModel vm) {
        this.vm = vm;
        menu.setId("open-recent");
        show(List.of());
        vm.projectPathProperty().addListener((o, a, dir) -> {
            if (dir != null) {
                remember(dir);
            }
        });
        // Folders come and go (USB disks): look again whenever the menu opens.
        menu.setOnShowing(e -> refresh());
    }

    public Menu menu() {
        return menu;
    }

    /** Reads the list from {@code file} and keeps it there from now on; completes (on FX) with the entries shown. */
    public CompletableFuture<List<RecentProjects.Entry>> use(Path file) {
        CompletableFuture<List<RecentProjects.Entry>> shown = new CompletableFuture<>();
        vm.io().execute(() -> {
            RecentProjects r = RecentProjects.load(file);
            List<RecentProjects.Entry> entries = r.check();
            vm.fx().execute(() -> {
                recent = r;
                r.problem().ifPresent(vm::showMessage);
                show(entries);
                shown.complete(entries);
            });
        });
        return shown;
    }

    private void remember(Path dir) {
        RecentProjects r = recent;
        if (r == null) {
            return;
        }
        vm.io().execute(() -> {
            r.add(dir);
            try {
                r.save();
            } catch (IOException e) {
                LOG.warn("cannot store the recent projects in {}: {}", r.file(), e.toString());
            }
            List<RecentProjects.Entry> entries = r.check();
            vm.fx().execute(() -> show(entries));
        });
    }

    private void refresh() {
        RecentProjects r = recent;
        if (r != null) {
            vm.io().execute(() -> {
                List<RecentProjects.Entry> entries = r.check();
                vm.fx().execute(() -> show(entries));
            });
        }
    }

    private void forget() {
        RecentProjects r = recent;
        if (r == null) {
            return;
        }
        vm.io().execute(() -> {
            r.clear();
            try {
                r.save();
            } catch (IOException e) {
                LOG.warn("cannot store the recent projects in {}: {}", r.file(), e.toString());
            }
            vm.fx().execute(() -> show(List.of()));
        });
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
            clear.setOnAction(ev -> forget());
            menu.getItems().addAll(new SeparatorMenuItem(), clear);
        }
    }
}
