package ovavss.studio.model;

/**
 * One labelled object of one window after relabelling: a (query, class) pick that passed the
 * score threshold.
 *
 * @param window window index
 * @param query segmenter query index
 * @param classIndex index into the vocabulary used for this labelling (label id = classIndex + 1)
 * @param label the vocabulary name
 * @param score the ranking score (CLIP probability, times the sound score when the gate is on)
 * @param clipScore the CLIP probability alone
 * @param soundScore softmax(sound_logits)[0] of the query (the official pipeline ignores it)
 * @param keyframes global keyframe indices where the query's mask is valid
 */
public record ObjectPrediction(int window, int query, int classIndex, String label, float score, float clipScore,
                               float soundScore, int[] keyframes) {
}
