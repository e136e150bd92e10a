package ovavss.studio.ui.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
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
}
