package ovavss.studio.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javafx.util.Duration;
import javax.imageio.ImageIO;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.app.AnalysisJob;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.app.InstallFiles;
import ovavss.studio.app.ProjectSession;
import ovavss.studio.app.RecentProjects;
import ovavss.studio.app.SessionRecovery;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.files.Messages;
import ovavss.studio.files.OutputTargets;
import ovavss.studio.media.MediaOpener;
import ovavss.studio.media.SampleClip;
import ovavss.studio.task.NamedThreads;
import ovavss.studio.ui.project.ProjectViewModel;
import ovavss.studio.ui.project.RecoveryPrompt;
import ovavss.studio.ui.project.SaveChangesPrompt;
import ovavss.studio.ui.project.SilentClipPrompt;
import ovavss.studio.ui.settings.ModelSettings;
import ovavss.studio.ui.settings.WindowLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JavaFX application (composition root of the GUI). Started by {@code ovavss.studio.Launcher}
 * through {@link #launchGui(String[])} with no argument (the AV-Shapes demo clip, else the
 * generated sample clip), a media path,
 * or GUI options:
 * <pre>
 *   [media] [--model bundle-dir] [--analyse] [--screenshot out.png] [--at seconds] [--size WIDTHxHEIGHT]
 * </pre>
 * The model bundle is {@code --model}, else {@value AnalysisJob#DEFAULT_BUNDLE} under the working
 * directory or next to the jar, else none ("no model" in the status bar); it loads in the
 * background. {@code --analyse} runs Analyse on the media once it is open.
 * {@code --screenshot} opens the media, waits until the layout is done, the frame at the playhead
 * is shown, the waveform and spectrogram of the view are complete and (with {@code --analyse})
 * the analysis has finished, writes the window to a PNG and exits (status 0, or non-zero with a
 * message on failure).
 *
 * <p>A normal run also keeps crash recovery (and offers to restore what a crashed session left),
 * the recent projects and the window layout, notifies finished analyses, and asks before closing
 * with unsaved work;
 * {@code --screenshot} runs do none of that, so they neither touch the user's state nor depend
 * on it (nor wait for an answer).
 */
public final class StudioApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(StudioApp.class);
    private static final String CSS = "/ovavss/studio/ui/studio.css";
    private static final String ANALYSIS_CSS = "/ovavss/studio/ui/analysis.css";
    private static final int SCREENSHOT_TIMEOUT_S = 120;

    /** Options parsed by {@link #launchGui}, read by {@link #start}. */
    record Options(Path media, Path screenshot, double atSeconds, int width, int height, Path model,
                   boolean analyse, ovavss.studio.model.AnalysisMethod method) {
        Options(Path media, Path screenshot, double atSeconds, int width, int height, Path model, boolean analyse) {
            this(media, screenshot, atSeconds, width, height, model, analyse, null);
        }
    }

    private static volatile Options options = new Options(null, null, 0, 1280, 800, null, false);
    private static final AtomicInteger EXIT_CODE = new AtomicInteger();

    private MainView view;
    private WindowExecutors workers;
    private AnalysisJob job;
    private ProjectViewModel project;
    /** Null in screenshot runs. */
    private WindowPlacement placement;

    /** Entry point used by the launcher; returns only for errors in the arguments, else exits when the window closes. */
    public static void launchGui(String[] args) {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("ovavss-studio: " + e.getMessage());
            System.err.println("usage: ovavss-studio [media-file-or-clip-folder] [--model bundle-dir] [--analyse]"
                    + " [--method ovavss|seac|openavs] [--screenshot out.png] [--at seconds] [--size WxH]");
            System.exit(2);
            return;
        }
        if (o.screenshot() != null) {
            try {
                // refused before the window opens: never a device, a folder or the media itself
                OutputTargets.checkFile(o.screenshot(), o.media() == null ? new Path[0] : new Path[] {o.media()});
            } catch (IllegalArgumentException e) {
                System.err.println("ovavss-studio: --screenshot: " + e.getMessage());
                System.exit(2);
                return;
            }
        }
        options = o;
        Application.launch(StudioApp.class);
        if (o.screenshot() != null) {
            System.exit(EXIT_CODE.get());
        }
    }

    static Options parse(String[] args) {
        Path media = null;
        Path shot = null;
        double at = 0;
        int w = 1280;
        int h = 800;
        Path model = null;
        boolean analyse = false;
        ovavss.studio.model.AnalysisMethod method = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--screenshot" -> shot = Path.of(value(args, ++i, a));
                case "--model" -> model = Path.of(value(args, ++i, a));
                case "--analyse", "--analyze" -> analyse = true;
                case "--method" -> method = ovavss.studio.model.AnalysisMethod.parse(value(args, ++i, a));
                case "--at" -> {
                    try {
                        at = Double.parseDouble(value(args, ++i, a));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--at needs seconds, e.g. --at 3.5");
                    }
                }
                case "--size" -> {
                    String[] wh = value(args, ++i, a).toLowerCase().split("x");
                    try {
                        w = Integer.parseInt(wh[0]);
                        h = Integer.parseInt(wh[1]);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("--size needs WIDTHxHEIGHT, e.g. 1280x800");
                    }
                }
                default -> {
                    if (a.startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    if (media != null) {
                        throw new IllegalArgumentException("only one media path, got " + media + " and " + a);
                    }
                    media = Path.of(a);
                }
            }
        }
        if (model != null && !Files.isRegularFile(model.resolve("bundle.json"))) {
            throw new IllegalArgumentException("--model " + model + " is not a model bundle (no bundle.json there)");
        }
        return new Options(media, shot, at, w, h, model, analyse, method);
    }

    private static String value(String[] args, int i, String opt) {
        if (i >= args.length) {
            throw new IllegalArgumentException(opt + " needs a value");
        }
        return args[i];
    }

    /** The AV-Shapes demo clip that goes with the demo bundle (the model was trained on this world). */
    static final String DEMO_SAMPLE = "models/samples/avshapes-test-0.mp4";

    /**
     * A file shipped with the app: {@code relative} under the working directory, else next to the
     * application's jar or up to two folders above it; null when it is nowhere.
     */
    static Path findInstalled(String relative) {
        return InstallFiles.locate(relative, Files::exists).orElse(null);
    }

    /**
     * The sample clip: the AV-Shapes demo clip when it is installed (so the demo model has
     * something it knows), else the generated sample, or empty (logged) when neither is there.
     */
    static Optional<Path> sampleClip() {
        Path demo = findInstalled(DEMO_SAMPLE);
        if (demo != null) {
            return Optional.of(demo);
        }
        try {
            return Optional.of(SampleClip.path());
        } catch (RuntimeException e) {
            LOG.error("cannot extract the sample clip", e);
            return Optional.empty();
        }
    }

    /**
     * The bundle to load: the one given, else the user's default ({@link BundleLibrary#defaultBundle()}) when it holds
     * a bundle, else null (no model).
     */
    static Path findBundle(Path given) {
        if (given != null) {
            return given;
        }
        Path d = BundleLibrary.standard().defaultBundle();
        return d != null && Files.isRegularFile(d.resolve("bundle.json")) ? d : null;
    }

    /** Builds the scene (also used by the UI tests). */
    static Scene createScene(MainView view, double width, double height) {
        Scene scene = new Scene(view, width, height);
        scene.getStylesheets().add(StudioApp.class.getResource(CSS).toExternalForm());
        scene.getStylesheets().add(StudioApp.class.getResource(ANALYSIS_CSS).toExternalForm());
        view.installKeys(scene);
        return scene;
    }

    /** The project view model over a new session on {@code io} and {@code scheduler}, delivering on the FX thread. */
    static ProjectViewModel projectViewModel(ExecutorService io, ScheduledExecutorService scheduler) {
        return new ProjectViewModel(new ProjectSession(Project.empty("Untitled"), new ProjectStore(), io, scheduler,
                Platform::runLater));
    }

    @Override
    public void start(Stage stage) {
        Options o = options;
        workers = WindowExecutors.create();
        ModelSettings settings = ModelSettings.load(ModelSettings.node());
        // GPU runtime options must be in place before the first DJL call of the process.
        settings.applyRuntimeOptions();
        job = new AnalysisJob();
        project = projectViewModel(workers.projectIo(), workers.autosave());
        view = new MainView(MediaOpener::open, workers, job, project, false);
        view.setModelSettings(settings);
        stage.titleProperty().bind(view.titleBinding());
        for (int size : new int[] {16, 32, 64, 128, 256}) {
            java.net.URL icon = StudioApp.class.getResource("/ovavss/studio/ui/icons/ovavss-studio-" + size + ".png");
            if (icon != null) {
                stage.getIcons().add(new javafx.scene.image.Image(icon.toExternalForm()));
            }
        }
        stage.setScene(createScene(view, o.width(), o.height()));
        CompletableFuture<List<RecentProjects.Entry>> recent = CompletableFuture.completedFuture(List.of());
        if (o.screenshot() == null) {
            // Unsaved work is asked about first; a project with a folder is flushed by stop().
            view.guardClose(stage, SaveChangesPrompt.dialog(() -> stage), Platform::exit);
            view.setNotificationsEnabled(true);
            placement = new WindowPlacement(stage, view);
            WindowLayout.load(WindowLayout.node()).ifPresent(placement::apply);
            recent = view.editing.recentProjects().use(RecentProjects.defaultFile());
        } else {
            stage.setOnCloseRequest(e -> Platform.exit());
        }
        reportWhenShown(stage.getScene());
        stage.show();

        Path bundle = findBundle(o.model());
        if (bundle == null) {
            LOG.info("no model bundle found (looked for {}); start with --model DIR", AnalysisJob.DEFAULT_BUNDLE);
        }
        view.loadModel(bundle).thenRun(() -> LOG.info("startup: model ready {} ms after the process started",
                millisSinceProcessStart()));

        if (o.screenshot() == null) {
            // The media opens once the user has answered about a crashed session's work (if any).
            // with no media named, the project of last time comes back as it was saved
            recent.exceptionally(e -> List.of()).thenCompose(entries -> view.recoverThenOpen(
                    SessionRecovery.defaultRoot(), RecoveryPrompt.dialog(() -> stage), o.media(),
                    entries.stream().filter(RecentProjects.Entry::exists).map(RecentProjects.Entry::folder)
                            .findFirst().orElse(null),
                    StudioApp::sampleClip)).thenAccept(info -> {
                        if (info != null) {
                            afterOpen(o);
                        }
                    });
            return;
        }
        // a screenshot run never waits for an answer: --analyse on a clip without audio analyses it as silence
        view.setSilentClipPrompt(SilentClipPrompt.answering(true));
        Path media = o.media() != null ? o.media() : sampleClip().orElse(null);
        view.setErrorHandler(err -> fail(2, "cannot open " + media + ": " + err.getMessage()));
        if (media == null) {
            fail(2, "no media and the sample clip cannot be extracted");
            return;
        }
        view.open(media).thenAccept(info -> {
            afterOpen(o);
            awaitThenSnapshot(stage, o.screenshot());
        });
    }

    /**
     * Logs once when the window was first drawn, counted from the process's start as the system
     * saw it (what a user waits for after clicking the icon; the installer's figures read it).
     */
    private static void reportWhenShown(Scene scene) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            // the pulse that laid the window out is drawn right after this listener
            Platform.runLater(() -> LOG.info("startup: window shown {} ms after the process started",
                    millisSinceProcessStart()));
        };
        scene.addPostLayoutPulseListener(once[0]);
    }

    /**
     * How long ago this process started. On Linux from {@code /proc} (the process's start in clock
     * ticks since boot against the system's uptime, both to 10 ms; {@link ProcessHandle} rounds the
     * boot time to whole seconds); elsewhere the JVM's uptime, which starts a few ms later.
     */
    static long millisSinceProcessStart() {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc/self/stat"));
            // the fields after the command name (which may hold spaces), from field 3 on
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double startedS = Long.parseLong(f[19]) / 100.0;
            double uptimeS = Double.parseDouble(java.nio.file.Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
            return Math.round((uptimeS - startedS) * 1000);
        } catch (java.io.IOException | RuntimeException e) {
            return java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        }
    }

    /** --at, --method and --analyse, once the media is open. */
    private void afterOpen(Options o) {
        if (o.method() != null) {
            // kept when the bundle offers it (the load confirms), else OV-AVSS with the bundle's methods listed
            view.analysis.methodProperty().set(o.method());
        }
        if (o.atSeconds() > 0) {
            view.player.seek(Math.round(o.atSeconds() * 1e6));
        }
        if (o.analyse()) {
            view.analyse();
        }
    }

    /** Polls (on the FX thread, never blocking it) until the window is fully drawn, then snapshots. */
    private void awaitThenSnapshot(Stage stage, Path out) {
        long deadline = System.nanoTime() + SCREENSHOT_TIMEOUT_S * 1_000_000_000L;
        int[] readyPolls = {0};
        Timeline poll = new Timeline();
        poll.getKeyFrames().add(new KeyFrame(Duration.millis(100), e -> {
            if (isFullyDrawn()) {
                // Stay ready for a few polls so the last tiles' repaints have reached the canvas.
                if (++readyPolls[0] >= 3) {
                    poll.stop();
                    try {
                        writeSnapshot(stage.getScene(), out);
                        System.out.println("screenshot written to " + out.toAbsolutePath());
                        EXIT_CODE.set(0);
                    } catch (IOException | RuntimeException ex) {
                        fail(2, "cannot write " + out + ": " + Messages.oneLine(ex));
                        return;
                    }
                    Platform.exit();
                }
            } else {
                readyPolls[0] = 0;
                if (System.nanoTime() > deadline) {
                    poll.stop();
                    fail(1, "timed out after " + SCREENSHOT_TIMEOUT_S + " s waiting for the first frame and the spectrogram");
                }
            }
        }));
        poll.setCycleCount(Timeline.INDEFINITE);
        poll.play();
    }

    private boolean isFullyDrawn() {
        return view.isFullyDrawn() && view.analysisIdle();
    }

    static void writeSnapshot(Scene scene, Path out) throws IOException {
        WritableImage img = scene.snapshot(null);
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] px = new int[w * h];
        img.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        bi.setRGB(0, 0, w, h, px, 0, w);
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        AtomicFiles.writeWith(abs, tmp -> {
            if (!ImageIO.write(bi, "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
        });
    }

    private void fail(int code, String message) {
        System.err.println("ovavss-studio: " + message);
        EXIT_CODE.set(code);
        Platform.exit();
    }

    @Override
    public void stop() {
        WindowLayout layout = placement == null ? null : placement.capture();
        if (view != null) {
            view.dispose();
        }
        WindowExecutors threads = workers;
        if (threads != null) {
            threads.stopWork();
        }
        if (project != null) {
            CompletableFuture<Void> closed = project.close();
            // Not a daemon: the JVM waits for the last autosave, the recovery clean-up and the
            // layout before it exits; a stuck disk costs at most the timeout. The project's
            // threads stop once its close has run on them.
            Thread t = new Thread(() -> {
                if (layout != null) {
                    layout.save(WindowLayout.node());
                }
                try {
                    closed.get(15, TimeUnit.SECONDS);
                } catch (Exception e) {
                    LOG.warn("project did not close cleanly: {}", e.toString());
                } finally {
                    threads.stopProjectThreads();
                }
            }, "ovavss-exit");
            t.start();
        }
        if (job != null) {
            // Closing waits for a running window to end: off the FX thread; the JVM exits meanwhile (daemon).
            NamedThreads.start("ovavss-model-close", job::close);
        }
    }
}
