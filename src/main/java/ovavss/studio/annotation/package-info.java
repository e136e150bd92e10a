/**
 * The domain: projects, clips and their keyframe times, sounding objects with compact RLE masks and
 * per-keyframe sound flags, the vocabulary and its one name rule, edit commands with undo, review
 * diffs, and the project folder (Jackson DTOs with a schema version, atomic saves with a backup,
 * autosave). Plain Java over the ground packages; no media, model or UI.
 */
package ovavss.studio.annotation;
