package ovavss.studio.model;

/**
 * Constants of the host post-processing, read from a bundle's {@code postprocess} and
 * {@code clip} sections.
 *
 * @param validMaskProb a (frame, query) is valid when its sigmoid mask exceeds this somewhere (0.5)
 * @param topK picks over query×class (10)
 * @param scoreThreshold strict score filter (0.3)
 * @param maskLogitThreshold final masks are logit &gt; this (0)
 * @param clipInputSize R, CLIP crop size
 * @param temperature logit scale of the cosine similarities (100)
 * @param clipMean CLIP normalisation mean (RGB, 0..1 scale)
 * @param clipStd CLIP normalisation std
 * @param soundGate when true, scores are multiplied by the sound head's score (a deviation from
 *     the official path, off by default)
 * @param calibration OV-AVSS's base calibration ({@code postprocess.base_calibration}): a name the
 *     bundle was trained on has γ taken off its cosine before the temperature (none by default)
 */
public record PostProcessSettings(float validMaskProb, int topK, float scoreThreshold, float maskLogitThreshold,
                                  int clipInputSize, float temperature, float[] clipMean, float[] clipStd,
                                  boolean soundGate, NameCalibration calibration) {
    /** A copy with another score threshold. */
    public PostProcessSettings withScoreThreshold(float threshold) {
        return new PostProcessSettings(validMaskProb, topK, threshold, maskLogitThreshold, clipInputSize,
                temperature, clipMean, clipStd, soundGate, calibration);
    }

    /** A copy with the sound gate switched on or off. */
    public PostProcessSettings withSoundGate(boolean gate) {
        return new PostProcessSettings(validMaskProb, topK, scoreThreshold, maskLogitThreshold, clipInputSize,
                temperature, clipMean, clipStd, gate, calibration);
    }
}
