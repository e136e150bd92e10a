/**
 * Reviewing: the keyframe list with status and filters, and the review panel comparing human
 * masks with the model (per-class IoU and F, worst frames).
 */
package ovavss.studio.ui.review;
