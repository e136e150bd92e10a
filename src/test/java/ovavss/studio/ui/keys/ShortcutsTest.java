package ovavss.studio.ui.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.prefs.Preferences;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShortcutsTest {
    private final Preferences prefs = Preferences.userRoot().node("ovavss-test/shortcuts-" + System.nanoTime());

    @AfterEach
    void removeNode() throws Exception {
        prefs.removeNode();
    }

    @Test
    void defaultsAreConflictFreeAndCoverTheEditingActions() {
        Shortcuts s = new Shortcuts();
        assertEquals(List.of(), s.conflicts());
        for (String id : List.of("undo", "redo", "tool.brush", "tool.polygon", "object.new", "object.next",
                "sound.toggle", "help", "suggestion.next", "keyframe.reviewed", "review.diff")) {
            assertTrue(s.action(id).isPresent(), id);
        }
        assertEquals(new KeyCodeCombination(KeyCode.N), s.keys("object.new"));
        assertEquals(new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
                s.keys("redo"));
    }

    @Test
    void rebindingRefusesTakenKeysAndPersists() {
        Shortcuts s = new Shortcuts();
        Shortcuts.Rebind clash = s.rebind("tool.brush", new KeyCodeCombination(KeyCode.E));
        assertFalse(clash.ok());
        assertEquals("tool.eraser", clash.conflict().id());
        assertEquals(new KeyCodeCombination(KeyCode.B), s.keys("tool.brush"), "unchanged after a refusal");

        assertTrue(s.rebind("tool.brush", new KeyCodeCombination(KeyCode.K)).ok());
        s.save(prefs);
        assertEquals("K", prefs.get("tool.brush", null));
        assertEquals(null, prefs.get("tool.eraser", null), "defaults are not stored");

        Shortcuts fresh = new Shortcuts();
        fresh.load(prefs);
        assertEquals(new KeyCodeCombination(KeyCode.K), fresh.keys("tool.brush"));
        assertEquals(List.of(), fresh.conflicts());
    }

    @Test
    void badOrClashingStoredKeysFallBackToDefaults() {
        prefs.put("tool.brush", "not a key +++");
        prefs.put("tool.fill", "E");
        Shortcuts s = new Shortcuts();
        s.load(prefs);
        assertEquals(new KeyCodeCombination(KeyCode.B), s.keys("tool.brush"));
        assertEquals(new KeyCodeCombination(KeyCode.F), s.keys("tool.fill"));
        assertEquals(List.of(), s.conflicts());
    }

    @Test
    void hintsFollowRebinding() {
        Shortcuts s = new Shortcuts();
        javafx.beans.binding.StringBinding undo = s.hint("Undo ({undo}); brush {brush.smaller} {brush.larger}");
        assertEquals("Undo (" + s.display("undo") + "); brush " + s.display("brush.smaller") + " "
                + s.display("brush.larger"), undo.get());
        assertTrue(s.rebind("undo", new KeyCodeCombination(KeyCode.U)).ok());
        assertTrue(undo.get().startsWith("Undo (U);"), undo.get());
        assertEquals(new KeyCodeCombination(KeyCode.U), s.keysProperty("undo").get());
        assertEquals("Next keyframe: " + s.display("keyframe.next"), s.format("Next keyframe: {keyframe.next}"));
        assertThrows(IllegalArgumentException.class, () -> s.hint("{no.such.action}"));
    }

    @Test
    void duplicateDefaultsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Shortcuts(List.of(
                new Shortcuts.Action("a", "g", "A", "K"), new Shortcuts.Action("b", "g", "B", "K"))));
    }
}
