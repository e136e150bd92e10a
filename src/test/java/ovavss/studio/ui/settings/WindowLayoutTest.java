package ovavss.studio.ui.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The remembered window layout: stored in user preferences, clamped to the screens there are. */
class WindowLayoutTest {
    private final Preferences node = Preferences.userRoot().node("ovavss-studio-test/window-" + System.nanoTime());
    private static final WindowLayout.Area LEFT = new WindowLayout.Area(0, 0, 1920, 1040);
    private static final WindowLayout.Area RIGHT = new WindowLayout.Area(1920, 0, 1280, 1024);

    @AfterEach
    void removeNode() throws Exception {
        node.removeNode();
    }

    @Test
    void roundTripsThroughPreferences() {
        assertTrue(WindowLayout.load(node).isEmpty(), "nothing stored: the window's own defaults");
        WindowLayout l = new WindowLayout(120.5, 80, 1400, 900, true, List.of(0.7, 0.45, 0.61));
        l.save(node);
        assertEquals(l, WindowLayout.load(node).orElseThrow());
    }

    @Test
    void unreadableValuesAreIgnored() {
        new WindowLayout(10, 10, 1000, 700, false, List.of(0.7, 0.5, 0.6)).save(node);
        node.put("dividers", "0.7,abc,0.6");
        assertEquals(List.of(), WindowLayout.load(node).orElseThrow().dividers(), "all dividers or none");
        node.put("width", "wide");
        assertTrue(WindowLayout.load(node).isEmpty(), "no usable size: no layout");
    }

    @Test
    void aWindowOnScreenStaysWhereItWas() {
        WindowLayout l = new WindowLayout(100, 50, 1200, 800, false, List.of(0.74, 0.52, 0.6));
        assertEquals(l, l.clampedTo(List.of(LEFT, RIGHT)));
        WindowLayout second = new WindowLayout(2000, 100, 1000, 700, false, List.of());
        assertEquals(second, second.clampedTo(List.of(LEFT, RIGHT)), "on the second screen");
    }

    @Test
    void aWindowOffEveryScreenComesBackOnThePrimaryOne() {
        // the second monitor is unplugged
        WindowLayout l = new WindowLayout(2000, 100, 1000, 700, true, List.of());
        WindowLayout c = l.clampedTo(List.of(LEFT));
        assertEquals(new WindowLayout(920, 100, 1000, 700, true, List.of()), c, "moved left until it fits");
        WindowLayout far = new WindowLayout(-5000, -3000, 800, 600, false, List.of());
        assertEquals(new WindowLayout(0, 0, 800, 600, false, List.of()), far.clampedTo(List.of(LEFT, RIGHT)));
    }

    @Test
    void aWindowLargerThanItsScreenShrinksAndATinyOneGrows() {
        WindowLayout big = new WindowLayout(1900, -40, 3000, 2000, false, List.of());
        assertEquals(new WindowLayout(1920, 0, 1280, 1024, false, List.of()), big.clampedTo(List.of(LEFT, RIGHT)),
                "mostly on the right screen: fitted to it");
        WindowLayout tiny = new WindowLayout(10, 10, 50, 20, false, List.of());
        WindowLayout grown = tiny.clampedTo(List.of(LEFT));
        assertEquals(WindowLayout.MIN_WIDTH, grown.width());
        assertEquals(WindowLayout.MIN_HEIGHT, grown.height());
    }

    @Test
    void dividersStayOffTheEdges() {
        WindowLayout l = new WindowLayout(0, 0, 1000, 700, false, List.of(0.0, 0.5, 1.0));
        assertEquals(List.of(0.05, 0.5, 0.95), l.clampedTo(List.of(LEFT)).dividers());
        assertEquals(List.of(0.05, 0.5, 0.95), l.clampedTo(List.of()).dividers(), "with no screen known too");
        WindowLayout nan = new WindowLayout(0, 0, 1000, 700, false, List.of(0.5, Double.NaN, 0.5));
        assertEquals(List.of(), nan.clampedTo(List.of(LEFT)).dividers());
    }
}
