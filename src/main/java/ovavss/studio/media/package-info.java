/**
 * Decoding behind our own types: FFmpeg (JavaCV) files and AVSBench clip folders as a
 * {@link ovavss.studio.media.MediaSource} with frames as ARGB {@code int[]}, PTS-based frame
 * indices, exact seeking and audio as a {@link ovavss.studio.pcm.PcmSource}; generated test clips.
 * The only package that touches {@code org.bytedeco}.
 */
package ovavss.studio.media;
