package ovavss.studio.model;

/**
 * Mask post-processing steps of the official OV-AVSS host path (OVAVSS.md §2–§3) as pure
 * functions over planar float arrays: bilinear upsampling with PyTorch's
 * {@code align_corners=False} rule, sigmoid validity, detectron2 tight boxes, the top-left
 * anchored square rule, torchvision {@code roi_align} and the black-background blend.
 */
final class MaskOps {
    private MaskOps() {
    }

    /**
     * {@code F.interpolate(x, size=(outH,outW), mode="bilinear", align_corners=False)} of
     * {@code planes} planes of inH×inW, optionally reading only the top-left {@code cropH×cropW}
     * of each input plane (the "crop padding, then resize" step uses this without a copy).
     */
    public static float[] resizeBilinear(float[] src, int planes, int inH, int inW, int cropH, int cropW,
                                         int outH, int outW) {
        if (cropH == inH && cropW == inW && inH == outH && inW == outW) {
            // the same size: interpolation weights are (1, 0), the planes come back unchanged (a
            // proposer that refines its masks returns them at full resolution)
            return java.util.Arrays.copyOf(src, planes * inH * inW);
        }
        float[] out = new float[planes * outH * outW];
        int[] y0 = new int[outH];
        int[] y1 = new int[outH];
        float[] ly = new float[outH];
        int[] x0 = new int[outW];
        int[] x1 = new int[outW];
        float[] lx = new float[outW];
        axis(cropH, outH, y0, y1, ly);
        axis(cropW, outW, x0, x1, lx);
        int inPlane = inH * inW;
        int outPlane = outH * outW;
        for (int p = 0; p < planes; p++) {
            int base = p * inPlane;
            int ob = p * outPlane;
            for (int oy = 0; oy < outH; oy++) {
                int r0 = base + y0[oy] * inW;
                int r1 = base + y1[oy] * inW;
                float wy1 = ly[oy];
                float wy0 = 1f - wy1;
                for (int ox = 0; ox < outW; ox++) {
                    float wx1 = lx[ox];
                    float wx0 = 1f - wx1;
                    out[ob + oy * outW + ox] = wy0 * (wx0 * src[r0 + x0[ox]] + wx1 * src[r0 + x1[ox]])
                            + wy1 * (wx0 * src[r1 + x0[ox]] + wx1 * src[r1 + x1[ox]]);
                }
            }
        }
        return out;
    }

    /** Same as {@link #resizeBilinear(float[], int, int, int, int, int, int, int)} without cropping. */
    public static float[] resizeBilinear(float[] src, int planes, int inH, int inW, int outH, int outW) {
        return resizeBilinear(src, planes, inH, inW, inH, inW, outH, outW);
    }

    private static void axis(int in, int out, int[] i0, int[] i1, float[] lambda) {
        float scale = (float) in / out;
        for (int o = 0; o < out; o++) {
            float s = (o + 0.5f) * scale - 0.5f;
            if (s < 0) {
                s = 0;
            }
            int lo = (int) s;
            i0[o] = lo;
            i1[o] = lo < in - 1 ? lo + 1 : lo;
            lambda[o] = s - lo;
        }
    }

    /** Float32 sigmoid, as {@code torch.sigmoid}. */
    public static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /**
     * Tight box of the pixels whose sigmoid exceeds {@code prob} in one plane of an array of
     * logits, detectron2 {@code BitMasks.get_bounding_boxes} convention.
     *
     * @return {x1, y1, x2, y2} with x2/y2 exclusive, or {@code null} when no pixel passes
     */
    public static int[] tightBox(float[] logits, int offset, int h, int w, float prob) {
        // sigmoid(x) > prob is decided on the logit; only values within a hair of the boundary
        // go through the float sigmoid itself, so the result is exactly the sigmoid comparison
        double boundary = Math.log(prob / (1.0 - prob));
        float lo = (float) (boundary - 1e-3);
        float hi = (float) (boundary + 1e-3);
        int x1 = Integer.MAX_VALUE;
        int y1 = Integer.MAX_VALUE;
        int x2 = -1;
        int y2 = -1;
        for (int y = 0; y < h; y++) {
            int row = offset + y * w;
            for (int x = 0; x < w; x++) {
                float v = logits[row + x];
                if (v <= lo || (v < hi && !(sigmoid(v) > prob))) {
                    continue;
                }
                if (x < x1) {
                    x1 = x;
                }
                if (x > x2) {
                    x2 = x;
                }
                if (y < y1) {
                    y1 = y;
                }
                y2 = y;
            }
        }
        return x2 < 0 ? null : new int[] {x1, y1, x2 + 1, y2 + 1};
    }

    /**
     * The official square rule: side L = max(w, h), anchored at the top-left corner, growing
     * right/down only (not centred), possibly past the image.
     */
    public static float[] topLeftSquare(int[] box) {
        int side = Math.max(box[2] - box[0], box[3] - box[1]);
        return new float[] {box[0], box[1], box[0] + side, box[1] + side};
    }

    /**
     * torchvision {@code roi_align(input, [box], output_size=(r, r), spatial_scale=1,
     * sampling_ratio=-1, aligned=False)} of one box on one [C,H,W] image: adaptive
     * ceil(roi/r) samples per bin, samples more than one pixel outside read as 0, roi size at
     * least 1.
     *
     * @return [C,r,r]
     */
    public static float[] roiAlign(float[] img, int offset, int channels, int height, int width, float[] box, int r) {
        double x1 = box[0];
        double y1 = box[1];
        double roiW = Math.max(box[2] - x1, 1.0);
        double roiH = Math.max(box[3] - y1, 1.0);
        double binH = roiH / r;
        double binW = roiW / r;
        int gh = (int) Math.ceil(roiH / r);
        int gw = (int) Math.ceil(roiW / r);
        int count = Math.max(gh * gw, 1);
        // Precompute per-axis sample positions; every (y, x) sample is a product of the two.
        int ny = r * gh;
        int nx = r * gw;
        int[] ylo = new int[ny];
        int[] yhi = new int[ny];
        double[] fy = new double[ny];
        boolean[] yin = new boolean[ny];
        int[] xlo = new int[nx];
        int[] xhi = new int[nx];
        double[] fx = new double[nx];
        boolean[] xin = new boolean[nx];
        for (int p = 0; p < r; p++) {
            for (int i = 0; i < gh; i++) {
                sample(y1 + p * binH + (i + 0.5) * binH / gh, height, p * gh + i, ylo, yhi, fy, yin);
            }
            for (int i = 0; i < gw; i++) {
                sample(x1 + p * binW + (i + 0.5) * binW / gw, width, p * gw + i, xlo, xhi, fx, xin);
            }
        }
        float[] out = new float[channels * r * r];
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = offset + c * plane;
            for (int ph = 0; ph < r; ph++) {
                for (int pw = 0; pw < r; pw++) {
                    double sum = 0;
                    for (int iy = ph * gh; iy < (ph + 1) * gh; iy++) {
                        if (!yin[iy]) {
                            continue;
                        }
                        double ly = fy[iy];
                        double hy = 1 - ly;
                        int r0 = base + ylo[iy] * width;
                        int r1 = base + yhi[iy] * width;
                        for (int ix = pw * gw; ix < (pw + 1) * gw; ix++) {
                            if (!xin[ix]) {
                                continue;
                            }
                            double lx = fx[ix];
                            double hx = 1 - lx;
                            sum += hy * hx * img[r0 + xlo[ix]] + hy * lx * img[r0 + xhi[ix]]
                                    + ly * hx * img[r1 + xlo[ix]] + ly * lx * img[r1 + xhi[ix]];
                        }
                    }
                    out[c * r * r + ph * r + pw] = (float) (sum / count);
                }
            }
        }
        return out;
    }

    private static void sample(double v, int size, int i, int[] lo, int[] hi, double[] frac, boolean[] inside) {
        if (v < -1.0 || v > size) {
            inside[i] = false;
            return;
        }
        inside[i] = true;
        if (v <= 0) {
            v = 0;
        }
        int l = (int) v;
        int h;
        if (l >= size - 1) {
            l = size - 1;
            h = size - 1;
            v = l;
        } else {
            h = l + 1;
        }
        lo[i] = l;
        hi[i] = h;
        frac[i] = v - l;
    }

    /**
     * Black-background blend and CLIP input normalisation of one crop, in place:
     * x = (mask·region / 255 − mean) / std per channel ([3,R,R] region, [R,R] soft mask).
     */
    public static void blendAndClipNormalize(float[] region, float[] mask, float[] mean, float[] std) {
        int n = mask.length;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < n; i++) {
                double v = (double) mask[i] * region[c * n + i] / 255.0;
                region[c * n + i] = (float) ((v - mean[c]) / std[c]);
            }
        }
    }
}
