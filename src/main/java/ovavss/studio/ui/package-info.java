/**
 * The window: the composition root ({@link ovavss.studio.ui.StudioApp}, which owns every worker
 * thread through {@code WindowExecutors}), the main view, the player, the time axis panes
 * (ruler, waveform, spectrogram) and the status bar. JavaFX only; work happens in {@code app}.
 */
package ovavss.studio.ui;
