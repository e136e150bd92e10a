package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pure mask editing functions: every method returns a new {@link Mask} and leaves its inputs
 * untouched, so edits compose with undo by keeping the previous value.
 *
 * <p>Geometry uses pixel centres: pixel (x, y) covers the unit square whose centre is
 * (x + 0.5, y + 0.5), and shape tests are made at that centre.
 */
public final class MaskOps {
    private MaskOps() {
    }

    /** {@code a ∪ b}. */
    public static Mask union(Mask a, Mask b) {
        return a.union(b);
    }

    /** {@code a \ b}. */
    public static Mask difference(Mask a, Mask b) {
        return a.difference(b);
    }

    /**
     * Rasterises a round brush of {@code radius} pixels dragged along the polyline
     * {@code xy = {x0, y0, x1, y1, ...}} (a single point is a dot): every pixel whose centre lies
     * within {@code radius} of the polyline.
     */
    public static Mask stroke(int width, int height, double[] xy, double radius) {
        if (xy.length < 2 || (xy.length & 1) == 1) {
            throw new AnnotationException("a stroke needs x,y pairs");
        }
        double minX = Double.MAX_VALUE;
        double minY = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (int i = 0; i < xy.length; i += 2) {
            minX = Math.min(minX, xy[i]);
            maxX = Math.max(maxX, xy[i]);
            minY = Math.min(minY, xy[i + 1]);
            maxY = Math.max(maxY, xy[i + 1]);
        }
        int x0 = Math.max(0, (int) Math.floor(minX - radius - 1));
        int x1 = Math.min(width - 1, (int) Math.ceil(maxX + radius + 1));
        int y0 = Math.max(0, (int) Math.floor(minY - radius - 1));
        int y1 = Math.min(height - 1, (int) Math.ceil(maxY + radius + 1));
        double r2 = radius * radius;
        Mask.Builder b = new Mask.Builder(width, height);
        for (int y = y0; y <= y1; y++) {
            double cy = y + 0.5;
            int runStart = -1;
            for (int x = x0; x <= x1 + 1; x++) {
                boolean in = x <= x1 && distanceSquaredToPolyline(x + 0.5, cy, xy) <= r2;
                if (in && runStart < 0) {
                    runStart = x;
                } else if (!in && runStart >= 0) {
                    b.addRange(y * width + runStart, y * width + x);
                    runStart = -1;
                }
            }
        }
        return b.build();
    }

    private static double distanceSquaredToPolyline(double px, double py, double[] xy) {
        if (xy.length == 2) {
            double dx = px - xy[0];
            double dy = py - xy[1];
            return dx * dx + dy * dy;
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i + 3 < xy.length; i += 2) {
            double ax = xy[i];
            double ay = xy[i + 1];
            double vx = xy[i + 2] - ax;
            double vy = xy[i + 3] - ay;
            double len2 = vx * vx + vy * vy;
            double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / len2));
            double dx = px - (ax + t * vx);
            double dy = py - (ay + t * vy);
            best = Math.min(best, dx * dx + dy * dy);
        }
        return best;
    }

    /** Paints (or with {@code erase} removes) a brush stroke on {@code mask}. */
    public static Mask paintStroke(Mask mask, double[] xy, double radius, boolean erase) {
        Mask s = stroke(mask.width(), mask.height(), xy, radius);
        return erase ? mask.difference(s) : mask.union(s);
    }

    /**
     * Even-odd polygon fill: pixels whose centre is inside the polygon
     * {@code xy = {x0, y0, x1, y1, ...}} (closed implicitly).
     */
    public static Mask polygon(int width, int height, double[] xy) {
        if (xy.length < 6 || (xy.length & 1) == 1) {
            throw new AnnotationException("a polygon needs at least three x,y points");
        }
        int n = xy.length / 2;
        Mask.Builder b = new Mask.Builder(width, height);
        double[] cross = new double[n];
        for (int y = 0; y < height; y++) {
            double cy = y + 0.5;
            int k = 0;
            for (int i = 0; i < n; i++) {
                double ax = xy[2 * i];
                double ay = xy[2 * i + 1];
                double bx = xy[2 * ((i + 1) % n)];
                double by = xy[2 * ((i + 1) % n) + 1];
                // half-open rule on y avoids counting a shared vertex twice
                if ((ay <= cy && by > cy) || (by <= cy && ay > cy)) {
                    cross[k++] = ax + (cy - ay) * (bx - ax) / (by - ay);
                }
            }
            Arrays.sort(cross, 0, k);
            int lastEnd = -1;
            for (int i = 0; i + 1 < k; i += 2) {
                // pixel x is inside when cross[i] <= x + 0.5 < cross[i+1]
                int xs = Math.max(0, (int) Math.ceil(cross[i] - 0.5));
                int xe = Math.min(width, (int) Math.ceil(cross[i + 1] - 0.5));
                xs = Math.max(xs, lastEnd);
                if (xs < xe) {
                    b.addRange(y * width + xs, y * width + xe);
                    lastEnd = xe;
                }
            }
        }
        return b.build();
    }

    /**
     * Flood fill from (x, y): the 4-connected region of pixels that share the seed's value is set
     * to {@code value}. Filling an "off" hole with {@code true} closes it; filling an "on" blob
     * with {@code false} deletes it.
     */
    public static Mask floodFill(Mask mask, int x, int y, boolean value) {
        int w = mask.width();
        int h = mask.height();
        if (x < 0 || y < 0 || x >= w || y >= h) {
            throw new AnnotationException("flood fill seed (" + x + ", " + y + ") outside the mask");
        }
        boolean[] bits = mask.toBitmap();
        boolean target = bits[y * w + x];
        if (target == value) {
            return mask;
        }
        // scanline fill with an explicit stack: no recursion depth limits on large regions
        int[] stack = new int[64];
        int sp = 0;
        stack[sp++] = y * w + x;
        while (sp > 0) {
            int p = stack[--sp];
            int py = p / w;
            int px = p % w;
            if (bits[p] != target) {
                continue;
            }
            int l = px;
            while (l > 0 && bits[py * w + l - 1] == target) {
                l--;
            }
            int r = px;
            while (r < w - 1 && bits[py * w + r + 1] == target) {
                r++;
            }
            for (int xx = l; xx <= r; xx++) {
                bits[py * w + xx] = value;
            }
            for (int dy = -1; dy <= 1; dy += 2) {
                int ny = py + dy;
                if (ny < 0 || ny >= h) {
                    continue;
                }
                boolean prev = false;
                for (int xx = l; xx <= r; xx++) {
                    boolean t = bits[ny * w + xx] == target;
                    if (t && !prev) {
                        if (sp == stack.length) {
                            stack = Arrays.copyOf(stack, sp * 2);
                        }
                        stack[sp++] = ny * w + xx;
                    }
                    prev = t;
                }
            }
        }
        return Mask.fromBitmap(bits, w, h);
    }

    /**
     * Splits a mask into connected components (8- or 4-connected), largest first; ties keep
     * row-major order of their first pixel.
     */
    public static List<Mask> components(Mask mask, boolean eightConnected) {
        int w = mask.width();
        int h = mask.height();
        boolean[] bits = mask.toBitmap();
        int[] label = new int[w * h];
        List<int[]> pixelsPerComponent = new ArrayList<>();
        int[] queue = new int[Math.max(16, mask.area())];
        int next = 0;
        for (int start = 0; start < bits.length; start++) {
            if (!bits[start] || label[start] != 0) {
                continue;
            }
            next++;
            int head = 0;
            int tail = 0;
            queue[tail++] = start;
            label[start] = next;
            while (head < tail) {
                int p = queue[head++];
                int px = p % w;
                int py = p / w;
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        if ((dx == 0 && dy == 0) || (!eightConnected && dx != 0 && dy != 0)) {
                            continue;
                        }
                        int nx = px + dx;
                        int ny = py + dy;
                        if (nx < 0 || ny < 0 || nx >= w || ny >= h) {
                            continue;
                        }
                        int q = ny * w + nx;
                        if (bits[q] && label[q] == 0) {
                            label[q] = next;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            pixelsPerComponent.add(Arrays.copyOf(queue, tail));
        }
        List<Mask> out = new ArrayList<>();
        for (int[] pix : pixelsPerComponent) {
            boolean[] b = new boolean[w * h];
            for (int p : pix) {
                b[p] = true;
            }
            out.add(Mask.fromBitmap(b, w, h));
        }
        out.sort((a, b) -> Integer.compare(b.area(), a.area()));
        return out;
    }

    /**
     * Grows ({@code n > 0}) or shrinks ({@code n < 0}) a mask by |n| pixels, one 8-connected step
     * per pixel (a dilation or erosion with a 3x3 square); outside the frame counts as off.
     */
    public static Mask grow(Mask m, int n) {
        int w = m.width();
        int h = m.height();
        byte[] a = m.toBytes();
        byte[] b = new byte[a.length];
        boolean grow = n > 0;
        for (int step = 0; step < Math.abs(n); step++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // dilation: any neighbour on; erosion: all neighbours on
                    boolean acc = !grow;
                    for (int dy = -1; dy <= 1 && acc != grow; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            boolean v = xx >= 0 && yy >= 0 && xx < w && yy < h && a[yy * w + xx] != 0;
                            if (v == grow) {
                                acc = grow;
                                break;
                            }
                        }
                    }
                    b[y * w + x] = (byte) (acc ? 1 : 0);
                }
            }
            byte[] t = a;
            a = b;
            b = t;
        }
        return Mask.fromBitmap(a, w, h);
    }
}
