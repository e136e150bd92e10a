package ovavss.studio.ui.settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the main window was when it closed, kept in {@link java.util.prefs} like
 * {@link ModelSettings}: its normal (not maximised) bounds, whether it was maximised, and the
 * divider positions of its split panes. Plain values; the window applies them after
 * {@link #clampedTo clamping} them to the screens there are now.
 *
 * @param dividers divider positions (0..1) of the main window's split panes, in the window's order
 */
public record WindowLayout(double x, double y, double width, double height, boolean maximized,
                           List<Double> dividers) {
    private static final Logger LOG = LoggerFactory.getLogger(WindowLayout.class);
    /** The smallest window a restored layout opens (unless the screen is smaller). */
    public static final double MIN_WIDTH = 640;
    public static final double MIN_HEIGHT = 400;
    /** Dividers stay this far from the edges, so no pane comes back collapsed out of reach. */
    static final double DIVIDER_MARGIN = 0.05;

    /** A screen's usable area (visual bounds), in the window coordinate system. */
    public record Area(double x, double y, double width, double height) {
        double overlap(double ox, double oy, double ow, double oh) {
            double w = Math.min(x + width, ox + ow) - Math.max(x, ox);
            double h = Math.min(y + height, oy + oh) - Math.max(y, oy);
            return w > 0 && h > 0 ? w * h : 0;
        }
    }

    public WindowLayout {
        dividers = List.copyOf(dividers == null ? List.of() : dividers);
    }

    /** The user's preferences node for the window. */
    public static Preferences node() {
        return Preferences.userRoot().node("ovavss-studio/window");
    }

    /** The stored layout; empty when none was stored or it is unreadable. */
    public static Optional<WindowLayout> load(Preferences p) {
        double x = p.getDouble("x", Double.NaN);
        double y = p.getDouble("y", Double.NaN);
        double w = p.getDouble("width", Double.NaN);
        double h = p.getDouble("height", Double.NaN);
        if (!Double.isFinite(x) || !Double.isFinite(y) || !(w > 0) || !(h > 0)) {
            return Optional.empty();
        }
        List<Double> dividers = new ArrayList<>();
        String d = p.get("dividers", "");
        for (String s : d.isBlank() ? new String[0] : d.split(",")) {
            try {
                dividers.add(Double.parseDouble(s.strip()));
            } catch (NumberFormatException e) {
                dividers.clear(); // positions belong together: all or none
                break;
            }
        }
        return Optional.of(new WindowLayout(x, y, w, h, p.getBoolean("maximized", false), dividers));
    }

    /** Stores the layout (flushed; a failure is logged, it only costs the layout next time). */
    public void save(Preferences p) {
        p.putDouble("x", x);
        p.putDouble("y", y);
        p.putDouble("width", width);
        p.putDouble("height", height);
        p.putBoolean("maximized", maximized);
        StringBuilder sb = new StringBuilder();
        for (double v : dividers) {
            sb.append(sb.isEmpty() ? "" : ",").append(String.format(Locale.ROOT, "%.4f", v));
        }
        p.put("dividers", sb.toString());
        try {
            p.flush();
        } catch (BackingStoreException e) {
            LOG.warn("cannot store the window layout: {}", e.getMessage());
        }
    }

    /**
     * This layout moved and, if need be, shrunk onto the screen it overlaps most, or onto the first
     * (primary) screen when it overlaps none (a monitor was unplugged); dividers kept off the edges.
     * Unchanged when no screen is known.
     */
    public WindowLayout clampedTo(List<Area> screens) {
        List<Double> ds = dividers.stream()
                .filter(Double::isFinite)
                .map(v -> Math.max(DIVIDER_MARGIN, Math.min(1 - DIVIDER_MARGIN, v)))
                .toList();
        if (ds.size() != dividers.size()) {
            ds = List.of();
        }
        if (screens.isEmpty()) {
            return new WindowLayout(x, y, width, height, maximized, ds);
        }
        Area best = screens.get(0);
        double most = 0;
        for (Area s : screens) {
            double o = s.overlap(x, y, width, height);
            if (o > most) {
                most = o;
                best = s;
            }
        }
        double w = Math.min(Math.max(width, MIN_WIDTH), best.width());
        double h = Math.min(Math.max(height, MIN_HEIGHT), best.height());
        double nx = Math.max(best.x(), Math.min(x, best.x() + best.width() - w));
        double ny = Math.max(best.y(), Math.min(y, best.y() + best.height() - h));
        return new WindowLayout(nx, ny, w, h, maximized, ds);
    }
}
