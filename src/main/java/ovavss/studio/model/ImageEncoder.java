package ovavss.studio.model;

/** The CLIP image graph as the post-processing sees it: [K,3,R,R] CLIP-normalised → raw [K,D]. */
@FunctionalInterface
interface ImageEncoder {
    /**
     * @param crops K crops, planar [K,3,R,R], row-major
     * @param count K (never 0)
     * @return raw (not normalised) embeddings [K,D]
     */
    float[] encode(float[] crops, int count);
}
