package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ovavss.studio.avsbench.AvsbenchClasses;
import ovavss.studio.model.BundleManifest;
import org.junit.jupiter.api.Test;

/** The rules of the one edit model ({@link Edits}), each with its undo and redo. */
class EditsTest {
    private static Project project() {
        return Project.empty("p").withVocabulary(Vocabulary.empty().with(VocabularyEntry.of("dog", 0x804000)))
                .withClip(Clip.of("c", "m.mp4", 3, 20, 10).withObject(SoundingObject.of("o1", "dog")));
    }

    private static SoundingObject o1(EditHistory h) {
        return h.current().requireClip("c").object("o1").orElseThrow();
    }

    private static List<String> classes(EditHistory h) {
        return h.current().vocabulary().entries().stream().map(VocabularyEntry::name).toList();
    }

    @Test
    void aSoundFlagOnAKeyframeWithoutAMaskKeepsTheFlagOnAnEmptyMask() {
        EditHistory h = new EditHistory(project());
        assertNull(o1(h).frame(1));
        h.apply(Edits.setSound("c", "o1", 1, SoundFlag.SOUNDING));
        ObjectFrame f = o1(h).frame(1);
        assertEquals(SoundFlag.SOUNDING, f.sound());
        assertTrue(f.mask().isEmpty());
        assertEquals(20, f.mask().width());
        assertEquals(Provenance.HUMAN, f.provenance());
        assertEquals("Mark sounding", h.undoDescription().orElseThrow());

        // painting later keeps the flag, the same flag again is no step
        Mask m = MaskOps.polygon(20, 10, new double[] {0, 0, 8, 0, 8, 8});
        h.apply(Edits.stroke("c", "o1", 1, m, false));
        assertEquals(SoundFlag.SOUNDING, o1(h).frame(1).sound());
        Project before = h.current();
        assertSame(before, h.apply(Edits.setSound("c", "o1", 1, SoundFlag.SOUNDING)));

        assertTrue(h.undo());
        assertTrue(h.undo());
        assertNull(o1(h).frame(1), "undo removes the entry the flag made");
        assertTrue(h.redo());
        assertEquals(SoundFlag.SOUNDING, o1(h).frame(1).sound());
        assertTrue(o1(h).frame(1).mask().isEmpty());
        assertThrows(AnnotationException.class, () -> h.apply(Edits.setSound("c", "o1", 3, SoundFlag.SILENT)),
                "a keyframe the clip lacks");
    }

    @Test
    void anUnknownNameIsAddedToTheVocabularyInTheSameStep() {
        EditHistory h = new EditHistory(project());
        h.apply(Edits.relabel("c", "o1", "Bass  Guitar"));
        assertEquals("bass-guitar", o1(h).label());
        assertEquals(List.of("dog", "bass-guitar"), classes(h));
        assertTrue(h.undo());
        assertEquals("dog", o1(h).label());
        assertEquals(List.of("dog"), classes(h), "one undo takes back the label and the class");
        assertTrue(h.redo());
        assertEquals("bass-guitar", o1(h).label());
        assertEquals(List.of("dog", "bass-guitar"), classes(h));

        // a new object with a new name: the same rule
        h.apply(Edits.newObject("c", "o2", "Trumpet"));
        assertEquals("trumpet", h.current().requireClip("c").object("o2").orElseThrow().label());
        assertEquals(1, h.current().requireClip("c").object("o2").orElseThrow().zOrder(), "drawn on top");
        assertTrue(h.current().vocabulary().contains("trumpet"));
        assertTrue(h.undo());
        assertFalse(h.current().vocabulary().contains("trumpet"));
        assertTrue(h.current().requireClip("c").object("o2").isEmpty());

        // blank names, "background" and missing objects change nothing
        Project p = h.current();
        assertThrows(AnnotationException.class, () -> h.apply(Edits.relabel("c", "o1", " _ ")));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.relabel("c", "o1", "Background")));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.relabel("c", "o9", "cat")));
        assertThrows(AnnotationException.class, () -> h.apply(Edits.newObject("c", "o1", "cat")));
        assertSame(p, h.current());
    }

    @Test
    void spellingsOfOneNameAreOneClass() {
        for (String raw : new String[] {"Red Circle", "red_circle", " red  circle ", "RED-circle", "red - circle", "red-circle"}) {
            assertEquals("red-circle", LabelNames.normalise(raw), raw);
        }
        EditHistory h = new EditHistory(project());
        h.apply(Edits.relabel("c", "o1", "Red Circle"));
        h.apply(Edits.newObject("c", "o2", "red_circle"));
        h.apply(Edits.newObject("c", "o3", " red  circle "));
        assertEquals(List.of("dog", "red-circle"), classes(h));
        for (String id : new String[] {"o1", "o2", "o3"}) {
            assertEquals("red-circle", h.current().requireClip("c").object(id).orElseThrow().label());
        }
        // relabelling to another spelling of its own class is no step
        Project p = h.current();
        assertSame(p, h.apply(Edits.relabel("c", "o1", "RED_CIRCLE")));
        assertEquals("New object", h.undoDescription().orElseThrow());

        h.undo();
        h.undo();
        assertEquals(List.of("dog", "red-circle"), classes(h), "the class stays while o1 uses it");
        h.undo();
        assertEquals(List.of("dog"), classes(h));
        h.redo();
        h.redo();
        h.redo();
        assertEquals(List.of("dog", "red-circle"), classes(h));
        assertEquals(3, h.current().requireClip("c").objects().size());

        // a project saved before the rule keeps its spelling: the typed name finds it
        Project legacy = project().withVocabulary(project().vocabulary().with(VocabularyEntry.of("Red Circle", 0xff0000)));
        Project relabelled = Edits.relabel("c", "o1", "red_circle").apply(legacy);
        assertEquals("Red Circle", relabelled.requireClip("c").object("o1").orElseThrow().label());
        assertEquals(2, relabelled.vocabulary().size());
    }

    @Test
    void avsbenchAndDemoModelNamesAreTheirOwnNormalForm() throws Exception {
        List<String> names = new ArrayList<>(AvsbenchClasses.NAMES);
        BundleManifest demo = BundleManifest.read(Path.of("models/demo-avshapes"));
        names.addAll(demo.defaultVocabulary());
        assertTrue(names.contains("emergency-car") && names.contains("red-circle"), names.toString());
        for (String n : names) {
            assertEquals(n, LabelNames.normalise(n));
        }
        assertEquals("ambulance-siren", LabelNames.normalise("ambulance_siren"));
        assertEquals("", LabelNames.normalise(null));
    }

    @Test
    void paintingKeepsFlagsAndPropagationCopiesMasks() {
        EditHistory h = new EditHistory(Project.empty("p").withClip(Clip.of("c", "m.mp4", 3, 20, 10)));
        h.apply(Edits.newObject("c", "o1", "guitar"));
        h.apply(Edits.polygon("c", "o1", 1, new double[] {0, 0, 10, 0, 10, 10}, true));
        int area = o1(h).frame(1).mask().area();
        assertEquals(MaskOps.polygon(20, 10, new double[] {0, 0, 10, 0, 10, 10}).area(), area);
        assertEquals(SoundFlag.UNKNOWN, o1(h).frame(1).sound(), "a new entry starts unknown");
        h.apply(Edits.setSound("c", "o1", 1, SoundFlag.SOUNDING));
        h.apply(Edits.propagate("c", "o1", 1, 0, 2, "Propagate"));
        for (int k = 0; k < 3; k++) {
            assertEquals(area, o1(h).frame(k).mask().area());
        }
        assertEquals(SoundFlag.SOUNDING, o1(h).frame(1).sound(), "propagation keeps the flag");
        h.apply(Edits.clearMask("c", "o1", 1));
        assertNull(o1(h).frame(1), "clear removes mask and flag");
        h.undo();
        h.undo();
        assertNull(o1(h).frame(0), "one undo per edit");
        assertEquals(SoundFlag.SOUNDING, o1(h).frame(1).sound());
    }

    @Test
    void mergeUnitesMasksAndFlagsInOneStep() {
        EditHistory h = new EditHistory(Project.empty("p").withClip(Clip.of("c", "m.mp4", 3, 20, 10)));
        h.apply(Edits.newObject("c", "a", "dog"));
        h.apply(Edits.newObject("c", "b", "dog"));
        Mask left = MaskOps.polygon(20, 10, new double[] {0, 0, 5, 0, 5, 10, 0, 10});
        Mask right = MaskOps.polygon(20, 10, new double[] {10, 0, 15, 0, 15, 10, 10, 10});
        h.apply(Edits.stroke("c", "a", 0, left, false));
        h.apply(Edits.setSound("c", "a", 0, SoundFlag.SILENT));
        h.apply(Edits.stroke("c", "b", 0, right, false));
        h.apply(Edits.setSound("c", "b", 0, SoundFlag.SOUNDING));
        h.apply(Edits.stroke("c", "a", 2, left, false));
        h.apply(Edits.merge("c", "a", "b"));
        Clip c = h.current().requireClip("c");
        assertTrue(c.object("a").isEmpty());
        SoundingObject b = c.object("b").orElseThrow();
        assertEquals(left.union(right), b.frame(0).mask());
        assertEquals(SoundFlag.SOUNDING, b.frame(0).sound());
        assertEquals(left, b.frame(2).mask());
        h.undo();
        assertTrue(h.current().requireClip("c").object("a").isPresent());
    }

    @Test
    void acceptMakesPredictionsHumanAndRejectRemovesThem() {
        Mask m = MaskOps.polygon(20, 10, new double[] {0, 0, 8, 0, 8, 8});
        SoundingObject model = new SoundingObject("m-1", "dog", 0, new java.util.TreeMap<>(Map.of(
                0, ObjectFrame.model(m, SoundFlag.SOUNDING, 0.7), 1, ObjectFrame.model(m, SoundFlag.SILENT, 0.6))));
        EditHistory h = new EditHistory(project().withClip(project().requireClip("c").withObject(model)));
        h.apply(Edits.accept("c", "m-1", 0));
        SoundingObject o = h.current().requireClip("c").object("m-1").orElseThrow();
        assertEquals(Provenance.HUMAN, o.frame(0).provenance());
        assertEquals(1.0, o.frame(0).score());
        assertEquals(Provenance.MODEL, o.frame(1).provenance());
        h.apply(Edits.reject("c", null, -1));
        o = h.current().requireClip("c").object("m-1").orElseThrow();
        assertNull(o.frame(1));
        assertEquals(SoundFlag.SOUNDING, o.frame(0).sound(), "accepted entries stay");
        h.undo();
        assertEquals(Provenance.MODEL, h.current().requireClip("c").object("m-1").orElseThrow().frame(1).provenance());
    }

    @Test
    void vocabularyEditsFollowTheNameRuleAndRenameCarriesOnlyWhatAPersonLabelled() {
        Mask m = MaskOps.polygon(20, 10, new double[] {0, 0, 8, 0, 8, 8});
        Project p = project().withClip(project().requireClip("c")
                .withObject(SoundingObject.of("o1", "dog").withFrame(0, ObjectFrame.human(m, SoundFlag.SOUNDING)))
                .withObject(SoundingObject.of("m1", "dog").withFrame(0, new ObjectFrame(m, SoundFlag.SOUNDING,
                        Provenance.MODEL, 0.9))));
        EditHistory h = new EditHistory(p);
        assertThrows(AnnotationException.class, () -> h.apply(Edits.addClass(VocabularyEntry.of("  Dog ", 1))),
                "the same name spelled otherwise is refused");
        assertThrows(AnnotationException.class, () -> h.apply(Edits.addClass(VocabularyEntry.of(" _ ", 1))));
        h.apply(Edits.addClass(VocabularyEntry.of("Red Circle", 0xFF0000)));
        assertEquals(List.of("dog", "red-circle"), classes(h));

        h.apply(Edits.renameClass("dog", "Big Dog", ClassSplit.NOVEL));
        assertEquals(List.of("big-dog", "red-circle"), classes(h));
        assertEquals(0x804000, h.current().vocabulary().get("big-dog").orElseThrow().rgb(), "the colour stays");
        assertEquals(ClassSplit.NOVEL, h.current().vocabulary().get("big-dog").orElseThrow().split());
        assertEquals("big-dog", o1(h).label(), "a person's object follows its class");
        assertEquals("dog", h.current().requireClip("c").object("m1").orElseThrow().label(),
                "a model-only object waits for the next relabel");
        assertThrows(AnnotationException.class, () -> h.apply(Edits.renameClass("big-dog", "red circle", ClassSplit.BASE)));
        Project before = h.current();
        assertSame(before, h.apply(Edits.renameClass("big-dog", "Big_Dog", ClassSplit.BASE)), "same name: no step");

        h.apply(Edits.setClassColour("red-circle", 0x00FF00));
        h.apply(Edits.removeClass("red-circle"));
        assertEquals(List.of("big-dog"), classes(h));
        assertTrue(h.undo());
        assertEquals(0x00FF00, h.current().vocabulary().get("red-circle").orElseThrow().rgb());
        assertTrue(h.undo());
        assertTrue(h.undo());
        assertEquals(List.of("dog", "red-circle"), classes(h));
        assertEquals("dog", o1(h).label());
    }
}
