/**
 * Sound lanes: one lane per object under the spectrogram, a cell per keyframe showing and setting
 * its sound flag, with the model sound score and audio onset suggestions.
 */
package ovavss.studio.ui.lanes;
