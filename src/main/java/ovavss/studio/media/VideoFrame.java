package ovavss.studio.media;

/**
 * One decoded video frame.
 *
 * @param index 0-based frame index in presentation order
 * @param ptsMicros presentation time in microseconds from the stream start (0 = first frame)
 * @param width pixels
 * @param height pixels
 * @param argb packed 0xAARRGGBB pixels, row-major, length width × height
 */
public record VideoFrame(int index, long ptsMicros, int width, int height, int[] argb) {
}
