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
 */
public record WindowGeometry(int frames, int sourceHeight, int sourceWidth, int height, int width,
                             int paddedHeight, int paddedWidth) {
    /** Geometry of a source frame size under a bundle's image settings. */
    public static WindowGeometry of(int frames, int sourceHeight, int sourceWidth, int minSize, int maxSize,
                                    int divisibility) {
        int[] hw = FrameOps.shortestEdgeSize(sourceHeight, sourceWidth, minSize, maxSize);
        return new WindowGeometry(frames, sourceHeight, sourceWidth, hw[0], hw[1],
                FrameOps.padTo(hw[0], divisibility), FrameOps.padTo(hw[1], divisibility));
    }

    /** Mask logits height Hp/4. */
    public int maskHeight() {
        return paddedHeight / 4;
    }

    /** Mask logits width Wp/4. */
    public int maskWidth() {
        return paddedWidth / 4;
    }
}
