package ovavss.studio.model;

import ovavss.studio.pcm.PcmSource;

/**
 * What the inference service reads from a clip: keyframes (one per audio example, keyframe k ↔
 * VGGish example k) and the audio. Implementations are opened, used and closed on the service's
 * decode thread only.
 */
public interface KeyframeSource extends AutoCloseable {
    /** Number of keyframes to analyse. */
    int keyframeCount();

    /** Source frame width (all keyframes share it). */
    int width();

    /** Source frame height. */
    int height();

    /** Keyframe {@code k} as packed ARGB, width × height. */
    int[] keyframe(int k) throws Exception;

    /** The audio, or {@code null} for a silent clip (then every log-mel example is zero). */
    PcmSource audio();

    @Override
    void close();

    /** Opens a source; called on the decode thread so native decoders stay on one thread. */
    @FunctionalInterface
    interface Opener {
        KeyframeSource open() throws Exception;
    }
}
