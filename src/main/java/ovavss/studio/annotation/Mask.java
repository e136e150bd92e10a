package ovavss.studio.annotation;

import java.util.Arrays;

/**
 * An immutable binary mask at full media resolution, stored run-length encoded in row-major
 * order. Internally it keeps the sorted pixel offsets where the value flips (starting from
 * "off"), which makes set operations a single merge over two short arrays and copies free
 * (instances are immutable and can be shared between undo states and threads).
 *
 * <p>{@link #runs()} gives the familiar RLE form: alternating run lengths, first of "off" pixels
 * (possibly 0), summing to {@code width * height}. Unlike COCO RLE the order is row-major.
 */
public final class Mask {
    private static final int[] NONE = new int[0];

    private final int width;
    private final int height;
    /** Strictly increasing offsets in (0, width*height) where the value toggles; starts "off". */
    private final int[] toggles;
    private final int area;

    private Mask(int width, int height, int[] toggles) {
        this.width = width;
        this.height = height;
        this.toggles = toggles;
        int a = 0;
        for (int i = 0; i < toggles.length; i += 2) {
            int end = i + 1 < toggles.length ? toggles[i + 1] : width * height;
            a += end - toggles[i];
        }
        this.area = a;
    }

    private static void checkSize(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height > Integer.MAX_VALUE) {
            throw new AnnotationException("invalid mask size " + width + "x" + height);
        }
    }

    /** An all-off mask. */
    public static Mask empty(int width, int height) {
        checkSize(width, height);
        return new Mask(width, height, NONE);
    }

    /** An all-on mask. */
    public static Mask full(int width, int height) {
        checkSize(width, height);
        return new Mask(width, height, new int[] {0});
    }

    /** Builds a mask from a row-major bitmap of {@code width * height} entries. */
    public static Mask fromBitmap(boolean[] bits, int width, int height) {
        checkSize(width, height);
        checkLength(bits.length, width, height);
        Builder b = new Builder(width, height);
        boolean cur = false;
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] != cur) {
                b.toggle(i);
                cur = bits[i];
            }
        }
        return b.build();
    }

    /** Builds a mask from a row-major byte bitmap; any non-zero byte is "on". */
    public static Mask fromBitmap(byte[] bits, int width, int height) {
        checkSize(width, height);
        checkLength(bits.length, width, height);
        Builder b = new Builder(width, height);
        boolean cur = false;
        for (int i = 0; i < bits.length; i++) {
            boolean v = bits[i] != 0;
            if (v != cur) {
                b.toggle(i);
                cur = v;
            }
        }
        return b.build();
    }

    /** The pixels of a row-major label map that equal {@code value}. */
    public static Mask fromLabels(int[] labels, int width, int height, int value) {
        checkSize(width, height);
        checkLength(labels.length, width, height);
        Builder b = new Builder(width, height);
        boolean cur = false;
        for (int i = 0; i < labels.length; i++) {
            boolean v = labels[i] == value;
            if (v != cur) {
                b.toggle(i);
                cur = v;
            }
        }
        return b.build();
    }

    /**
     * Builds a mask from RLE run lengths (first run "off", may be 0).
     *
     * @throws AnnotationException when the runs are negative or do not sum to width*height
     */
    public static Mask fromRuns(int width, int height, int[] runs) {
        checkSize(width, height);
        Builder b = new Builder(width, height);
        long pos = 0;
        boolean on = false;
        for (int r : runs) {
            if (r < 0) {
                throw new AnnotationException("negative run length in mask");
            }
            if (r > 0) {
                if (on != b.currentValue()) {
                    b.toggle((int) pos);
                }
                pos += r;
                if (pos > (long) width * height) {
                    throw new AnnotationException("mask runs exceed " + width + "x" + height);
                }
            }
            on = !on;
        }
        if (pos != (long) width * height) {
            throw new AnnotationException("mask runs sum to " + pos + ", expected " + (long) width * height);
        }
        return b.build();
    }

    private static void checkLength(int len, int width, int height) {
        if (len != width * height) {
            throw new AnnotationException("bitmap has " + len + " entries, expected " + width + "x" + height);
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of "on" pixels. */
    public int area() {
        return area;
    }

    public boolean isEmpty() {
        return toggles.length == 0;
    }

    /** Number of RLE runs (a rough measure of storage cost). */
    public int runCount() {
        return toggles.length + 1;
    }

    /** Value at pixel (x, y); out-of-range coordinates read as off. */
    public boolean get(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) {
            return false;
        }
        int p = y * width + x;
        int idx = Arrays.binarySearch(toggles, p);
        // number of toggles at positions <= p decides the value
        int count = idx >= 0 ? idx + 1 : -idx - 1;
        return (count & 1) == 1;
    }

    /** Row-major bitmap copy. */
    public boolean[] toBitmap() {
        boolean[] out = new boolean[width * height];
        forEachRun((s, e) -> Arrays.fill(out, s, e, true));
        return out;
    }

    /** Row-major 0/1 byte bitmap copy. */
    public byte[] toBytes() {
        byte[] out = new byte[width * height];
        forEachRun((s, e) -> Arrays.fill(out, s, e, (byte) 1));
        return out;
    }

    /** RLE run lengths: alternating off/on, first run off (possibly 0), summing to width*height. */
    public int[] runs() {
        int n = width * height;
        int[] runs = new int[toggles.length + 1];
        int prev = 0;
        for (int i = 0; i < toggles.length; i++) {
            runs[i] = toggles[i] - prev;
            prev = toggles[i];
        }
        runs[toggles.length] = n - prev;
        return runs;
    }

    /** Receives half-open pixel offset ranges [start, end) of "on" pixels. */
    @FunctionalInterface
    public interface RunConsumer {
        void accept(int start, int end);
    }

    /** Visits every "on" run in row-major order (runs may span rows). */
    public void forEachRun(RunConsumer consumer) {
        int n = width * height;
        for (int i = 0; i < toggles.length; i += 2) {
            consumer.accept(toggles[i], i + 1 < toggles.length ? toggles[i + 1] : n);
        }
    }

    /**
     * Writes {@code value} into a row-major label map at every "on" pixel; with
     * {@code onlyWhereZero} only pixels still 0 are written (first painter wins).
     */
    public void paintInto(int[] labels, int value, boolean onlyWhereZero) {
        checkLength(labels.length, width, height);
        forEachRun((s, e) -> {
            if (!onlyWhereZero) {
                Arrays.fill(labels, s, e, value);
            } else {
                for (int i = s; i < e; i++) {
                    if (labels[i] == 0) {
                        labels[i] = value;
                    }
                }
            }
        });
    }

    /** Pixels on in either mask. */
    public Mask union(Mask other) {
        return combine(other, 1);
    }

    /** Pixels on in both masks. */
    public Mask intersect(Mask other) {
        return combine(other, 2);
    }

    /** Pixels on here but not in {@code other}. */
    public Mask difference(Mask other) {
        return combine(other, 3);
    }

    /** Pixels off here. */
    public Mask invert() {
        return full(width, height).difference(this);
    }

    /** Intersection over union; 1 when both are empty. */
    public double iou(Mask other) {
        int inter = intersect(other).area();
        int uni = area + other.area - inter;
        return uni == 0 ? 1.0 : (double) inter / uni;
    }

    private Mask combine(Mask o, int op) {
        if (o.width != width || o.height != height) {
            throw new AnnotationException("mask sizes differ: " + width + "x" + height + " vs "
                    + o.width + "x" + o.height);
        }
        int[] a = toggles;
        int[] b = o.toggles;
        Builder out = new Builder(width, height);
        int i = 0;
        int j = 0;
        boolean va = false;
        boolean vb = false;
        boolean cur = false;
        while (i < a.length || j < b.length) {
            int pa = i < a.length ? a[i] : Integer.MAX_VALUE;
            int pb = j < b.length ? b[j] : Integer.MAX_VALUE;
            int p = Math.min(pa, pb);
            if (pa == p) {
                va = !va;
                i++;
            }
            if (pb == p) {
                vb = !vb;
                j++;
            }
            boolean v = switch (op) {
                case 1 -> va || vb;
                case 2 -> va && vb;
                default -> va && !vb;
            };
            if (v != cur) {
                out.toggle(p);
                cur = v;
            }
        }
        return out.build();
    }

    /** Nearest-neighbour resize (pixel centres, as PIL's NEAREST). */
    public Mask resizeNearest(int newWidth, int newHeight) {
        if (newWidth == width && newHeight == height) {
            return this;
        }
        boolean[] src = toBitmap();
        boolean[] dst = new boolean[newWidth * newHeight];
        int[] xs = nearestIndex(width, newWidth);
        int[] ys = nearestIndex(height, newHeight);
        for (int y = 0; y < newHeight; y++) {
            int row = ys[y] * width;
            for (int x = 0; x < newWidth; x++) {
                dst[y * newWidth + x] = src[row + xs[x]];
            }
        }
        return fromBitmap(dst, newWidth, newHeight);
    }

    /** Source index for each destination index under nearest-neighbour sampling of centres. */
    public static int[] nearestIndex(int srcLen, int dstLen) {
        int[] idx = new int[dstLen];
        double scale = (double) srcLen / dstLen;
        for (int i = 0; i < dstLen; i++) {
            idx[i] = Math.min(srcLen - 1, (int) Math.floor((i + 0.5) * scale));
        }
        return idx;
    }

    /** Bounding box {x0, y0, x1, y1} (inclusive) of the on pixels, or null when empty. */
    public int[] bounds() {
        if (isEmpty()) {
            return null;
        }
        int[] bb = {width, height, -1, -1};
        forEachRun((s, e) -> {
            int y0 = s / width;
            int y1 = (e - 1) / width;
            bb[1] = Math.min(bb[1], y0);
            bb[3] = Math.max(bb[3], y1);
            if (y0 == y1) {
                bb[0] = Math.min(bb[0], s % width);
                bb[2] = Math.max(bb[2], (e - 1) % width);
            } else {
                bb[0] = 0;
                bb[2] = width - 1; // a run over a row break touches both edges
            }
        });
        return bb;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.toggles, toggles);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(toggles);
    }

    @Override
    public String toString() {
        return "Mask[" + width + "x" + height + ", area=" + area + ", runs=" + runCount() + "]";
    }

    /** Appends toggles in increasing order; used by the pure operations in {@link MaskOps}. */
    static final class Builder {
        private final int width;
        private final int height;
        private int[] buf = new int[16];
        private int n;

        Builder(int width, int height) {
            this.width = width;
            this.height = height;
        }

        boolean currentValue() {
            return (n & 1) == 1;
        }

        /** Flips the value from pixel offset {@code p} on; equal consecutive toggles cancel. */
        void toggle(int p) {
            if (n > 0 && buf[n - 1] == p) {
                n--;
                return;
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p;
        }

        /** Sets pixels [s, e) on, for strictly increasing disjoint ranges. */
        void addRange(int s, int e) {
            if (s >= e) {
                return;
            }
            toggle(s);
            if (e < width * height) {
                toggle(e);
            }
        }

        Mask build() {
            return new Mask(width, height, n == 0 ? NONE : Arrays.copyOf(buf, n));
        }
    }
}
