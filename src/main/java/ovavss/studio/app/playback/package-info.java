/**
 * Playing media in the window: a decode thread per open media, the master clock driven by the
 * audio device (or the wall clock), audio output through {@code javax.sound}.
 */
package ovavss.studio.app.playback;
