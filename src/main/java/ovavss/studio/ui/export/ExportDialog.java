package ovavss.studio.ui.export;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;
import ovavss.studio.annotation.Project;
import ovavss.studio.app.export.ExportException;
import ovavss.studio.app.export.ProjectExport;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.LatestProgress;
import ovavss.studio.task.Progress;
import ovavss.studio.ui.project.FolderDialogs;
import ovavss.studio.ui.project.ProjectViewModel;

/**
 * File › Export AVSBench: the window's face of {@link ProjectExport}, the use case {@code export}
 * runs. Layout, size, threads, frames/audio and the destination are chosen here; the export runs on
 * the worker it is given, with a progress bar, an ETA and Cancel, and ends with a summary. The
 * progress bar samples the worker's latest snapshot five times a second instead of one callback per
 * clip. The dialog is modeless in the sense that the FX thread never waits for it.
 */
public final class ExportDialog {
    private final ProjectViewModel project;
    private final Executor worker;
    private final Stage stage = new Stage();
    private final ComboBox<ProjectExport.Layout> layout = new ComboBox<>();
    private final CheckBox nativeSize = new CheckBox("Keep each clip's size");
    private final Spinner<Integer> size = new Spinner<>(1, ProjectExport.MAX_SIZE, ProjectExport.Request.DEFAULT_SIZE);
    private final Spinner<Integer> threads = new Spinner<>(1, 64, AvsbenchExporter.defaultThreads());
    private final CheckBox frames = new CheckBox("Frames");
    private final CheckBox audio = new CheckBox("Audio (16 kHz mono wav)");
    private final TextField destination = new TextField();
    private final Button browse = new Button("Browse…");
    private final ProgressBar bar = new ProgressBar(0);
    private final Label status = new Label("Choose a new or empty folder.");
    private final Button start = new Button("Export");
    private final Button cancel = new Button("Cancel");
    private final Button close = new Button("Close");
    /** Shown after a successful export: the new dataset in the desktop's file manager. */
    private final Button openFolder = new Button("Open folder");
    private Path exported;
    private final Timeline sampler;
    private Function<String, Optional<Path>> folderChooser = this::showSaveDialog;
    private LatestProgress progress;
    private Cancellation running;
    private long startedNanos;

    /**
     * @param project the project to export (its snapshot when Export is pressed)
     * @param worker runs the export; owned by the composition root
     */
    public ExportDialog(Window owner, ProjectViewModel project, Executor worker) {
        this.project = project;
        this.worker = worker;
        stage.initOwner(owner);
        stage.initModality(Modality.NONE);
        stage.setTitle("Export AVSBench");
        layout.getItems().setAll(ProjectExport.Layout.values());
        layout.setValue(ProjectExport.Layout.SEMANTIC);
        layout.setId("export-layout");
        layout.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(ProjectExport.Layout l) {
                return l == null ? "" : switch (l) {
                    case SEMANTIC -> "AVSBench-semantic (AVSS)";
                    case S4 -> "S4 (single source, binary)";
                    case MS3 -> "MS3 (multiple sources, binary)";
                };
            }

            @Override
            public ProjectExport.Layout fromString(String s) {
                return layout.getValue();
            }
        });
        size.setEditable(true);
        size.setId("export-size");
        threads.setEditable(true);
        threads.setId("export-threads");
        nativeSize.setId("export-native-size");
        // the semantic layout keeps each clip's size; only the binary layouts resize
        size.disableProperty().bind(layout.valueProperty().isEqualTo(ProjectExport.Layout.SEMANTIC)
                .or(nativeSize.selectedProperty()));
        nativeSize.disableProperty().bind(layout.valueProperty().isEqualTo(ProjectExport.Layout.SEMANTIC));
        frames.setSelected(true);
        audio.setSelected(true);
        destination.setId("export-destination");
        destination.setPromptText("a new or empty folder");
        HBox.setHgrow(destination, Priority.ALWAYS);
        browse.setOnAction(e -> folderChooser.apply("Export AVSBench into folder")
                .ifPresent(p -> destination.setText(p.toString())));
        bar.setId("export-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        status.setId("export-status");
        status.setWrapText(true);
        status.setMaxWidth(Double.MAX_VALUE);
        status.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        start.setId("export-start");
        start.setDefaultButton(true);
        start.disableProperty().bind(destination.textProperty().isEmpty());
        start.setOnAction(e -> start());
        cancel.setId("export-cancel");
        cancel.setDisable(true);
        cancel.setOnAction(e -> cancel());
        close.setId("export-close");
        close.setOnAction(e -> stage.hide());
        stage.setOnCloseRequest(e -> cancel());

        GridPane form = new GridPane();
        form.setHgap(8);
        form.setVgap(6);
        form.addRow(0, new Label("Layout"), layout);
        form.addRow(1, new Label("Size (binary)"), new HBox(8, size, nativeSize));
        form.addRow(2, new Label("Threads"), threads);
        form.addRow(3, new Label("Write"), new HBox(12, frames, audio));
        form.addRow(4, new Label("Destination"), new HBox(6, destination, browse));
        GridPane.setHgrow(form.getChildren().get(9), Priority.ALWAYS);
        openFolder.setId("export-open-folder");
        openFolder.setVisible(false);
        openFolder.managedProperty().bind(openFolder.visibleProperty());
        openFolder.setOnAction(e -> {
            if (exported != null && !FolderDialogs.openInFileManager(exported)) {
                status.setText(status.getText() + " (no file manager to show it in)");
            }
        });
        HBox buttons = new HBox(8, openFolder, start, cancel, close);
        buttons.setAlignment(Pos.CENTER_RIGHT);
        VBox root = new VBox(10, form, bar, status, buttons);
        root.setPadding(new Insets(12));
        root.setPrefWidth(560);
        stage.setScene(new Scene(root));
        sampler = new Timeline(new KeyFrame(Duration.millis(200), e -> showProgress()));
        sampler.setCycleCount(Timeline.INDEFINITE);
    }

    /** Shows the dialog (never waits); the destination starts empty so nothing is overwritten by accident. */
    public void show() {
        Window owner = stage.getOwner();
        if (owner != null && owner.getScene() != null) {
            // the window's theme, so the dialog is not the only light thing on a dark desktop
            stage.getScene().getStylesheets().setAll(owner.getScene().getStylesheets());
        }
        stage.show();
        stage.toFront();
    }

    /** Replaces the platform folder chooser of Browse… (UI tests: it cannot be driven headless). */
    public void setFolderChooser(Function<String, Optional<Path>> chooser) {
        folderChooser = chooser;
    }

    /** Sets the destination field (what Browse… does with the chosen folder). */
    public void setDestination(Path folder) {
        destination.setText(folder.toString());
    }

    /** The request the form describes. */
    ProjectExport.Request request() {
        ProjectExport.Layout l = layout.getValue();
        Integer sz = !l.binary() || nativeSize.isSelected() ? null : size.getValue();
        return new ProjectExport.Request(Path.of(destination.getText().strip()), l, sz, frames.isSelected(),
                audio.isSelected(), threads.getValue());
    }

    /**
     * Starts the export the form describes on the worker. The future completes on the FX thread
     * once the dialog shows the outcome: with the summary, or exceptionally (cancelled, refused, failed).
     */
    public CompletableFuture<AvsbenchExporter.Summary> start() {
        CompletableFuture<AvsbenchExporter.Summary> done = new CompletableFuture<>();
        if (running != null) {
            done.completeExceptionally(new IllegalStateException("an export is already running"));
            return done;
        }
        ProjectExport.Request request;
        try {
            request = request();
        } catch (RuntimeException e) {
            status.setText(e.getMessage());
            done.completeExceptionally(e);
            return done;
        }
        Project snapshot = project.getProject();
        Path folder = project.getProjectPath();
        Cancellation c = new Cancellation();
        LatestProgress p = new LatestProgress();
        running = c;
        progress = p;
        startedNanos = System.nanoTime();
        setRunning(true);
        openFolder.setVisible(false);
        status.setText("Exporting " + snapshot.clips().size() + " clip(s) to " + request.out() + " …");
        bar.setProgress(ProgressBar.INDETERMINATE_PROGRESS);
        CompletableFuture.supplyAsync(() -> {
            try {
                return ProjectExport.run(snapshot, folder, request, p, c);
            } catch (java.io.IOException e) {
                throw new CompletionException(e);
            }
        }, worker).whenComplete((summary, failure) -> Platform.runLater(() -> {
            running = null;
            setRunning(false);
            if (failure == null) {
                bar.setProgress(1);
                status.setText(String.format(Locale.ROOT,
                        "Exported %d clip(s): %d label frame(s), %d frame(s), %d audio file(s) to %s in %.1f s.",
                        summary.clips(), summary.labelFrames(), summary.frames(), summary.audioFiles(),
                        request.out(), (System.nanoTime() - startedNanos) / 1e9));
                project.showMessage("Exported " + summary.clips() + " clip(s) to " + request.out());
                exported = request.out();
                openFolder.setVisible(true);
                done.complete(summary);
                return;
            }
            Throwable cause = ovavss.studio.task.Futures.cause(failure);
            bar.setProgress(0);
            status.setText(cause instanceof CancellationException ? "Cancelled: nothing was written."
                    : cause instanceof ExportException ? "Not exported: " + cause.getMessage()
                    : "Export failed, nothing was written: " + cause.getMessage());
            done.completeExceptionally(cause);
        }));
        return done;
    }

    /** Asks the running export to stop before its next clip; the outcome shows when it has. */
    public void cancel() {
        Cancellation c = running;
        if (c != null) {
            c.cancel();
            status.setText("Cancelling…");
            cancel.setDisable(true);
        }
    }

    private void setRunning(boolean on) {
        for (var n : new javafx.scene.Node[] {layout, size, nativeSize, threads, frames, audio, destination, browse}) {
            if (!n.disableProperty().isBound()) {
                n.setDisable(on);
            }
        }
        start.disableProperty().unbind();
        if (on) {
            start.setDisable(true);
            sampler.play();
        } else {
            start.disableProperty().bind(destination.textProperty().isEmpty());
            sampler.stop();
        }
        cancel.setDisable(!on);
    }

    private void showProgress() {
        LatestProgress p = progress;
        if (p == null || running == null) {
            return;
        }
        Progress now = p.get();
        double f = now.fraction();
        if (f <= 0) {
            return;
        }
        bar.setProgress(f);
        double elapsed = (System.nanoTime() - startedNanos) / 1e9;
        double left = elapsed * (1 - f) / f;
        status.setText(String.format(Locale.ROOT, "%d of %d clip(s), about %s left", now.done(), now.total(),
                left < 60 ? Math.round(left) + " s" : Math.round(left / 60) + " min"));
    }

    /** A save dialog: the export's folder is typed as a new name (a folder chooser only picks existing ones). */
    private Optional<Path> showSaveDialog(String title) {
        Path folder = project.getProjectPath();
        String name = (project.getProject().name().isBlank() ? "project" : project.getProject().name()) + "-avsbench";
        return FolderDialogs.newFolder(stage, title, folder == null ? null : folder.getParent(), name);
    }
}
