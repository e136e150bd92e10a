package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EditHistoryTest {
    static Project base() {
        return Project.empty("p").withVocabulary(Vocabulary.empty()
                        .with(new VocabularyEntry("dog", 0x804000, 17, ClassSplit.BASE, List.of("puppy")))
                        .with(VocabularyEntry.of("red-circle", 0xff0000)))
                .withClip(Clip.of("c1", "/media/a.mp4", 3.7, 8, 6));
    }

    @Test
    void defaultKeyframesAreOnePerSecond() {
        assertEquals(List.of(0.0, 1.0, 2.0), Clip.of("c", "m", 3.7, 4, 4).keyframeTimes());
        assertEquals(List.of(0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0), Clip.defaultKeyframes(10));
        assertEquals(List.of(), Clip.defaultKeyframes(0.5));
    }

    @Test
    void applyUndoRedo() {
        EditHistory h = new EditHistory(base());
        List<Project> seen = new ArrayList<>();
        h.addListener(seen::add);
        Project p0 = h.current();
        h.apply(Edits.newObject("c1", "o1", "dog"));
        Mask m = MaskOps.polygon(8, 6, new double[] {1, 1, 5, 1, 5, 4, 1, 4});
        h.apply(Edits.setMask("c1", "o1", 1, m, Provenance.MODEL));
        ObjectFrame f = h.current().requireClip("c1").object("o1").orElseThrow().frame(1);
        assertEquals(SoundFlag.UNKNOWN, f.sound());
        assertEquals(Provenance.MODEL, f.provenance());
        h.apply(Edits.setSound("c1", "o1", 1, SoundFlag.SILENT));
        Mask edited = MaskOps.paintStroke(m, new double[] {6, 4}, 1, false);
        h.apply(Edits.setMask("c1", "o1", 1, edited, Provenance.HUMAN));
        f = h.current().requireClip("c1").object("o1").orElseThrow().frame(1);
        assertEquals(SoundFlag.SILENT, f.sound(), "a silent object keeps its flag and its mask");
        assertEquals(Provenance.HUMAN, f.provenance());
        assertEquals(edited, f.mask());
        assertEquals("Edit mask", h.undoDescription().orElseThrow());
        assertTrue(h.undo());
        assertEquals(m, h.current().requireClip("c1").object("o1").orElseThrow().frame(1).mask());
        assertTrue(h.redo());
        assertEquals(edited, h.current().requireClip("c1").object("o1").orElseThrow().frame(1).mask());
        while (h.undo()) {
            // back to the start
        }
        assertSame(p0, h.current());
        assertFalse(h.canUndo());
        assertTrue(h.canRedo());
        assertEquals(4 + 1 + 1 + 4, seen.size()); // applies, undo, redo, undos
        h.apply(Edits.addClass("cat"));
        assertFalse(h.canRedo(), "a new edit clears redo");
    }

    @Test
    void invalidEditsChangeNothing() {
        EditHistory h = new EditHistory(base());
        Project before = h.current();
        assertThrows(AnnotationException.class, () -> h.apply(Edits.newObject("c1", "o1", "  ")));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.newObject("nope", "o1", "dog")));
        h.apply(Edits.newObject("c1", "o1", "dog"));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.newObject("c1", "o1", "dog")));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.setMask("c1", "o1", 3, Mask.empty(8, 6), Provenance.HUMAN)));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.setMask("c1", "o1", 0, Mask.empty(9, 6), Provenance.HUMAN)));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.setSound("c1", "o1", 3, SoundFlag.SOUNDING)));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.relabel("c1", "o2", "dog")));
        assertEquals(1, h.current().requireClip("c1").objects().size());
        h.undo();
        assertSame(before, h.current());
        assertThrows(AnnotationException.class, () -> new VocabularyEntry("background", 0, null, null, null));
        assertThrows(AnnotationException.class, () -> new Vocabulary(List.of(
                new VocabularyEntry("a", 0, 3, null, null), new VocabularyEntry("b", 0, 3, null, null)), null));
        assertThrows(AnnotationException.class, () -> new Clip("c", "m", 0, 2, List.of(1.0, 0.5), 2, 2, List.of(), Map.of()));
    }

    @Test
    void undoLimitDropsOldestSteps() {
        EditHistory h = new EditHistory(base(), 3);
        for (int i = 0; i < 5; i++) {
            h.apply(Edits.addClass("c" + i));
        }
        int undos = 0;
        while (h.undo()) {
            undos++;
        }
        assertEquals(3, undos);
        assertEquals(2 + 2, h.current().vocabulary().size());
    }
}
