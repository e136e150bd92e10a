/**
 * Audio DSP over {@link ovavss.studio.pcm.PcmSource}: plain Java plus JTransforms, samples always in
 * primitive arrays.
 *
 * <ul>
 *   <li>Waveform: {@link ovavss.studio.audio.WaveformPeaks} (exact min/max per column from a peak pyramid).</li>
 *   <li>Spectrogram: {@link ovavss.studio.audio.SpectrogramSettings} (window {@link ovavss.studio.audio.WindowFunction},
 *       axis {@link ovavss.studio.audio.FrequencyScale}, dB range, {@link ovavss.studio.audio.ColorMap}),
 *       {@link ovavss.studio.audio.Spectrogram} (the column/row definition),
 *       {@link ovavss.studio.audio.SpectrogramTiles} (background tiles, LRU cache, listeners, completion)
 *       producing {@link ovavss.studio.audio.SpectrogramTile}s, and {@link ovavss.studio.audio.FrequencyRuler}.</li>
 *   <li>Model input: {@link ovavss.studio.audio.VggishLogMel} (OVAVSS.md §4) with
 *       {@link ovavss.studio.audio.Resampler}, {@link ovavss.studio.audio.Stft} and
 *       {@link ovavss.studio.audio.MelFilterbank}.</li>
 *   <li>Files: {@link ovavss.studio.audio.AudioFiles} (WAV via javax.sound), {@link ovavss.studio.audio.PcmBuffer}
 *       (in-memory source), {@link ovavss.studio.audio.NpyIo} (.npy arrays).</li>
 * </ul>
 *
 * <p>Numeric parity with numpy is checked against golden vectors written by
 * {@code models/golden/dsp_golden.py}.
 */
package ovavss.studio.audio;
