/**
 * The analysis panel: running the model on the open media with progress and Cancel, the objects
 * found, and the vocabulary editor that relabels live.
 */
package ovavss.studio.ui.analysis;
