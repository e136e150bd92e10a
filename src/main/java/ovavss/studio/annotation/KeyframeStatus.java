package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Where a keyframe stands in the annotation workflow. Reviewed keyframes are kept in the clip
 * attribute {@value #ATTRIBUTE} (comma-separated indices), so they travel with the project file
 * and with undo like every other edit.
 */
public enum KeyframeStatus {
    /** No entry for any object. */
    UNTOUCHED,
    /** Only model entries. */
    PREDICTED,
    /** At least one human entry. */
    EDITED,
    /** Marked reviewed by a person. */
    REVIEWED;

    /** Clip attribute holding the reviewed keyframe indices. */
    public static final String ATTRIBUTE = "reviewedKeyframes";

    /** The status of keyframe {@code k} of {@code c}. */
    public static KeyframeStatus of(Clip c, int k) {
        if (reviewed(c).contains(k)) {
            return REVIEWED;
        }
        boolean model = false;
        for (SoundingObject o : c.objects()) {
            ObjectFrame f = o.frame(k);
            if (f != null) {
                if (f.provenance() == Provenance.HUMAN) {
                    return EDITED;
                }
                model = true;
            }
        }
        return model ? PREDICTED : UNTOUCHED;
    }

    /** Reviewed keyframe indices of a clip; malformed entries are ignored. */
    public static TreeSet<Integer> reviewed(Clip c) {
        TreeSet<Integer> out = new TreeSet<>();
        String v = c.attributes().get(ATTRIBUTE);
        if (v == null || v.isBlank()) {
            return out;
        }
        for (String s : v.split(",")) {
            try {
                int k = Integer.parseInt(s.strip());
                if (k >= 0 && k < c.keyframeCount()) {
                    out.add(k);
                }
            } catch (NumberFormatException e) {
                // a hand-edited project file: skip what is not a number rather than fail the load
            }
        }
        return out;
    }

    /** Status of every keyframe of the clip, in order. */
    public static List<KeyframeStatus> all(Clip c) {
        List<KeyframeStatus> out = new ArrayList<>(c.keyframeCount());
        for (int k = 0; k < c.keyframeCount(); k++) {
            out.add(of(c, k));
        }
        return out;
    }

    /** How many keyframes of the clip are in each status (every status present, maybe 0). */
    public static Map<KeyframeStatus, Integer> summary(Clip c) {
        Map<KeyframeStatus, Integer> m = new EnumMap<>(KeyframeStatus.class);
        for (KeyframeStatus s : values()) {
            m.put(s, 0);
        }
        for (KeyframeStatus s : all(c)) {
            m.merge(s, 1, Integer::sum);
        }
        return m;
    }

    /** An edit marking (or unmarking) keyframes of a clip reviewed, as one undoable step. */
    public static EditCommand markReviewed(String clipId, boolean reviewed, int... keyframes) {
        return EditCommand.of(reviewed ? "Mark reviewed" : "Mark not reviewed", p -> {
            Clip c = p.requireClip(clipId);
            TreeSet<Integer> set = reviewed(c);
            for (int k : keyframes) {
                if (k < 0 || k >= c.keyframeCount()) {
                    throw new AnnotationException("clip '" + clipId + "' has no keyframe " + k);
                }
                if (reviewed) {
                    set.add(k);
                } else {
                    set.remove(k);
                }
            }
            Map<String, String> attrs = new java.util.LinkedHashMap<>(c.attributes());
            if (set.isEmpty()) {
                attrs.remove(ATTRIBUTE);
            } else {
                StringBuilder sb = new StringBuilder();
                for (int k : set) {
                    sb.append(sb.length() == 0 ? "" : ",").append(k);
                }
                attrs.put(ATTRIBUTE, sb.toString());
            }
            if (attrs.equals(c.attributes())) {
                return p;
            }
            return p.withClip(c.withAttributes(attrs));
        });
    }
}
