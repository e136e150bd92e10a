package ovavss.studio.model;

/**
 * The vocabulary-independent result of one inference window, cached so that a vocabulary edit
 * needs only a matrix product (see {@link LiveVocabulary}). Arrays are owned by this object and
 * must not be modified.
 *
 * @param index window index in the clip (0-based)
 * @param firstKeyframe keyframe index of the window's frame 0
 * @param realFrames frames of the window that are real keyframes (the rest are padding)
 * @param geometry sizes
 * @param soundScores per query (all Q), softmax(sound_logits)[:,0]
 * @param queries the M queries valid (sigmoid &gt; threshold) in at least one real frame, ascending
 * @param validFrames [M][T] which frames each valid query is valid in
 * @param meanEmbedding [M,D] mean over valid frames of the L2-normalised CLIP crop embeddings
 * @param embeddingDim D
 * @param cropEmbeddings [K,D] L2-normalised crop embeddings in frame-major (t, q) order
 * @param maskLogits [M][T·Hp/4·Wp/4] low-resolution mask logits of the valid queries
 */
public record WindowAnalysis(int index, int firstKeyframe, int realFrames, WindowGeometry geometry,
                             float[] soundScores, int[] queries, boolean[][] validFrames,
                             float[] meanEmbedding, int embeddingDim, float[] cropEmbeddings,
                             float[][] maskLogits) {
    /** M, the number of valid queries. */
    public int validQueries() {
        return queries.length;
    }
}
