package ovavss.studio.annotation;

/** The standard {@link EditCommand}s of the annotation editor. */
public final class Edits {
    private Edits() {
    }

    private static SoundingObject requireObject(Clip c, String objectId) {
        return c.object(objectId).orElseThrow(() ->
                new AnnotationException("no object '" + objectId + "' in clip '" + c.id() + "'"));
    }

    private static void requireKeyframe(Clip c, int k) {
        if (k < 0 || k >= c.keyframeCount()) {
            throw new AnnotationException("clip '" + c.id() + "' has no keyframe " + k);
        }
    }

    /** Adds a class to the vocabulary (or replaces the class of the same name). */
    public static EditCommand putClass(VocabularyEntry entry) {
        return EditCommand.of("Edit class " + entry.name(), p -> p.withVocabulary(p.vocabulary().with(entry)));
    }

    /** Adds a new object (its label must be in the vocabulary). */
    public static EditCommand addObject(String clipId, SoundingObject object) {
        return EditCommand.of("Add object", p -> {
            Clip c = p.requireClip(clipId);
            if (c.object(object.id()).isPresent()) {
                throw new AnnotationException("clip '" + clipId + "' already has an object '" + object.id() + "'");
            }
            requireLabel(p, object.label());
            return p.withClip(c.withObject(object));
        });
    }

    public static EditCommand removeObject(String clipId, String objectId) {
        return EditCommand.of("Delete object", p -> {
            Clip c = p.requireClip(clipId);
            requireObject(c, objectId);
            return p.withClip(c.withoutObject(objectId));
        });
    }

    public static EditCommand relabel(String clipId, String objectId, String label) {
        return EditCommand.of("Relabel object", p -> {
            Clip c = p.requireClip(clipId);
            requireLabel(p, label);
            return p.withClip(c.withObject(requireObject(c, objectId).withLabel(label)));
        });
    }

    public static EditCommand setZOrder(String clipId, String objectId, int z) {
        return EditCommand.of("Reorder object", p -> {
            Clip c = p.requireClip(clipId);
            return p.withClip(c.withObject(requireObject(c, objectId).withZOrder(z)));
        });
    }

    /**
     * Sets an object's mask at a keyframe. A new keyframe entry starts as {@link SoundFlag#UNKNOWN};
     * an existing one keeps its sound flag. {@code mask == null} removes the keyframe entry.
     */
    public static EditCommand setMask(String clipId, String objectId, int keyframe, Mask mask, Provenance provenance) {
        return EditCommand.of(provenance == Provenance.HUMAN ? "Edit mask" : "Apply prediction", p -> {
            Clip c = p.requireClip(clipId);
            requireKeyframe(c, keyframe);
            SoundingObject o = requireObject(c, objectId);
            ObjectFrame old = o.frame(keyframe);
            ObjectFrame f = mask == null ? null
                    : old == null ? new ObjectFrame(mask, SoundFlag.UNKNOWN, provenance, 1.0)
                    : old.withMask(mask, provenance);
            return p.withClip(c.withObject(o.withFrame(keyframe, f)));
        });
    }

    /** Replaces a whole keyframe entry (mask, flag, provenance, score); null removes it. */
    public static EditCommand putFrame(String clipId, String objectId, int keyframe, ObjectFrame frame) {
        return EditCommand.of("Set object frame", p -> {
            Clip c = p.requireClip(clipId);
            requireKeyframe(c, keyframe);
            return p.withClip(c.withObject(requireObject(c, objectId).withFrame(keyframe, frame)));
        });
    }

    /** Changes the sound flag of an existing keyframe entry; the mask is kept even when silent. */
    public static EditCommand setSound(String clipId, String objectId, int keyframe, SoundFlag flag) {
        return EditCommand.of("Mark " + flag.name().toLowerCase(java.util.Locale.ROOT), p -> {
            Clip c = p.requireClip(clipId);
            SoundingObject o = requireObject(c, objectId);
            ObjectFrame f = o.frame(keyframe);
            if (f == null) {
                throw new AnnotationException("object '" + objectId + "' has no mask at keyframe " + keyframe);
            }
            return p.withClip(c.withObject(o.withFrame(keyframe, f.withSound(flag))));
        });
    }

    private static void requireLabel(Project p, String label) {
        if (!p.vocabulary().contains(label)) {
            throw new AnnotationException("'" + label + "' is not in the project vocabulary");
        }
    }
}
