package ovavss.studio.ui.settings;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.DirectoryChooser;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.model.BundleException;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.LatestProgress;
import ovavss.studio.task.Progress;

/**
 * Model › Bundles: the window's face of {@link BundleLibrary}. Lists the installed and the user's
 * bundles with name, origin, size, classes, devices and whether every checksum matches (checked on
 * the worker, so a large bundle never stalls the window); imports a folder with a progress bar and
 * Cancel (a corrupt or incomplete bundle is refused with the reason and leaves nothing); removes a
 * user bundle after asking; sets the default the window and {@code predict} use; loads one now.
 */
public final class BundlesDialog {
    /** One row: the entry, its details once checked (null while checking), whether it is the default. */
    public record Row(BundleLibrary.Entry entry, BundleLibrary.Details details, boolean isDefault) {
        public String name() {
            return entry.name();
        }
    }

    private final BundleLibrary library;
    private final Executor worker;
    private final Consumer<Path> loadNow;
    private final Stage stage = new Stage();
    private final TableView<Row> table = new TableView<>();
    private final ProgressBar bar = new ProgressBar(0);
    private final Label status = new Label();
    private final Button importButton = new Button("Import…");
    private final Button cancel = new Button("Cancel import");
    private final Button remove = new Button("Remove");
    private final Button makeDefault = new Button("Set as default");
    private final Button use = new Button("Load now");
    private final Button close = new Button("Close");
    private final Timeline sampler;
    private Function<Window, Optional<Path>> folderChooser = BundlesDialog::chooseFolder;
    private Predicate<String> confirmRemove = this::askRemove;
    private LatestProgress progress;
    private Cancellation running;

    /**
     * @param library the bundles shown
     * @param worker checks checksums and copies imports; owned by the composition root
     * @param loadNow loads a bundle folder into the window (Load now)
     */
    public BundlesDialog(Window owner, BundleLibrary library, Executor worker, Consumer<Path> loadNow) {
        this.library = library;
        this.worker = worker;
        this.loadNow = loadNow;
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Model bundles");

        table.setId("bundles-table");
        table.setPlaceholder(new Label("No model bundle: import one."));
        table.getColumns().add(column("", 28, r -> r.isDefault() ? "★" : ""));
        table.getColumns().add(column("Name", 150, Row::name));
        table.getColumns().add(column("From", 80, r -> r.entry().installed() ? "installed" : "yours"));
        table.getColumns().add(column("Size", 80,
                r -> r.details() == null ? "…" : BundleLibrary.megabytes(r.details().bytes())));
        table.getColumns().add(column("Classes", 64, r -> r.details() == null ? "…" : Integer.toString(r.details().classes())));
        table.getColumns().add(column("Devices", 140, r -> r.details() == null ? "…" : r.details().devices()));
        table.getColumns().add(column("Checksums", 150, r -> r.details() == null ? "checking…"
                : r.details().verified() ? "all match" : "NOT VERIFIED"));
        table.setRowFactory(tv -> {
            javafx.scene.control.TableRow<Row> row = new javafx.scene.control.TableRow<>() {
                @Override
                protected void updateItem(Row item, boolean empty) {
                    super.updateItem(item, empty);
                    setTooltip(item == null || item.details() == null ? null
                            : new Tooltip(item.entry().dir() + (item.details().verified() ? ""
                                    : "\n" + item.details().problem())));
                }
            };
            row.setOnMouseClicked(e -> {
                if (e.getClickCount() == 2 && !row.isEmpty()) {
                    loadSelected();
                }
            });
            return row;
        });
        table.setPrefHeight(200);
        VBox.setVgrow(table, Priority.ALWAYS);

        bar.setId("bundles-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        bar.setVisible(false);
        status.setId("bundles-status");
        status.setWrapText(true);
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(Region.USE_PREF_SIZE);
        importButton.setId("bundles-import");
        importButton.setOnAction(e -> folderChooser.apply(stage).ifPresent(this::importFolder));
        cancel.setId("bundles-cancel");
        cancel.setDisable(true);
        cancel.setOnAction(e -> cancelImport());
        remove.setId("bundles-remove");
        remove.setOnAction(e -> removeSelected());
        makeDefault.setId("bundles-default");
        makeDefault.setOnAction(e -> setDefaultSelected());
        use.setId("bundles-load");
        use.setOnAction(e -> loadSelected());
        close.setId("bundles-close");
        close.setOnAction(e -> stage.hide());
        var selected = table.getSelectionModel().selectedItemProperty();
        remove.disableProperty().bind(selected.isNull().or(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> selected.get() != null && selected.get().entry().installed(), selected)));
        makeDefault.disableProperty().bind(selected.isNull());
        use.disableProperty().bind(selected.isNull());
        stage.setOnCloseRequest(e -> cancelImport());

        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        HBox buttons = new HBox(8, importButton, cancel, remove, gap, makeDefault, use, close);
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label help = new Label("★ is the default: the window loads it at start and predict uses it without "
                + "--model. Your bundles live in " + library.userDir() + ".");
        help.setWrapText(true);
        help.setMinHeight(Region.USE_PREF_SIZE);
        VBox root = new VBox(10, table, help, bar, status, buttons);
        root.setPadding(new Insets(12));
        root.setPrefWidth(720);
        stage.setScene(new Scene(root));
        sampler = new Timeline(new KeyFrame(Duration.millis(200), e -> showProgress()));
        sampler.setCycleCount(Timeline.INDEFINITE);
    }

    private static TableColumn<Row, String> column(String title, double width, Function<Row, String> text) {
        TableColumn<Row, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(text.apply(cell.getValue())));
        return c;
    }


    /** Shows the dialog (never waits) and re-reads the bundles. */
    public CompletableFuture<List<Row>> show() {
        Window owner = stage.getOwner();
        if (owner != null && owner.getScene() != null) {
            stage.getScene().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.show();
        stage.toFront();
        return refresh();
    }

    /** The rows shown now. */
    public List<Row> rows() {
        return List.copyOf(table.getItems());
    }

    /** Replaces the rows, the selected bundle staying selected. */
    private void showRows(List<Row> rows) {
        Row selected = table.getSelectionModel().getSelectedItem();
        table.getItems().setAll(rows);
        if (selected != null) {
            select(selected.name());
        }
    }

    /** Selects the row of bundle {@code name} (false when there is none). */
    public boolean select(String name) {
        for (Row r : table.getItems()) {
            if (r.name().equals(name)) {
                table.getSelectionModel().select(r);
                return true;
            }
        }
        return false;
    }

    /** Replaces the platform folder chooser of Import… (UI tests: it cannot be driven headless). */
    public void setFolderChooser(Function<Window, Optional<Path>> chooser) {
        folderChooser = chooser;
    }

    /** Replaces the question before Remove (UI tests). */
    public void setRemoveConfirmation(Predicate<String> confirm) {
        confirmRemove = confirm;
    }

    /**
     * Lists the bundles at once (details "checking…"), then checks each on the worker. The future
     * completes on the FX thread with every row checked.
     */
    public CompletableFuture<List<Row>> refresh() {
        List<BundleLibrary.Entry> entries;
        try {
            entries = library.list();
        } catch (java.io.IOException e) {
            status.setText("Cannot list the bundles: " + e.getMessage());
            return CompletableFuture.completedFuture(List.of());
        }
        Path def = library.defaultBundle();
        showRows(entries.stream().map(e -> new Row(e, null, e.dir().equals(def))).toList());
        CompletableFuture<List<Row>> done = new CompletableFuture<>();
        CompletableFuture.supplyAsync(() -> entries.stream().map(library::describe).toList(), worker)
                .whenComplete((details, failure) -> Platform.runLater(() -> {
                    if (failure != null) {
                        status.setText("Cannot check the bundles: " + failure.getMessage());
                        done.complete(rows());
                        return;
                    }
                    showRows(details.stream().map(d -> new Row(d.entry(), d, d.entry().dir().equals(def))).toList());
                    long bad = details.stream().filter(d -> !d.verified()).count();
                    if (bad > 0 && running == null) {
                        status.setText(bad + " bundle(s) do not verify and will not load: " + details.stream()
                                .filter(d -> !d.verified()).map(d -> d.entry().name() + " (" + d.problem() + ")")
                                .findFirst().orElse(""));
                    }
                    done.complete(rows());
                }));
        return done;
    }

    /**
     * Imports the bundle folder on the worker with a progress bar. The future completes on the FX
     * thread once the dialog shows the outcome (exceptionally when refused, failed or cancelled).
     */
    public CompletableFuture<BundleLibrary.Entry> importFolder(Path folder) {
        CompletableFuture<BundleLibrary.Entry> done = new CompletableFuture<>();
        if (running != null) {
            done.completeExceptionally(new IllegalStateException("an import is already running"));
            return done;
        }
        Cancellation c = new Cancellation();
        LatestProgress p = new LatestProgress();
        running = c;
        progress = p;
        setRunning(true);
        status.setText("Importing " + folder + " …");
        bar.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        CompletableFuture.supplyAsync(() -> {
            try {
                return library.importBundle(folder, p, c);
            } catch (java.io.IOException | BundleException e) {
                throw new CompletionException(e);
            }
        }, worker).whenComplete((entry, failure) -> Platform.runLater(() -> {
            running = null;
            setRunning(false);
            if (failure == null) {
                status.setText("Imported " + entry.name() + " (" + entry.dir() + ").");
                refresh().thenRun(() -> {
                    select(entry.name());
                    done.complete(entry);
                });
                return;
            }
            Throwable cause = ovavss.studio.task.Futures.cause(failure);
            status.setText(cause instanceof CancellationException ? "Import cancelled: nothing was kept."
                    : "Not imported: " + cause.getMessage());
            done.completeExceptionally(cause);
        }));
        return done;
    }

    /** Stops a running import; it leaves nothing. */
    public void cancelImport() {
        Cancellation c = running;
        if (c != null) {
            c.cancel();
            status.setText("Cancelling…");
        }
    }

    /** Removes the selected user bundle after asking; the future completes once the list is re-read. */
    public CompletableFuture<List<Row>> removeSelected() {
        Row r = table.getSelectionModel().getSelectedItem();
        if (r == null || r.entry().installed() || !confirmRemove.test(r.name())) {
            return CompletableFuture.completedFuture(rows());
        }
        try {
            library.remove(r.name());
            status.setText("Removed " + r.name() + ".");
        } catch (java.io.IOException | BundleException e) {
            status.setText("Not removed: " + e.getMessage());
        }
        return refresh();
    }

    /** Makes the selected bundle the default; the future completes once the list is re-read. */
    public CompletableFuture<List<Row>> setDefaultSelected() {
        Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) {
            return CompletableFuture.completedFuture(rows());
        }
        if (r.details() != null && !r.details().verified()) {
            status.setText("Not the default: " + r.name() + " does not verify (" + r.details().problem() + ").");
            return CompletableFuture.completedFuture(rows());
        }
        try {
            library.setDefault(r.name());
            status.setText(r.name() + " is the default from now on (Load now uses it in this window).");
        } catch (java.io.IOException | BundleException e) {
            status.setText("Not the default: " + e.getMessage());
        }
        return refresh();
    }

    /** Loads the selected bundle into the window. */
    public void loadSelected() {
        Row r = table.getSelectionModel().getSelectedItem();
        if (r == null) {
            return;
        }
        if (r.details() != null && !r.details().verified()) {
            status.setText("Cannot load " + r.name() + ": " + r.details().problem());
            return;
        }
        loadNow.accept(r.entry().dir());
        status.setText("Loading " + r.name() + " in the window…");
    }

    private void setRunning(boolean on) {
        importButton.setDisable(on);
        cancel.setDisable(!on);
        bar.setVisible(on);
        if (on) {
            sampler.play();
        } else {
            sampler.stop();
        }
    }

    private void showProgress() {
        LatestProgress p = progress;
        if (p == null || running == null) {
            return;
        }
        Progress now = p.get();
        double f = now.fraction();
        if (f < 0) {
            return;
        }
        bar.setProgress(f);
        status.setText(String.format(Locale.ROOT, "%s: %s of %s", now.message(), BundleLibrary.megabytes(now.done()),
                BundleLibrary.megabytes(now.total())));
    }

    private boolean askRemove(String name) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Delete the model bundle '" + name + "' and its files?",
                ButtonType.OK, ButtonType.CANCEL);
        a.initOwner(stage);
        a.setHeaderText("Remove " + name);
        return a.showAndWait().filter(b -> b == ButtonType.OK).isPresent();
    }

    private static Optional<Path> chooseFolder(Window owner) {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Model bundle folder to import (holding bundle.json)");
        File f = dc.showDialog(owner);
        return Optional.ofNullable(f).map(File::toPath);
    }
}
