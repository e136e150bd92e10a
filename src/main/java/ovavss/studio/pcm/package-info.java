/**
 * Ground package: {@link ovavss.studio.pcm.PcmSource}, random access to decoded audio, the one
 * contract between the decoders in {@code media} (which produce it) and the DSP in {@code audio}
 * (which reads it). Depends on the JDK only.
 */
package ovavss.studio.pcm;
