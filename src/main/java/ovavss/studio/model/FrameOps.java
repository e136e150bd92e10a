package ovavss.studio.model;

/**
 * Frame pre-processing of the official OV-AVSS host path (OVAVSS.md §1.2) as pure functions over
 * arrays: detectron2 {@code ResizeShortestEdge} output size, PIL bilinear resampling (with PIL's
 * antialiasing when downscaling) and the normalise-then-zero-pad step of
 * {@code ImageList.from_tensors}.
 *
 * <p>Layouts: packed {@code 0xAARRGGBB} ints for 8-bit images (as decoded by {@code media}),
 * planar CHW floats for tensors.
 */
final class FrameOps {
    /** PIL's fixed-point precision for 8-bit resampling ({@code PRECISION_BITS = 32 - 8 - 2}). */
    private static final int PRECISION_BITS = 22;

    private FrameOps() {
    }

    /**
     * detectron2 {@code ResizeShortestEdge.get_output_shape}: short side to {@code shortEdge},
     * long side capped at {@code maxSize}, each side rounded with {@code int(x + 0.5)}.
     *
     * @return {newHeight, newWidth}
     */
    public static int[] shortestEdgeSize(int height, int width, int shortEdge, int maxSize) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("empty image " + width + "x" + height);
        }
        double scale = shortEdge * 1.0 / Math.min(height, width);
        double newH;
        double newW;
        if (height < width) {
            newH = shortEdge;
            newW = scale * width;
        } else {
            newH = scale * height;
            newW = shortEdge;
        }
        if (Math.max(newH, newW) > maxSize) {
            double s = maxSize * 1.0 / Math.max(newH, newW);
            newH = newH * s;
            newW = newW * s;
        }
        return new int[] {(int) (newH + 0.5), (int) (newW + 0.5)};
    }

    /** Padded size: each side rounded up to a multiple of {@code divisibility}. */
    public static int padTo(int size, int divisibility) {
        return divisibility <= 1 ? size : (size + divisibility - 1) / divisibility * divisibility;
    }

    /** Resampling coefficients of one axis, in PIL's fixed-point form. */
    private record Coeffs(int ksize, int[] bounds, int[] kk) {
    }

    private static Coeffs precompute(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterscale = Math.max(scale, 1.0);
        // The bilinear (triangle) filter has support 1; PIL widens it by the scale when
        // downscaling, which is what makes its "bilinear" antialiased.
        double support = filterscale;
        int ksize = (int) Math.ceil(support) * 2 + 1;
        double[] k = new double[outSize * ksize];
        int[] bounds = new int[outSize * 2];
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ww = 0.0;
            double ss = 1.0 / filterscale;
            int xmin = (int) (center - support + 0.5);
            if (xmin < 0) {
                xmin = 0;
            }
            int xmax = (int) (center + support + 0.5);
            if (xmax > inSize) {
                xmax = inSize;
            }
            xmax -= xmin;
            for (int x = 0; x < xmax; x++) {
                double arg = Math.abs((x + xmin - center + 0.5) * ss);
                double w = arg < 1.0 ? 1.0 - arg : 0.0;
                k[xx * ksize + x] = w;
                ww += w;
            }
            for (int x = 0; x < xmax; x++) {
                if (ww != 0.0) {
                    k[xx * ksize + x] /= ww;
                }
            }
            bounds[xx * 2] = xmin;
            bounds[xx * 2 + 1] = xmax;
        }
        int[] kk = new int[k.length];
        for (int i = 0; i < k.length; i++) {
            kk[i] = k[i] < 0 ? (int) (-0.5 + k[i] * (1 << PRECISION_BITS))
                    : (int) (0.5 + k[i] * (1 << PRECISION_BITS));
        }
        return new Coeffs(ksize, bounds, kk);
    }

    private static int clip8(int in) {
        if (in >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        if (in <= 0) {
            return 0;
        }
        return in >> PRECISION_BITS;
    }

    /**
     * PIL {@code Image.resize(size, BILINEAR)} of an 8-bit RGB image, bit-exact with Pillow's
     * two-pass fixed-point resampler (horizontal pass first, uint8 rounding between passes, only
     * the source rows the vertical pass needs). Alpha is set to 255.
     */
    public static int[] resizeBilinearPil(int[] argb, int width, int height, int newWidth, int newHeight) {
        if (argb.length != width * height) {
            throw new IllegalArgumentException("pixel array length " + argb.length + " != " + width + "x" + height);
        }
        boolean needH = newWidth != width;
        boolean needV = newHeight != height;
        if (!needH && !needV) {
            int[] copy = argb.clone();
            for (int i = 0; i < copy.length; i++) {
                copy[i] |= 0xFF000000;
            }
            return copy;
        }
        Coeffs ch = precompute(width, newWidth);
        Coeffs cv = precompute(height, newHeight);
        int[] vBounds = cv.bounds.clone();
        int[] src = argb;
        int srcW = width;
        if (needH) {
            int yFirst = vBounds[0];
            int yLast = vBounds[newHeight * 2 - 2] + vBounds[newHeight * 2 - 1];
            for (int i = 0; i < newHeight; i++) {
                vBounds[i * 2] -= yFirst;
            }
            int rows = yLast - yFirst;
            int[] tmp = new int[newWidth * rows];
            for (int yy = 0; yy < rows; yy++) {
                int rowOff = (yy + yFirst) * width;
                for (int xx = 0; xx < newWidth; xx++) {
                    int xmin = ch.bounds[xx * 2];
                    int xmax = ch.bounds[xx * 2 + 1];
                    int kOff = xx * ch.ksize;
                    int s0 = 1 << (PRECISION_BITS - 1);
                    int s1 = s0;
                    int s2 = s0;
                    for (int x = 0; x < xmax; x++) {
                        int p = argb[rowOff + x + xmin];
                        int kv = ch.kk[kOff + x];
                        s0 += ((p >> 16) & 0xFF) * kv;
                        s1 += ((p >> 8) & 0xFF) * kv;
                        s2 += (p & 0xFF) * kv;
                    }
                    tmp[yy * newWidth + xx] = 0xFF000000 | clip8(s0) << 16 | clip8(s1) << 8 | clip8(s2);
                }
            }
            src = tmp;
            srcW = newWidth;
        }
        if (!needV) {
            return src;
        }
        int[] out = new int[newWidth * newHeight];
        for (int yy = 0; yy < newHeight; yy++) {
            int ymin = vBounds[yy * 2];
            int ymax = vBounds[yy * 2 + 1];
            int kOff = yy * cv.ksize;
            for (int xx = 0; xx < newWidth; xx++) {
                int s0 = 1 << (PRECISION_BITS - 1);
                int s1 = s0;
                int s2 = s0;
                for (int y = 0; y < ymax; y++) {
                    int p = src[(y + ymin) * srcW + xx];
                    int kv = cv.kk[kOff + y];
                    s0 += ((p >> 16) & 0xFF) * kv;
                    s1 += ((p >> 8) & 0xFF) * kv;
                    s2 += (p & 0xFF) * kv;
                }
                out[yy * newWidth + xx] = 0xFF000000 | clip8(s0) << 16 | clip8(s1) << 8 | clip8(s2);
            }
        }
        return out;
    }

    /** RGB 0..255 as planar float CHW [3,H,W] (the un-normalised frames CLIP crops read). */
    public static float[] toChw(int[] argb, int width, int height) {
        int n = width * height;
        float[] out = new float[3 * n];
        for (int i = 0; i < n; i++) {
            int p = argb[i];
            out[i] = (p >> 16) & 0xFF;
            out[n + i] = (p >> 8) & 0xFF;
            out[2 * n + i] = p & 0xFF;
        }
        return out;
    }

    /**
     * (x − mean)/std per channel, then zero padding at the bottom/right to [3,Hp,Wp]
     * (detectron2 pads after normalising, so the padding is 0 in normalised space). Writes into
     * {@code dst} at {@code dstOff} so a whole window can share one buffer.
     */
    public static void normalizeAndPad(int[] argb, int width, int height, float[] mean, float[] std,
                                       int paddedWidth, int paddedHeight, float[] dst, int dstOff) {
        int plane = paddedWidth * paddedHeight;
        java.util.Arrays.fill(dst, dstOff, dstOff + 3 * plane, 0f);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int p = argb[y * width + x];
                int o = dstOff + y * paddedWidth + x;
                dst[o] = ((float) ((p >> 16) & 0xFF) - mean[0]) / std[0];
                dst[o + plane] = ((float) ((p >> 8) & 0xFF) - mean[1]) / std[1];
                dst[o + 2 * plane] = ((float) (p & 0xFF) - mean[2]) / std[2];
            }
        }
    }
}
