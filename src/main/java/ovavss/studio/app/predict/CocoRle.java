package ovavss.studio.app.predict;

import java.util.ArrayList;
import java.util.List;

/**
 * COCO's run-length encoding of a binary mask, in the compressed string form that
 * {@code pycocotools.mask.encode} returns as {@code counts} (with {@code size = [height, width]}):
 * runs over the pixels in column-major order, starting with a run of zeros (possibly empty); each
 * count from the third on is stored as the difference to the count two before, in 5-bit groups
 * with a continuation bit, offset by 48 into printable ASCII.
 */
public final class CocoRle {
    private CocoRle() {
    }

    /** A row-major mask of {@code height} × {@code width} as the compressed COCO string. */
    public static String encode(boolean[] rowMajor, int height, int width) {
        if (rowMajor.length != height * width) {
            throw new IllegalArgumentException("mask has " + rowMajor.length + " pixels, not " + height + "×" + width);
        }
        List<Long> counts = new ArrayList<>();
        boolean current = false;
        long run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                boolean v = rowMajor[y * width + x];
                if (v != current) {
                    counts.add(run);
                    run = 0;
                    current = v;
                }
                run++;
            }
        }
        counts.add(run);
        return toCompressed(counts);
    }

    /** The row-major mask of a compressed COCO string of {@code height} × {@code width}. */
    public static boolean[] decode(String counts, int height, int width) {
        long[] runs = fromCompressed(counts);
        boolean[] out = new boolean[height * width];
        long pos = 0;
        boolean value = false;
        for (long r : runs) {
            if (r < 0 || pos + r > (long) height * width) {
                throw new IllegalArgumentException("RLE runs do not fit a " + height + "×" + width + " mask");
            }
            if (value) {
                for (long i = pos; i < pos + r; i++) {
                    int x = (int) (i / height);
                    int y = (int) (i % height);
                    out[y * width + x] = true;
                }
            }
            pos += r;
            value = !value;
        }
        if (pos != (long) height * width) {
            throw new IllegalArgumentException("RLE covers " + pos + " pixels, not " + (long) height * width);
        }
        return out;
    }

    private static String toCompressed(List<Long> counts) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < counts.size(); i++) {
            long x = counts.get(i);
            // pycocotools' rleToString differences from the third count on ("i > 2", not ">= 2")
            if (i > 2) {
                x -= counts.get(i - 2);
            }
            boolean more = true;
            while (more) {
                long c = x & 0x1f;
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                s.append((char) (c + 48));
            }
        }
        return s.toString();
    }

    private static long[] fromCompressed(String s) {
        List<Long> counts = new ArrayList<>();
        int p = 0;
        while (p < s.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= s.length()) {
                    throw new IllegalArgumentException("RLE string ends inside a count");
                }
                long c = s.charAt(p) - 48;
                if (c < 0 || c > 63) {
                    throw new IllegalArgumentException("RLE string has a character outside '0'..'o'");
                }
                x |= (c & 0x1f) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (counts.size() > 2) {
                x += counts.get(counts.size() - 2);
            }
            counts.add(x);
        }
        long[] out = new long[counts.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = counts.get(i);
        }
        return out;
    }
}
