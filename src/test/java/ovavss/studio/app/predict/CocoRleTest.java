package ovavss.studio.app.predict;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** COCO RLE strings: a hand-worked example of pycocotools' format, and round trips. */
class CocoRleTest {
    /** The mask of column-major runs (zeros first) {@code runs} on height × width. */
    private static boolean[] fromRuns(int height, int width, int... runs) {
        boolean[] m = new boolean[height * width];
        int pos = 0;
        boolean v = false;
        for (int r : runs) {
            for (int i = pos; i < pos + r; i++) {
                m[(i % height) * width + i / height] = v;
            }
            pos += r;
            v = !v;
        }
        assertEquals(height * width, pos);
        return m;
    }

    @Test
    void encodesAsPycocotoolsDoes() {
        // runs 3, 2, 40, 1, 70: '3', '2', 40 = 8|32 then 1 -> 'X1', from the 4th on the difference to
        // the count two before: 1-2 = -1 -> 31 -> 'O', 70-40 = 30 -> 30|32 then 0 -> 'n0'
        boolean[] m = fromRuns(4, 29, 3, 2, 40, 1, 70);
        assertEquals("32X1On0", CocoRle.encode(m, 4, 29));
        assertArrayEquals(m, CocoRle.decode("32X1On0", 4, 29));
        // all background, all foreground
        assertEquals("4", CocoRle.encode(new boolean[4], 2, 2));
        boolean[] full = {true, true, true, true};
        assertEquals("04", CocoRle.encode(full, 2, 2));
        assertArrayEquals(full, CocoRle.decode("04", 2, 2));
    }

    @Test
    void roundTripsRandomMasksAndRejectsBadStrings() {
        Random r = new Random(7);
        for (int t = 0; t < 200; t++) {
            int h = 1 + r.nextInt(40);
            int w = 1 + r.nextInt(40);
            boolean[] m = new boolean[h * w];
            double p = r.nextDouble();
            for (int i = 0; i < m.length; i++) {
                m[i] = r.nextDouble() < p;
            }
            assertArrayEquals(m, CocoRle.decode(CocoRle.encode(m, h, w), h, w));
        }
        assertThrows(IllegalArgumentException.class, () -> CocoRle.decode("5", 2, 2));
        assertThrows(IllegalArgumentException.class, () -> CocoRle.decode("3 ", 2, 2));
        assertThrows(IllegalArgumentException.class, () -> CocoRle.decode("P", 2, 2));
    }
}
