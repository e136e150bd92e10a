package ovavss.studio.annotation;

import java.util.Objects;

/**
 * One sounding object at one keyframe: its mask, whether it is heard, where the mask came from
 * and (for model predictions) the confidence used to resolve overlaps on export.
 *
 * @param score confidence in [0, 1]; human masks use 1
 */
public record ObjectFrame(Mask mask, SoundFlag sound, Provenance provenance, double score) {
    public ObjectFrame {
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(sound, "sound");
        Objects.requireNonNull(provenance, "provenance");
        if (!(score >= 0 && score <= 1)) {
            throw new AnnotationException("score must be in [0, 1], got " + score);
        }
    }

    /** A human-made mask with the given sound flag. */
    public static ObjectFrame human(Mask mask, SoundFlag sound) {
        return new ObjectFrame(mask, sound, Provenance.HUMAN, 1.0);
    }

    /** A model prediction. */
    public static ObjectFrame model(Mask mask, SoundFlag sound, double score) {
        return new ObjectFrame(mask, sound, Provenance.MODEL, score);
    }

    public ObjectFrame withMask(Mask m, Provenance p) {
        return new ObjectFrame(m, sound, p, p == Provenance.HUMAN ? 1.0 : score);
    }

    public ObjectFrame withSound(SoundFlag s) {
        return new ObjectFrame(mask, s, provenance, score);
    }
}
