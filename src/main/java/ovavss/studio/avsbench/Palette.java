package ovavss.studio.avsbench;

import java.util.HashMap;
import java.util.Map;

/**
 * The AVSBench-semantic colour palette (AVSBench {@code get_v2_pallete}, VOC-style bit
 * interleaving): bit 3i, 3i+1, 3i+2 of the class index become bit 7-i of R, G and B. Index 0 is
 * black (background). The same rule extends past 70 for extra classes and any dataset-specific
 * {@code label2idx.json}.
 */
public final class Palette {
    private Palette() {
    }

    /** The colour of class {@code index} as 0xRRGGBB. */
    public static int rgb(int index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative class index " + index);
        }
        int r = 0;
        int g = 0;
        int b = 0;
        int lab = index;
        int i = 0;
        while (lab > 0) {
            r |= (lab & 1) << (7 - i);
            g |= ((lab >> 1) & 1) << (7 - i);
            b |= ((lab >> 2) & 1) << (7 - i);
            i++;
            lab >>= 3;
        }
        return (r << 16) | (g << 8) | b;
    }

    /** Colours of classes {@code 0..count-1}. */
    public static int[] colours(int count) {
        int[] c = new int[count];
        for (int i = 0; i < count; i++) {
            c[i] = rgb(i);
        }
        return c;
    }

    /**
     * Decodes colour masks the way the official {@code color_mask_to_label} does for a palette of
     * {@code classCount} entries: exact RGB matches only, anything else becomes background (0).
     */
    public static final class Decoder {
        private final Map<Integer, Integer> byColour = new HashMap<>();

        public Decoder(int classCount) {
            if (classCount > 512) {
                // colours repeat past 512 classes (9 bits per channel would be needed)
                throw new AvsbenchException("palette supports at most 512 classes, got " + classCount);
            }
            for (int i = classCount - 1; i >= 0; i--) {
                byColour.put(rgb(i), i);
            }
        }

        /**
         * Converts 0xRRGGBB pixels to class indices in place-of-output {@code labels}.
         *
         * @return how many pixels had a colour outside the palette (mapped to background)
         */
        public int decode(int[] rgbPixels, int[] labels) {
            int unknown = 0;
            int lastColour = -1;
            int lastLabel = 0;
            for (int i = 0; i < rgbPixels.length; i++) {
                int c = rgbPixels[i] & 0xFFFFFF;
                if (c != lastColour) {
                    Integer l = byColour.get(c);
                    lastColour = c;
                    lastLabel = l == null ? -1 : l;
                }
                if (lastLabel < 0) {
                    unknown++;
                    labels[i] = 0;
                } else {
                    labels[i] = lastLabel;
                }
            }
            return unknown;
        }
    }
}
