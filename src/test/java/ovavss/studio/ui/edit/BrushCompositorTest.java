package ovavss.studio.ui.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import ovavss.studio.annotation.EditHistory;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.ui.overlay.MaskCompositor;
import org.junit.jupiter.api.Test;

/** The live brush (what the screen shows while painting) equals the pure stroke rasteriser. */
class BrushCompositorTest {
    @Test
    void liveBrushMatchesThePureStrokeForAnySegmentAndRadius() {
        Random r = new Random(11);
        int w = 97;
        int h = 61;
        for (int trial = 0; trial < 40; trial++) {
            Mask start = MaskOps.stroke(w, h, new double[] {r.nextDouble() * w, r.nextDouble() * h}, 8);
            MaskCompositor c = new MaskCompositor(w, h);
            c.setLayers(List.of(new MaskCompositor.Layer("a", 0xE69F00, false, start)));
            c.beginEdit("a");
            double radius = 0.3 + r.nextDouble() * 9;
            boolean erase = trial % 3 == 0;
            double[] xy = new double[8];
            for (int i = 0; i < xy.length; i += 2) {
                // fractional media coordinates, as a zoomed view delivers them; some off the frame
                xy[i] = r.nextDouble() * (w + 20) - 10;
                xy[i + 1] = r.nextDouble() * (h + 20) - 10;
            }
            for (int i = 0; i + 3 < xy.length; i += 2) {
                c.stamp(xy[i], xy[i + 1], xy[i + 2], xy[i + 3], radius, erase, false);
            }
            Mask live = c.endEdit();
            Mask expected = MaskOps.paintStroke(start, xy, radius, erase);
            assertEquals(expected, live == null ? start : live, "trial " + trial);
        }
    }

    @Test
    void keepDisjointLeavesOtherObjectsAlone() {
        Mask other = MaskOps.polygon(40, 40, new double[] {20, 0, 40, 0, 40, 40, 20, 40});
        MaskCompositor c = new MaskCompositor(40, 40);
        c.setLayers(List.of(new MaskCompositor.Layer("b", 0x56B4E9, false, other),
                new MaskCompositor.Layer("a", 0xE69F00, false, Mask.empty(40, 40))));
        c.beginEdit("a");
        c.stamp(5, 20, 35, 20, 4, false, true);
        Mask a = c.endEdit();
        assertEquals(0, a.intersect(other).area(), "no pixel of b painted");
        assertTrue(a.area() > 0);
        assertEquals(MaskOps.stroke(40, 40, new double[] {5, 20, 35, 20}, 4).difference(other), a);
    }

    @Test
    void aStrokeThatChangesNothingIsNoEdit() {
        MaskCompositor c = new MaskCompositor(10, 10);
        c.setLayers(List.of(new MaskCompositor.Layer("a", 1, false, Mask.empty(10, 10))));
        c.beginEdit("a");
        assertNull(c.stamp(2, 2, 3, 3, 2, true, false));
        assertNull(c.endEdit());
    }

    @Test
    void editsAreUndoableStepsAndLabelsAddClasses() {
        Clip clip = Clip.of("c", "m.mp4", 3, 20, 10);
        EditHistory h = new EditHistory(Project.empty("p").withClip(clip));
        h.apply(MaskEdits.newObject("c", "o1", "guitar"));
        assertTrue(h.current().vocabulary().contains("guitar"));
        h.apply(MaskEdits.polygon("c", "o1", 1, new double[] {0, 0, 10, 0, 10, 10}, true));
        int area = h.current().requireClip("c").object("o1").get().frame(1).mask().area();
        assertEquals(MaskOps.polygon(20, 10, new double[] {0, 0, 10, 0, 10, 10}).area(), area);
        h.apply(MaskEdits.relabel("c", "o1", "  bass guitar "));
        SoundingObject o = h.current().requireClip("c").object("o1").get();
        assertEquals("bass guitar", o.label());
        assertTrue(h.current().vocabulary().contains("bass guitar"));
        h.apply(MaskEdits.setSound("c", "o1", 1, SoundFlag.SOUNDING));
        h.apply(MaskEdits.propagate("c", "o1", 1, 0, 2, "Propagate"));
        Clip c2 = h.current().requireClip("c");
        for (int k = 0; k < 3; k++) {
            ObjectFrame f = c2.object("o1").get().frame(k);
            assertEquals(area, f.mask().area());
        }
        assertEquals(SoundFlag.SOUNDING, c2.object("o1").get().frame(1).sound(), "propagation keeps the flag");
        h.undo();
        h.undo();
        h.undo();
        assertEquals("guitar", h.current().requireClip("c").object("o1").get().label(), "one undo per edit, labels too");
        assertTrue(!h.current().vocabulary().contains("bass guitar"));
    }

    @Test
    void mergeUnitesMasksAndFlagsInOneStep() {
        Clip clip = Clip.of("c", "m.mp4", 3, 20, 10);
        EditHistory h = new EditHistory(Project.empty("p").withClip(clip));
        h.apply(MaskEdits.newObject("c", "a", "dog"));
        h.apply(MaskEdits.newObject("c", "b", "dog"));
        Mask left = MaskOps.polygon(20, 10, new double[] {0, 0, 5, 0, 5, 10, 0, 10});
        Mask right = MaskOps.polygon(20, 10, new double[] {10, 0, 15, 0, 15, 10, 10, 10});
        h.apply(MaskEdits.stroke("c", "a", 0, left, false));
        h.apply(MaskEdits.setSound("c", "a", 0, SoundFlag.SILENT));
        h.apply(MaskEdits.stroke("c", "b", 0, right, false));
        h.apply(MaskEdits.setSound("c", "b", 0, SoundFlag.SOUNDING));
        h.apply(MaskEdits.stroke("c", "a", 2, left, false));
        h.apply(MaskEdits.merge("c", "a", "b"));
        Clip c = h.current().requireClip("c");
        assertTrue(c.object("a").isEmpty());
        SoundingObject b = c.object("b").get();
        assertEquals(left.union(right), b.frame(0).mask());
        assertEquals(SoundFlag.SOUNDING, b.frame(0).sound());
        assertEquals(left, b.frame(2).mask());
        h.undo();
        assertTrue(h.current().requireClip("c").object("a").isPresent());
    }
}
