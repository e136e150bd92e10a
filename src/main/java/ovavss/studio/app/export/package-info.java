/**
 * The export use case: a project as an AVSBench tree (semantic, S4 or MS3), frames and audio decoded
 * from each clip's media on one decode thread, built beside the destination and moved into place.
 * The window and the {@code export} command both call {@link ovavss.studio.app.export.ProjectExport}.
 */
package ovavss.studio.app.export;
