package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskTest {
    private static boolean[] random(Random r, int n, double p, int blob) {
        boolean[] b = new boolean[n];
        for (int i = 0; i < n; ) {
            boolean v = r.nextDouble() < p;
            int len = 1 + r.nextInt(blob);
            for (int j = 0; j < len && i < n; j++) {
                b[i++] = v;
            }
        }
        return b;
    }

    @Test
    void bitmapRoundTripAndRunsOnRandomMasks() {
        Random r = new Random(1);
        for (int t = 0; t < 200; t++) {
            int w = 1 + r.nextInt(40);
            int h = 1 + r.nextInt(30);
            boolean[] b = random(r, w * h, r.nextDouble(), 1 + r.nextInt(20));
            Mask m = Mask.fromBitmap(b, w, h);
            assertArrayEquals(b, m.toBitmap());
            int area = 0;
            for (boolean v : b) {
                area += v ? 1 : 0;
            }
            assertEquals(area, m.area());
            assertEquals(m, Mask.fromRuns(w, h, m.runs()));
            int sum = 0;
            for (int run : m.runs()) {
                sum += run;
            }
            assertEquals(w * h, sum);
            int x = r.nextInt(w);
            int y = r.nextInt(h);
            assertEquals(b[y * w + x], m.get(x, y));
        }
    }

    @Test
    void setOperationsMatchBitmapLogic() {
        Random r = new Random(2);
        for (int t = 0; t < 200; t++) {
            int w = 1 + r.nextInt(30);
            int h = 1 + r.nextInt(30);
            boolean[] a = random(r, w * h, 0.5, 8);
            boolean[] b = random(r, w * h, 0.5, 8);
            Mask ma = Mask.fromBitmap(a, w, h);
            Mask mb = Mask.fromBitmap(b, w, h);
            boolean[] u = ma.union(mb).toBitmap();
            boolean[] d = MaskOps.difference(ma, mb).toBitmap();
            boolean[] i = ma.intersect(mb).toBitmap();
            for (int k = 0; k < w * h; k++) {
                assertEquals(a[k] || b[k], u[k]);
                assertEquals(a[k] && !b[k], d[k]);
                assertEquals(a[k] && b[k], i[k]);
            }
            assertEquals(w * h - ma.area(), ma.invert().area());
        }
    }

    @Test
    void badInputIsRejectedClearly() {
        assertThrows(AnnotationException.class, () -> Mask.fromRuns(2, 2, new int[] {1, 1}));
        assertThrows(AnnotationException.class, () -> Mask.fromRuns(2, 2, new int[] {-1, 5}));
        assertThrows(AnnotationException.class, () -> Mask.fromBitmap(new boolean[3], 2, 2));
        assertThrows(AnnotationException.class, () -> Mask.empty(0, 5));
        assertThrows(AnnotationException.class, () -> Mask.empty(3, 3).union(Mask.empty(3, 4)));
    }

    @Test
    void polygonUsesPixelCentres() {
        Mask sq = MaskOps.polygon(10, 10, new double[] {2, 3, 6, 3, 6, 8, 2, 8});
        assertEquals(4 * 5, sq.area());
        assertArrayEquals(new int[] {2, 3, 5, 7}, sq.bounds());
        // right triangle with legs 20: about half of 400 pixels
        Mask tri = MaskOps.polygon(30, 30, new double[] {0, 0, 20, 0, 0, 20});
        assertEquals(200, tri.area(), 20);
        assertTrue(tri.get(1, 1));
        assertFalse(tri.get(15, 15));
        // self-overlapping outline: even-odd leaves the inner square of a doubled loop filled once
        Mask outside = MaskOps.polygon(10, 10, new double[] {-5, -5, 20, -5, 20, 20, -5, 20});
        assertEquals(100, outside.area(), "clipped to the frame");
    }

    @Test
    void strokesPaintAndErase() {
        Mask dot = MaskOps.stroke(21, 21, new double[] {10.5, 10.5}, 3);
        assertEquals(29, dot.area()); // centres within distance 3 of a pixel centre: 29 lattice points
        Mask line = MaskOps.paintStroke(Mask.empty(50, 10), new double[] {5, 5, 45, 5}, 1, false);
        assertTrue(line.get(25, 4) && line.get(25, 5));
        assertFalse(line.get(25, 7));
        assertEquals(Mask.empty(50, 10), MaskOps.paintStroke(line, new double[] {5, 5, 45, 5}, 1, true));
        Mask full = Mask.full(50, 10);
        Mask cut = MaskOps.paintStroke(full, new double[] {25, -10, 25, 20}, 2, true);
        assertEquals(2, MaskOps.components(cut, false).size(), "erasing a vertical band splits the mask");
    }

    @Test
    void floodFillClosesHolesAndDeletesBlobs() {
        Mask ring = MaskOps.polygon(20, 20, new double[] {2, 2, 18, 2, 18, 18, 2, 18})
                .difference(MaskOps.polygon(20, 20, new double[] {6, 6, 14, 6, 14, 14, 6, 14}));
        Mask filled = MaskOps.floodFill(ring, 10, 10, true);
        assertEquals(16 * 16, filled.area());
        Mask outsideFilled = MaskOps.floodFill(ring, 0, 0, true);
        assertEquals(400 - 64, outsideFilled.area(), "the hole is not connected to the outside");
        assertEquals(Mask.empty(20, 20), MaskOps.floodFill(ring, 3, 3, false));
        assertSame(ring, MaskOps.floodFill(ring, 3, 3, true));
        assertThrows(AnnotationException.class, () -> MaskOps.floodFill(ring, 20, 0, true));
    }

    @Test
    void componentsAndResize() {
        Mask two = MaskOps.polygon(20, 10, new double[] {0, 0, 5, 0, 5, 5, 0, 5})
                .union(MaskOps.polygon(20, 10, new double[] {10, 0, 18, 0, 18, 8, 10, 8}));
        List<Mask> cs = MaskOps.components(two, true);
        assertEquals(2, cs.size());
        assertEquals(64, cs.get(0).area());
        assertEquals(25, cs.get(1).area());
        Mask diag = Mask.fromBitmap(new boolean[] {true, false, false, true}, 2, 2);
        assertEquals(1, MaskOps.components(diag, true).size());
        assertEquals(2, MaskOps.components(diag, false).size());
        Mask big = two.resizeNearest(40, 20);
        assertEquals(4 * two.area(), big.area());
        assertEquals(two, big.resizeNearest(20, 10));
    }
}
