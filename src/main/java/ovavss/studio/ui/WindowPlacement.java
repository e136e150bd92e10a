package ovavss.studio.ui;

import java.util.List;
import javafx.application.Platform;
import javafx.beans.InvalidationListener;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;
import ovavss.studio.ui.settings.WindowLayout;

/**
 * Applies a remembered {@link WindowLayout} to the main window and captures the current one. The
 * normal bounds are followed while the window is neither maximised nor iconified, so a window that
 * closes maximised still remembers where it goes when it is restored. FX thread only.
 */
final class WindowPlacement {
    private final Stage stage;
    private final MainView view;
    private double x = Double.NaN;
    private double y;
    private double width;
    private double height;
    private boolean pending;

    WindowPlacement(Stage stage, MainView view) {
        this.stage = stage;
        this.view = view;
        InvalidationListener moved = o -> later();
        stage.xProperty().addListener(moved);
        stage.yProperty().addListener(moved);
        stage.widthProperty().addListener(moved);
        stage.heightProperty().addListener(moved);
    }

    /** The usable areas of the screens now, the primary first. */
    static List<WindowLayout.Area> screens() {
        Screen primary = Screen.getPrimary();
        return Screen.getScreens().stream()
                .sorted((a, b) -> Boolean.compare(b.equals(primary), a.equals(primary)))
                .map(s -> {
                    Rectangle2D r = s.getVisualBounds();
                    return new WindowLayout.Area(r.getMinX(), r.getMinY(), r.getWidth(), r.getHeight());
                })
                .toList();
    }

    /** Places the window (before it is shown) as {@code layout} says, clamped to the screens there are. */
    void apply(WindowLayout layout) {
        WindowLayout l = layout.clampedTo(screens());
        stage.setX(l.x());
        stage.setY(l.y());
        stage.setWidth(l.width());
        stage.setHeight(l.height());
        x = l.x();
        y = l.y();
        width = l.width();
        height = l.height();
        stage.setMaximized(l.maximized());
        view.setDividerPositions(l.dividers());
    }

    /** The layout now. */
    WindowLayout capture() {
        if (Double.isNaN(x)) {
            record();
        }
        if (Double.isNaN(x)) { // maximised all along: its bounds are the best there is
            x = stage.getX();
            y = stage.getY();
            width = stage.getWidth();
            height = stage.getHeight();
        }
        return new WindowLayout(x, y, width, height, stage.isMaximized(), view.dividerPositions());
    }

    /**
     * Maximising moves and resizes the window in several property changes, and the platform may
     * report the maximised flag after them: the bounds are read one pulse later, when it is set.
     */
    private void later() {
        if (!pending) {
            pending = true;
            Platform.runLater(() -> {
                pending = false;
                record();
            });
        }
    }

    private void record() {
        if (stage.isMaximized() || stage.isIconified() || stage.getWidth() <= 0 || Double.isNaN(stage.getX())) {
            return;
        }
        x = stage.getX();
        y = stage.getY();
        width = stage.getWidth();
        height = stage.getHeight();
    }
}
