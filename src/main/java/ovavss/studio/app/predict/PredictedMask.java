package ovavss.studio.app.predict;

/**
 * One predicted object on one keyframe, as a row of the predictions table: the pixels it owns in
 * the clip's label map at that keyframe (the first-wins composition, so the masks of a keyframe
 * never overlap and their union, coloured by {@code labelId}, is the label PNG).
 *
 * @param keyframe global keyframe index (the PNG's name)
 * @param objectId the object's index in the clip's {@code predictions.json}
 * @param window window index
 * @param query segmenter query index
 * @param labelId the label id written in the PNG (vocabulary index + 1)
 * @param label the vocabulary name
 * @param score the ranking score
 * @param clipScore the CLIP probability alone
 * @param soundScore the sound head's score
 * @param height mask height (the source frame's)
 * @param width mask width
 * @param area pixels in the mask
 * @param rle the mask as a compressed COCO RLE string ({@link CocoRle})
 */
public record PredictedMask(int keyframe, int objectId, int window, int query, int labelId, String label, float score,
                            float clipScore, float soundScore, int height, int width, int area, String rle) {
}
