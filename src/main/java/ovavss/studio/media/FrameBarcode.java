package ovavss.studio.media;

import java.awt.Color;
import java.awt.Graphics2D;

/**
 * A frame number drawn as a row of black/white cells across the top of a generated frame, so
 * tests and benchmarks can read back which frame a decoder returned even after lossy
 * compression. {@value #DATA_BITS} data bits (most significant first) plus one even-parity cell;
 * cells are large (width / {@value #CELLS}, height / 20) so H.264/MPEG-4 at modest bitrates keep
 * them readable.
 */
public final class FrameBarcode {
    /** Data bits: enough for an hour at 120 fps. */
    public static final int DATA_BITS = 20;
    /** Data cells plus the parity cell. */
    public static final int CELLS = DATA_BITS + 1;

    private FrameBarcode() { }

    /** Height in pixels of the barcode band at the top of a {@code height}-pixel frame. */
    public static int bandHeight(int height) {
        return Math.max(8, height / 20);
    }

    /** Draws {@code index} into the top band of a {@code width × height} image. */
    public static void draw(Graphics2D g, int width, int height, int index) {
        if (index < 0 || index >= (1 << DATA_BITS)) {
            throw new IllegalArgumentException("frame index out of barcode range: " + index);
        }
        int cellW = width / CELLS;
        int band = bandHeight(height);
        g.setColor(Color.GRAY);
        g.fillRect(0, 0, width, band);
        int parity = Integer.bitCount(index) & 1;
        for (int i = 0; i < CELLS; i++) {
            boolean one = i < DATA_BITS ? ((index >>> (DATA_BITS - 1 - i)) & 1) == 1 : parity == 1;
            g.setColor(one ? Color.WHITE : Color.BLACK);
            g.fillRect(i * cellW, 0, cellW, band);
        }
    }

    /**
     * Reads the frame number back from decoded pixels.
     *
     * @return the index, or -1 when the parity cell disagrees (not a barcoded frame, or damaged)
     */
    public static int read(VideoFrame frame) {
        int w = frame.width();
        int cellW = w / CELLS;
        int band = bandHeight(frame.height());
        int value = 0;
        int ones = 0;
        boolean parity = false;
        for (int i = 0; i < CELLS; i++) {
            // Average the middle half of the cell: block edges are where compression smears.
            double sum = 0;
            int n = 0;
            for (int y = band / 4; y < band - band / 4; y++) {
                for (int x = i * cellW + cellW / 4; x < (i + 1) * cellW - cellW / 4; x++) {
                    int p = frame.argb()[y * w + x];
                    sum += ((p >> 16) & 0xFF) * 0.299 + ((p >> 8) & 0xFF) * 0.587 + (p & 0xFF) * 0.114;
                    n++;
                }
            }
            boolean one = n > 0 && sum / n > 128;
            if (i < DATA_BITS) {
                value = (value << 1) | (one ? 1 : 0);
                ones += one ? 1 : 0;
            } else {
                parity = one;
            }
        }
        return ((ones & 1) == 1) == parity ? value : -1;
    }
}
