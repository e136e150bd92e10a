/**
 * Correcting annotations: the mask editor on the overlay (brush, eraser, polygon, fill,
 * grow/shrink), its toolbar, the zoomable view and the glue that places the editing parts in the
 * window. Edits themselves are the commands of {@code annotation}.
 */
package ovavss.studio.ui.edit;
