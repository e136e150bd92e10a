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
 * @param proposals what SeAC or OpenAVS adds (null for OV-AVSS); with it, {@code soundScores} hold
 *     the proposer's objectness and the queries are the proposer's
 */
public record WindowAnalysis(int index, int firstKeyframe, int realFrames, WindowGeometry geometry,
                             float[] soundScores, int[] queries, boolean[][] validFrames,
                             float[] meanEmbedding, int embeddingDim, float[] cropEmbeddings,
                             float[][] maskLogits, ProposalData proposals) {
    /** An OV-AVSS window. */
    public WindowAnalysis(int index, int firstKeyframe, int realFrames, WindowGeometry geometry, float[] soundScores,
                          int[] queries, boolean[][] validFrames, float[] meanEmbedding, int embeddingDim,
                          float[] cropEmbeddings, float[][] maskLogits) {
        this(index, firstKeyframe, realFrames, geometry, soundScores, queries, validFrames, meanEmbedding, embeddingDim,
                cropEmbeddings, maskLogits, null);
    }

    /**
     * The vocabulary-independent part of a SeAC or OpenAVS window, row by row in the order of
     * {@code cropEmbeddings} (frame-major valid (frame, query) pairs).
     *
     * @param method SEAC or OPENAVS
     * @param settings the bundle's constants for it
     * @param rowFrame frame (0-based in the window) of each row
     * @param rowQuery proposer query of each row
     * @param features SeAC: the mask feature f = λ·local + (1−λ)·global of each row [K,D]; null for OpenAVS
     * @param association SeAC: cos(mask, audio of the row's second) of each row [K]; null for OpenAVS
     * @param audioText OpenAVS: per frame of the window, the audio's vector in the CLIP text space
     *     [T,D] (padding frames zero); null for SeAC
     * @param levelsDb per frame of the window, the level of its second of audio in dBFS [T] (for SeAC's
     *     silence gate); null when not measured (no frame is then silenced)
     */
    public record ProposalData(AnalysisMethod method, MethodSettings settings, int[] rowFrame, int[] rowQuery,
                               float[] features, float[] association, float[] audioText, float[] levelsDb) {
    }

    /** The method that made this window. */
    public AnalysisMethod method() {
        return proposals == null ? AnalysisMethod.OVAVSS : proposals.method();
    }

    /** M, the number of valid queries. */
    public int validQueries() {
        return queries.length;
    }
}
