package ovavss.studio.annotation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The edits of the annotation editor, each one {@link EditCommand} (one Ctrl+Z undoes it whole).
 * The window, its toolbar, the sound lanes and the tests all edit through this one catalogue.
 *
 * <p>The rules, the same from every entry point:
 * <ul>
 *   <li><b>Steps.</b> A command that does not apply (unknown clip, object or keyframe, a mask of
 *       the wrong size, a blank name) throws {@link AnnotationException} and changes nothing; a
 *       command that would change nothing returns the project it was given, so no empty undo
 *       step is recorded.</li>
 *   <li><b>Class names.</b> A name typed for an object (relabel, new object) is spelled by
 *       {@link LabelNames#normalise} and means the class {@link Vocabulary#resolve} finds for it,
 *       so "Red Circle", "red_circle" and " red  circle " are one class. A name the vocabulary
 *       lacks is added to it, in its normal form and the next colour of the Okabe–Ito palette, in
 *       the same undoable step as the relabel.</li>
 *   <li><b>Keyframe entries.</b> Painting (stroke, polygon, fill, grow, copy, propagate) makes
 *       a human mask; a keyframe that had no entry starts {@link SoundFlag#UNKNOWN}, one that had
 *       keeps its sound flag. {@link #clearMask} removes the entry: mask and flag.</li>
 *   <li><b>Sound flags.</b> {@link #setSound} on a keyframe where the object has no mask creates
 *       an entry with an empty human mask, so the flag is kept (an object can be heard before it
 *       is drawn). A silent object keeps its mask.</li>
 * </ul>
 */
public final class Edits {
    /** Okabe–Ito order, for classes created by typing a new name. */
    private static final int[] NEW_CLASS_COLORS = {0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7, 0x999999};

    private Edits() {
    }

    // ------------------------------------------------------------------ classes and objects

    /**
     * Adds the class {@code name} means when the vocabulary has none (see the class rules);
     * nothing changes when it has one.
     */
    public static EditCommand addClass(String name) {
        return EditCommand.of("Add class " + LabelNames.normalise(name), p -> withClass(p, name));
    }

    /**
     * Adds {@code entry} as a new class (the vocabulary editor: the caller picks its colour and
     * base/novel tag). Refused when the vocabulary has the name up to spelling or it is blank.
     */
    public static EditCommand addClass(VocabularyEntry entry) {
        String name = LabelNames.normalise(entry.name());
        return EditCommand.of("Add class " + name, p -> {
            Vocabulary v = p.vocabulary();
            checkNewName(v, name, null);
            return p.withVocabulary(v.with(new VocabularyEntry(name, entry.rgb(), entry.classIndex(), entry.split(),
                    entry.synonyms())));
        });
    }

    /**
     * Renames a class to {@code newName} (spelled by {@link LabelNames}), keeping its colour and
     * index and taking the tag {@code split}; the new name is what the model is asked from now on
     * (the synonyms, which may hold an older prompt, are dropped). Objects a person labelled follow the class;
     * objects only the model found keep their label, for the next relabel to name them. Refused
     * when the new name is blank or another class has it; renaming to the same name changes nothing.
     */
    public static EditCommand renameClass(String oldName, String newName, ClassSplit split) {
        String name = LabelNames.normalise(newName);
        return EditCommand.of("Rename class " + oldName + " \u2192 " + name, p -> {
            Vocabulary v = p.vocabulary();
            VocabularyEntry old = v.get(oldName).orElseThrow(() -> new AnnotationException("no class '" + oldName + "'"));
            if (name.equals(oldName)) {
                return p;
            }
            checkNewName(v, name, oldName);
            List<VocabularyEntry> list = new ArrayList<>();
            for (VocabularyEntry e : v.entries()) {
                list.add(e.name().equals(oldName)
                        ? new VocabularyEntry(name, old.rgb(), old.classIndex(), split, List.of()) : e);
            }
            Project q = p.withVocabulary(new Vocabulary(list, v.labelSpace()));
            for (Clip c : q.clips()) {
                Clip nc = c;
                for (SoundingObject o : c.objects()) {
                    if (o.label().equals(oldName) && !o.isModelOnly()) {
                        nc = nc.withObject(o.withLabel(name));
                    }
                }
                q = q.withClip(nc);
            }
            return q;
        });
    }

    /**
     * Renames a class and keeps every object of it, the model's too: the entry takes the new
     * name and keeps asking the model with its old prompt ({@link VocabularyEntry#prompt}), so
     * nothing is re-scored. (Compare {@link #renameClass}, which changes what the model is asked.)
     */
    public static EditCommand renameClassKeepingObjects(String oldName, String newName) {
        String name = LabelNames.normalise(newName == null ? "" : newName);
        return EditCommand.of("Rename " + oldName + " to " + name, p -> {
            VocabularyEntry old = p.vocabulary().get(oldName).orElseThrow(
                    () -> new AnnotationException("'" + oldName + "' is not in the vocabulary"));
            if (name.equals(oldName)) {
                return p;
            }
            checkNewName(p.vocabulary(), name, oldName);
            java.util.List<String> synonyms = new java.util.ArrayList<>();
            synonyms.add(old.prompt());
            for (String s : old.synonyms()) {
                if (!synonyms.contains(s)) {
                    synonyms.add(s);
                }
            }
            java.util.List<VocabularyEntry> entries = new java.util.ArrayList<>();
            for (VocabularyEntry e : p.vocabulary().entries()) {
                entries.add(e.name().equals(oldName)
                        ? new VocabularyEntry(name, e.rgb(), e.classIndex(), e.split(), synonyms) : e);
            }
            Project q = p.withVocabulary(new Vocabulary(entries, p.vocabulary().labelSpace()));
            for (Clip c : q.clips()) {
                Clip nc = c;
                for (SoundingObject o : c.objects()) {
                    if (o.label().equals(oldName)) {
                        nc = nc.withObject(o.withLabel(name));
                    }
                }
                q = q.withClip(nc);
            }
            return q;
        });
    }

    /** Removes a class from the vocabulary (objects keep their label; the model's are relabelled next). */
    public static EditCommand removeClass(String name) {
        return EditCommand.of("Remove class " + name, p -> {
            Vocabulary v = p.vocabulary();
            if (!v.contains(name)) {
                throw new AnnotationException("no class '" + name + "'");
            }
            return p.withVocabulary(v.without(name));
        });
    }

    /** Sets a class colour (0xRRGGBB). */
    public static EditCommand setClassColour(String name, int rgb) {
        return EditCommand.of("Colour of " + name, p -> {
            VocabularyEntry e = p.vocabulary().get(name).orElseThrow(() -> new AnnotationException("no class '" + name + "'"));
            return e.rgb() == rgb ? p : p.withVocabulary(p.vocabulary().with(
                    new VocabularyEntry(name, rgb, e.classIndex(), e.split(), e.synonyms())));
        });
    }

    /** Sets the base/novel tag of a class. */
    public static EditCommand setClassSplit(String name, ClassSplit split) {
        return EditCommand.of("Tag " + name, p -> {
            VocabularyEntry e = p.vocabulary().get(name).orElseThrow(() -> new AnnotationException("no class '" + name + "'"));
            return e.split() == split ? p : p.withVocabulary(p.vocabulary().with(
                    new VocabularyEntry(name, e.rgb(), e.classIndex(), split, e.synonyms())));
        });
    }

    /** Refuses a blank name or one another class (other than {@code except}) spells the same. */
    private static void checkNewName(Vocabulary v, String name, String except) {
        if (name.isEmpty()) {
            throw new AnnotationException("a class name cannot be blank");
        }
        boolean taken = v.entries().stream().anyMatch(e -> !e.name().equals(except) && LabelNames.same(e.name(), name));
        if (taken) {
            throw new AnnotationException("'" + name + "' is already in the vocabulary");
        }
    }

    /**
     * Relabels an object to the class {@code name} means, adding the class when it is new (one
     * step); relabelling to the label it has changes nothing.
     */
    public static EditCommand relabel(String clipId, String objectId, String name) {
        return EditCommand.of("Relabel object", p -> {
            SoundingObject o = object(p, clipId, objectId);
            Project q = withClass(p, name);
            String label = className(q, name);
            if (label.equals(o.label())) {
                return p;
            }
            return q.withClip(q.requireClip(clipId).withObject(o.withLabel(label)));
        });
    }

    /** A new object {@code objectId} of the class {@code name} means (added when new), drawn on top of the others. */
    public static EditCommand newObject(String clipId, String objectId, String name) {
        return EditCommand.of("New object", p -> {
            Clip c = p.requireClip(clipId);
            if (c.object(objectId).isPresent()) {
                throw new AnnotationException("clip '" + clipId + "' already has an object '" + objectId + "'");
            }
            Project q = withClass(p, name);
            int z = c.objects().stream().mapToInt(SoundingObject::zOrder).max().orElse(-1) + 1;
            return q.withClip(c.withObject(SoundingObject.of(objectId, className(q, name)).withZOrder(z)));
        });
    }

    public static EditCommand deleteObject(String clipId, String objectId) {
        return EditCommand.of("Delete object", p -> {
            object(p, clipId, objectId);
            return p.withClip(p.requireClip(clipId).withoutObject(objectId));
        });
    }

    /**
     * Merges object {@code from} into {@code into}: on every keyframe the masks are united (a
     * human result), the flag is sounding when either was, else silent when either was; then
     * {@code from} is deleted.
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

    // ------------------------------------------------------------------ masks

    /**
     * Sets an object's mask at a keyframe with the given provenance; a new entry starts
     * {@link SoundFlag#UNKNOWN}, an existing one keeps its flag. {@code mask == null} removes the
     * entry.
     */
    public static EditCommand setMask(String clipId, String objectId, int k, Mask mask, Provenance provenance) {
        return EditCommand.of(provenance == Provenance.HUMAN ? "Edit mask" : "Apply prediction",
                p -> withMask(p, clipId, objectId, k, mask, provenance));
    }

    /** The result of a brush or eraser stroke (already composed on screen) as one step. */
    public static EditCommand stroke(String clipId, String objectId, int k, Mask result, boolean erase) {
        return EditCommand.of(erase ? "Erase" : "Brush stroke", p -> withMask(p, clipId, objectId, k, result, Provenance.HUMAN));
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
            return withMask(p, clipId, objectId, k, maskOrEmpty(c, o, k).union(add), Provenance.HUMAN);
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
            return withMask(p, clipId, objectId, k, m.union(added), Provenance.HUMAN);
        });
    }

    /** Grows (n &gt; 0) or shrinks (n &lt; 0) the object's mask by |n| pixels ({@link MaskOps#grow}). */
    public static EditCommand grow(String clipId, String objectId, int k, int n, boolean keepDisjoint) {
        return EditCommand.of(n >= 0 ? "Grow mask" : "Shrink mask", p -> {
            Clip c = p.requireClip(clipId);
            ObjectFrame f = object(p, clipId, objectId).frame(k);
            if (f == null) {
                throw new AnnotationException("object '" + objectId + "' has no mask at this keyframe");
            }
            Mask m = MaskOps.grow(f.mask(), n);
            if (n > 0 && keepDisjoint) {
                m = m.difference(others(c, objectId, k)).union(f.mask());
            }
            return withMask(p, clipId, objectId, k, m, Provenance.HUMAN);
        });
    }

    /** Removes the object's entry at this keyframe: mask and sound flag. */
    public static EditCommand clearMask(String clipId, String objectId, int k) {
        return EditCommand.of("Clear mask", p -> withMask(p, clipId, objectId, k, null, Provenance.HUMAN));
    }

    /** Copies the object's mask (as a human mask, keeping this keyframe's flag) from keyframe {@code from}. */
    public static EditCommand copyFrom(String clipId, String objectId, int from, int k) {
        return propagate(clipId, objectId, from, k, k, from < k ? "Copy mask from previous keyframe" : "Copy mask from next keyframe");
    }

    /** Copies the mask of keyframe {@code from} onto every keyframe of [k0, k1] (each keeps its flag). */
    public static EditCommand propagate(String clipId, String objectId, int from, int k0, int k1, String description) {
        return EditCommand.of(description, p -> {
            ObjectFrame src = object(p, clipId, objectId).frame(from);
            if (src == null) {
                throw new AnnotationException("object '" + objectId + "' has no mask at keyframe " + from);
            }
            Project q = p;
            for (int k = Math.min(k0, k1); k <= Math.max(k0, k1); k++) {
                if (k != from) {
                    q = withMask(q, clipId, objectId, k, src.mask(), Provenance.HUMAN);
                }
            }
            return q;
        });
    }

    // ------------------------------------------------------------------ sound and review

    /**
     * Sets the object's sound flag at keyframe {@code k}. Where the object has no mask there, an
     * entry with an empty human mask is created so the flag is kept.
     */
    public static EditCommand setSound(String clipId, String objectId, int k, SoundFlag flag) {
        return EditCommand.of("Mark " + flag.name().toLowerCase(Locale.ROOT), p -> {
            Clip c = p.requireClip(clipId);
            requireKeyframe(c, k);
            SoundingObject o = object(p, clipId, objectId);
            ObjectFrame f = o.frame(k);
            if (f != null && f.sound() == flag) {
                return p;
            }
            ObjectFrame nf = f == null ? ObjectFrame.human(Mask.empty(c.width(), c.height()), flag) : f.withSound(flag);
            return p.withClip(c.withObject(o.withFrame(k, nf)));
        });
    }

    /**
     * Accepts model predictions (provenance becomes HUMAN) of one object, or of all objects when
     * {@code objectId} is null, at keyframe {@code k} (or all keyframes when k &lt; 0).
     */
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
                        n = n.withFrame(e.getKey(), accept ? ObjectFrame.human(f.mask(), f.sound()) : null);
                    }
                }
                c = c.withObject(n);
            }
            return p.withClip(c);
        });
    }

    // ------------------------------------------------------------------ helpers

    private static SoundingObject object(Project p, String clipId, String objectId) {
        Clip c = p.requireClip(clipId);
        return c.object(objectId).orElseThrow(() ->
                new AnnotationException("no object '" + objectId + "' in clip '" + clipId + "'"));
    }

    private static void requireKeyframe(Clip c, int k) {
        if (k < 0 || k >= c.keyframeCount()) {
            throw new AnnotationException("clip '" + c.id() + "' has no keyframe " + k);
        }
    }

    private static Mask maskOrEmpty(Clip c, SoundingObject o, int k) {
        ObjectFrame f = o.frame(k);
        return f == null ? Mask.empty(c.width(), c.height()) : f.mask();
    }

    /** Union of every other object's mask at keyframe {@code k}. */
    private static Mask others(Clip c, String objectId, int k) {
        Mask u = Mask.empty(c.width(), c.height());
        for (SoundingObject o : c.objects()) {
            ObjectFrame f = o.frame(k);
            if (!o.id().equals(objectId) && f != null) {
                u = u.union(f.mask());
            }
        }
        return u;
    }

    private static Project withMask(Project p, String clipId, String objectId, int k, Mask m, Provenance provenance) {
        Clip c = p.requireClip(clipId);
        requireKeyframe(c, k);
        SoundingObject o = object(p, clipId, objectId);
        ObjectFrame old = o.frame(k);
        ObjectFrame f = m == null ? null
                : old == null ? new ObjectFrame(m, SoundFlag.UNKNOWN, provenance, 1.0) : old.withMask(m, provenance);
        return p.withClip(c.withObject(o.withFrame(k, f)));
    }

    /** The project with a class for {@code name} (see the class rules). */
    private static Project withClass(Project p, String name) {
        String normal = LabelNames.normalise(name);
        if (normal.isEmpty()) {
            throw new AnnotationException("a class name must not be blank");
        }
        if (p.vocabulary().resolve(name).isPresent()) {
            return p;
        }
        int rgb = NEW_CLASS_COLORS[p.vocabulary().size() % NEW_CLASS_COLORS.length];
        return p.withVocabulary(p.vocabulary().with(VocabularyEntry.of(normal, rgb)));
    }

    /** The vocabulary name {@code name} resolves to in {@code p} (which has it: see {@link #withClass}). */
    private static String className(Project p, String name) {
        return p.vocabulary().resolve(name).orElseThrow().name();
    }
}
