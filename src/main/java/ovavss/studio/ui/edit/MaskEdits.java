package ovavss.studio.ui.edit;

import java.util.ArrayList;
import java.util.List;
import ovavss.studio.annotation.AnnotationException;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.EditCommand;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.Provenance;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.ui.overlay.MaskOverlay;

/**
 * The editor's undoable edits, each one {@link EditCommand} (so one Ctrl+Z undoes it whole).
 * Pure functions of the project: testable without a toolkit.
 */
public final class MaskEdits {
    /** Okabe–Ito order, used for classes created by typing a new name. */
    private static final int[] NEW_CLASS_COLORS = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x999999};

    private MaskEdits() {
    }

    static SoundingObject object(Project p, String clipId, String objectId) {
        Clip c = p.requireClip(clipId);
        return c.object(objectId).orElseThrow(() ->
                new AnnotationException("no object '" + objectId + "' in clip '" + clipId + "'"));
    }

    private static Mask maskOrEmpty(Clip c, SoundingObject o, int k) {
        ObjectFrame f = o.frame(k);
        return f == null ? Mask.empty(c.width(), c.height()) : f.mask();
    }

    /** Union of every other object's mask at keyframe {@code k}. */
    public static Mask others(Clip c, String objectId, int k) {
        Mask u = Mask.empty(c.width(), c.height());
        for (SoundingObject o : c.objects()) {
            ObjectFrame f = o.frame(k);
            if (!o.id().equals(objectId) && f != null) {
                u = u.union(f.mask());
            }
        }
        return u;
    }

    /** Sets a human mask; a new entry starts UNKNOWN, an existing one keeps its flag. */
    static Project withMask(Project p, String clipId, String objectId, int k, Mask m) {
        Clip c = p.requireClip(clipId);
        if (k < 0 || k >= c.keyframeCount()) {
            throw new AnnotationException("clip '" + clipId + "' has no keyframe " + k);
        }
        SoundingObject o = object(p, clipId, objectId);
        ObjectFrame old = o.frame(k);
        ObjectFrame f = m == null ? null
                : old == null ? ObjectFrame.human(m, SoundFlag.UNKNOWN) : old.withMask(m, Provenance.HUMAN);
        return p.withClip(c.withObject(o.withFrame(k, f)));
    }

    /** The result of a brush stroke (already composed on screen) as one step. */
    public static EditCommand stroke(String clipId, String objectId, int k, Mask result, boolean erase) {
        return EditCommand.of(erase ? "Erase" : "Brush stroke", p -> withMask(p, clipId, objectId, k, result));
    }

    /** Adds a filled polygon (media pixel coordinates) to the object. */
    public static EditCommand polygon(String clipId, String objectId, int k, double[] xy, boolean keepDisjoint) {
        return EditCommand.of("Polygon", p -> {
            Clip c = p.requireClip(clipId);
            SoundingObject o = object(p, clipId, objectId);
            Mask add = MaskOps.polygon(c.width(), c.height(), xy);
            if (keepDisjoint) {
                add = add.difference(others(c, objectId, k));
            }
            return withMask(p, clipId, objectId, k, maskOrEmpty(c, o, k).union(add));
        });
    }

    /** Fills the enclosed hole of the object around (x, y); refuses regions that reach the frame edge. */
    public static EditCommand fillHole(String clipId, String objectId, int k, int x, int y, boolean keepDisjoint) {
        return EditCommand.of("Flood fill", p -> {
            Clip c = p.requireClip(clipId);
            SoundingObject o = object(p, clipId, objectId);
            Mask m = maskOrEmpty(c, o, k);
            if (m.get(x, y)) {
                return p;
            }
            Mask added = MaskOps.floodFill(m, x, y, true).difference(m);
            int[] bb = added.bounds();
            if (bb == null || bb[0] == 0 || bb[1] == 0 || bb[2] == c.width() - 1 || bb[3] == c.height() - 1) {
                throw new AnnotationException("the region is not enclosed by the object; nothing filled");
            }
            if (keepDisjoint) {
                added = added.difference(others(c, objectId, k));
            }
            return withMask(p, clipId, objectId, k, m.union(added));
        });
    }

    /** Grows (n &gt; 0) or shrinks (n &lt; 0) the mask by |n| pixels (8-connected steps). */
    public static EditCommand grow(String clipId, String objectId, int k, int n, boolean keepDisjoint) {
        return EditCommand.of(n >= 0 ? "Grow mask" : "Shrink mask", p -> {
            Clip c = p.requireClip(clipId);
            SoundingObject o = object(p, clipId, objectId);
            if (o.frame(k) == null) {
                throw new AnnotationException("object '" + objectId + "' has no mask at this keyframe");
            }
            Mask m = morph(o.frame(k).mask(), n);
            if (n > 0 && keepDisjoint) {
                m = m.difference(others(c, objectId, k)).union(o.frame(k).mask());
            }
            return withMask(p, clipId, objectId, k, m);
        });
    }

    static Mask morph(Mask m, int n) {
        int w = m.width();
        int h = m.height();
        byte[] a = m.toBytes();
        byte[] b = new byte[a.length];
        boolean grow = n > 0;
        for (int step = 0; step < Math.abs(n); step++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int p = y * w + x;
                    // dilation: any neighbour on; erosion: all neighbours on (outside the frame counts as off)
                    boolean acc = !grow;
                    for (int dy = -1; dy <= 1 && acc != grow; dy++) {
                        for (int dx = -1; dx <= 1; dx++) {
                            int xx = x + dx;
                            int yy = y + dy;
                            boolean v = xx >= 0 && yy >= 0 && xx < w && yy < h && a[yy * w + xx] != 0;
                            if (v == grow) {
                                acc = grow;
                                break;
                            }
                        }
                    }
                    b[p] = (byte) (acc ? 1 : 0);
                }
            }
            byte[] t = a;
            a = b;
            b = t;
        }
        return Mask.fromBitmap(a, w, h);
    }

    /** Removes the object's entry at this keyframe (mask and flag). */
    public static EditCommand clear(String clipId, String objectId, int k) {
        return EditCommand.of("Clear mask", p -> withMask(p, clipId, objectId, k, null));
    }

    /** Copies the object's mask (as a human mask, keeping this keyframe's flag) from keyframe {@code from}. */
    public static EditCommand copyFrom(String clipId, String objectId, int from, int k) {
        return propagate(clipId, objectId, from, k, k, from < k ? "Copy mask from previous keyframe" : "Copy mask from next keyframe");
    }

    /** Copies the mask of keyframe {@code from} onto every keyframe of [k0, k1] in one step. */
    public static EditCommand propagate(String clipId, String objectId, int from, int k0, int k1, String description) {
        return EditCommand.of(description, p -> {
            SoundingObject o = object(p, clipId, objectId);
            ObjectFrame src = o.frame(from);
            if (src == null) {
                throw new AnnotationException("object '" + objectId + "' has no mask at keyframe " + from);
            }
            Project q = p;
            for (int k = Math.min(k0, k1); k <= Math.max(k0, k1); k++) {
                if (k != from) {
                    q = withMask(q, clipId, objectId, k, src.mask());
                }
            }
            return q;
        });
    }

    /** Sets a sound flag; a keyframe without an entry gets one with an empty mask. */
    public static EditCommand setSound(String clipId, String objectId, int k, SoundFlag flag) {
        return EditCommand.of("Mark " + flag.name().toLowerCase(java.util.Locale.ROOT), p -> {
            Clip c = p.requireClip(clipId);
            if (k < 0 || k >= c.keyframeCount()) {
                throw new AnnotationException("clip '" + clipId + "' has no keyframe " + k);
            }
            SoundingObject o = object(p, clipId, objectId);
            ObjectFrame f = o.frame(k);
            ObjectFrame nf = f == null ? ObjectFrame.human(Mask.empty(c.width(), c.height()), flag) : f.withSound(flag);
            return p.withClip(c.withObject(o.withFrame(k, nf)));
        });
    }

    /** S: sounding ⇄ silent (unknown becomes sounding). */
    public static SoundFlag toggled(SoundFlag f) {
        return f == SoundFlag.SOUNDING ? SoundFlag.SILENT : SoundFlag.SOUNDING;
    }

    /** Adds a class for {@code label} when the vocabulary lacks it. */
    static Project ensureClass(Project p, String label) {
        String name = label.strip();
        if (name.isEmpty()) {
            throw new AnnotationException("a label must not be empty");
        }
        if (p.vocabulary().contains(name)) {
            return p;
        }
        int rgb = NEW_CLASS_COLORS[p.vocabulary().size() % NEW_CLASS_COLORS.length];
        return p.withVocabulary(p.vocabulary().with(VocabularyEntry.of(name, rgb)));
    }

    /** Relabels an object; a name not in the vocabulary is added to it in the same step. */
    public static EditCommand relabel(String clipId, String objectId, String label) {
        return EditCommand.of("Relabel object", p -> {
            Project q = ensureClass(p, label);
            Clip c = q.requireClip(clipId);
            return q.withClip(c.withObject(object(q, clipId, objectId).withLabel(label.strip())));
        });
    }

    /** A new object with a fresh id, drawn on top of the others. */
    public static EditCommand newObject(String clipId, String objectId, String label) {
        return EditCommand.of("New object", p -> {
            Project q = ensureClass(p, label);
            Clip c = q.requireClip(clipId);
            if (c.object(objectId).isPresent()) {
                throw new AnnotationException("object '" + objectId + "' already exists");
            }
            int z = c.objects().stream().mapToInt(SoundingObject::zOrder).max().orElse(-1) + 1;
            return q.withClip(c.withObject(SoundingObject.of(objectId, label.strip()).withZOrder(z)));
        });
    }

    /**
     * Merges object {@code from} into {@code into}: on every keyframe the masks are united (a
     * human result), the flag is sounding when either was, else silent when either was; then
     * {@code from} is deleted. One undoable step.
     */
    public static EditCommand merge(String clipId, String from, String into) {
        return EditCommand.of("Merge objects", p -> {
            if (from.equals(into)) {
                throw new AnnotationException("an object cannot be merged into itself");
            }
            Clip c = p.requireClip(clipId);
            SoundingObject a = object(p, clipId, from);
            SoundingObject b = object(p, clipId, into);
            SoundingObject out = b;
            for (var e : a.frames().entrySet()) {
                int k = e.getKey();
                ObjectFrame fa = e.getValue();
                ObjectFrame fb = b.frame(k);
                if (fb == null) {
                    out = out.withFrame(k, ObjectFrame.human(fa.mask(), fa.sound()));
                    continue;
                }
                SoundFlag flag = fa.sound() == SoundFlag.SOUNDING || fb.sound() == SoundFlag.SOUNDING ? SoundFlag.SOUNDING
                        : fa.sound() == SoundFlag.SILENT || fb.sound() == SoundFlag.SILENT ? SoundFlag.SILENT
                        : SoundFlag.UNKNOWN;
                out = out.withFrame(k, ObjectFrame.human(fb.mask().union(fa.mask()), flag));
            }
            return p.withClip(c.withoutObject(from).withObject(out));
        });
    }

    public static EditCommand delete(String clipId, String objectId) {
        return EditCommand.of("Delete object", p -> {
            object(p, clipId, objectId);
            return p.withClip(p.requireClip(clipId).withoutObject(objectId));
        });
    }

    /** Accepts model predictions (provenance becomes HUMAN) of one object, or of all objects when objectId is null, at keyframe k (or all keyframes when k &lt; 0). */
    public static EditCommand accept(String clipId, String objectId, int k) {
        return review(clipId, objectId, k, true);
    }

    /** Rejects model predictions: removes the MODEL entries selected as in {@link #accept}. */
    public static EditCommand reject(String clipId, String objectId, int k) {
        return review(clipId, objectId, k, false);
    }

    private static EditCommand review(String clipId, String objectId, int k, boolean accept) {
        return EditCommand.of(accept ? "Accept prediction" : "Reject prediction", p -> {
            Clip c = p.requireClip(clipId);
            List<SoundingObject> targets = new ArrayList<>();
            if (objectId == null) {
                targets.addAll(c.objects());
            } else {
                targets.add(object(p, clipId, objectId));
            }
            for (SoundingObject o : targets) {
                SoundingObject n = o;
                for (var e : o.frames().entrySet()) {
                    if ((k < 0 || e.getKey() == k) && e.getValue().provenance() == Provenance.MODEL) {
                        ObjectFrame f = e.getValue();
                        n = n.withFrame(e.getKey(), accept ? new ObjectFrame(f.mask(), f.sound(), Provenance.HUMAN, 1.0) : null);
                    }
                }
                c = c.withObject(n);
            }
            return p.withClip(c);
        });
    }

    /** Colour used to draw an object (for lists and lanes), as the overlay draws it. */
    public static int colorOf(Project p, SoundingObject o) {
        return MaskOverlay.colorOf(p, o.label());
    }
}
