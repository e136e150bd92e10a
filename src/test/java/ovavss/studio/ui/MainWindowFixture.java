package ovavss.studio.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.stage.Stage;
import ovavss.studio.app.playback.AudioPlayback;
import ovavss.studio.media.MediaOpener;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The main window of a TestFX test, built as the app builds it but with its own project and model
 * job and no audio output: {@link #show} it from the test's {@code @Start} method and
 * {@link #close()} it in {@code @AfterEach}.
 */
final class MainWindowFixture {
    final Stage stage;
    final MainView view;
    private final WindowExecutors workers;

    private MainWindowFixture(Stage stage, double width, double height) {
        // The wall clock, not an audio line: build machines may have none.
        System.setProperty(AudioPlayback.PROPERTY, "off");
        this.stage = stage;
        workers = WindowExecutors.create();
        view = new MainView(MediaOpener::open, workers);
        stage.setScene(StudioApp.createScene(view, width, height));
        stage.show();
    }

    /** Puts a new main window of {@code width} x {@code height} on {@code stage} and shows it. */
    static MainWindowFixture show(Stage stage, double width, double height) {
        return new MainWindowFixture(stage, width, height);
    }

    /** Releases the window's media and stops its workers. */
    void close() throws Exception {
        WaitForAsyncUtils.asyncFx(view::dispose).get(5, TimeUnit.SECONDS).get(15, TimeUnit.SECONDS);
        workers.shutdownNow();
    }

    /** Runs {@code c} on the FX thread and returns its result, waiting 10 s at most. */
    static <T> T fx(Callable<T> c) throws Exception {
        return WaitForAsyncUtils.asyncFx(c).get(10, TimeUnit.SECONDS);
    }

    /** Where media pixel ({@code mx}, {@code my}) of the mask overlay is on the screen. */
    Point2D screen(double mx, double my) throws Exception {
        return fx(() -> {
            Point2D l = view.overlay.toLocal(mx, my);
            return view.overlay.localToScreen(l.getX(), l.getY());
        });
    }
}
