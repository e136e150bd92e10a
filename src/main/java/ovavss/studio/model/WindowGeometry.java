package ovavss.studio.model;

/**
 * Sizes of one inference window.
 *
 * @param frames T, keyframes per window (5)
 * @param sourceHeight H0, the decoded frame height (label maps are written at this size)
 * @param sourceWidth W0
 * @param height H, after ResizeShortestEdge
 * @param width W
 * @param paddedHeight Hp, H rounded up to the size divisibility
 * @param paddedWidth Wp
 * @param maskStride s: the mask logits are [Hp/s, Wp/s] (4 for the segmenter; a proposer may give 1 or 2)
 */
public record WindowGeometry(int frames, int sourceHeight, int sourceWidth, int height, int width,
                             int paddedHeight, int paddedWidth, int maskStride) {
    /** The strides a mask graph may return its logits at. */
    static final int[] MASK_STRIDES = {4, 2, 1};

    public WindowGeometry {
        if (java.util.Arrays.stream(MASK_STRIDES).noneMatch(s -> s == maskStride)) {
            throw new IllegalArgumentException("mask stride must be 1, 2 or 4, not " + maskStride);
        }
    }

    /** A geometry with the segmenter's mask stride, 4. */
    public WindowGeometry(int frames, int sourceHeight, int sourceWidth, int height, int width, int paddedHeight,
                          int paddedWidth) {
        this(frames, sourceHeight, sourceWidth, height, width, paddedHeight, paddedWidth, 4);
    }

    /** The same window with mask logits at another stride. */
    public WindowGeometry withMaskStride(int stride) {
        return new WindowGeometry(frames, sourceHeight, sourceWidth, height, width, paddedHeight, paddedWidth, stride);
    }

    /** Geometry of a source frame size under a bundle's image settings. */
    public static WindowGeometry of(int frames, int sourceHeight, int sourceWidth, int minSize, int maxSize,
                                    int divisibility) {
        int[] hw = FrameOps.shortestEdgeSize(sourceHeight, sourceWidth, minSize, maxSize);
        return new WindowGeometry(frames, sourceHeight, sourceWidth, hw[0], hw[1],
                FrameOps.padTo(hw[0], divisibility), FrameOps.padTo(hw[1], divisibility));
    }

    /** Mask logits height Hp/s. */
    public int maskHeight() {
        return paddedHeight / maskStride;
    }

    /** Mask logits width Wp/s. */
    public int maskWidth() {
        return paddedWidth / maskStride;
    }
}
