/**
 * The mask overlay on the video: the compositor that turns masks into a label map and pixels
 * (dirty rectangles only), and the overlay node with hover and selection.
 */
package ovavss.studio.ui.overlay;
