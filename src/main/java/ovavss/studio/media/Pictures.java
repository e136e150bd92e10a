package ovavss.studio.media;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Still pictures (AVSBench frame JPEGs) read the way the reference tools read them: PIL's
 * {@code convert('RGB')} after detectron2's {@code read_image} has applied the EXIF orientation.
 * So a grey JPEG keeps its values (PIL reads grey 128 as (128, 128, 128); {@code
 * BufferedImage.getRGB} would pass it through a linear-to-sRGB curve and give 188), a palette image
 * gives its palette colours, alpha is dropped, and a photo taken on its side is turned upright.
 */
public final class Pictures {
    private Pictures() {
    }

    /** A picture as packed 0xFFRRGGBB pixels, upright. */
    public record Rgb(int width, int height, int[] argb) {
    }

    /**
     * Reads {@code file} (any format ImageIO decodes); null when ImageIO cannot (CMYK JPEG and the
     * like: the caller decodes those with FFmpeg).
     */
    public static Rgb read(Path file) throws IOException {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException e) {
            return null;
        }
        if (img == null) {
            return null;
        }
        Rgb upright = orient(toRgb(img), exifOrientation(file));
        return upright;
    }

    /** PIL's {@code convert('RGB')} of a decoded image. */
    static Rgb toRgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = new int[w * h];
        var raster = img.getRaster();
        int bands = raster.getNumBands();
        if (img.getColorModel() instanceof IndexColorModel icm) {
            int[] palette = new int[icm.getMapSize()];
            icm.getRGBs(palette);
            raster.getSamples(0, 0, w, h, 0, px);
            for (int i = 0; i < px.length; i++) {
                px[i] = 0xFF000000 | palette[px[i]];
            }
        } else if (bands <= 2) {
            // grey (with or without alpha): the stored level, as PIL keeps it
            raster.getSamples(0, 0, w, h, 0, px);
            int shift = raster.getSampleModel().getSampleSize(0) > 8 ? 8 : 0;
            for (int i = 0; i < px.length; i++) {
                int v = px[i] >> shift;
                px[i] = 0xFF000000 | v << 16 | v << 8 | v;
            }
        } else {
            img.getRGB(0, 0, w, h, px, 0, w);
            for (int i = 0; i < px.length; i++) {
                px[i] |= 0xFF000000;
            }
        }
        return new Rgb(w, h, px);
    }

    /**
     * The EXIF orientation (1–8) of a JPEG, 1 when it has none or is no JPEG. Reads the APP1
     * "Exif" segment's first IFD only (where the tag lives); a malformed segment counts as none.
     */
    static int exifOrientation(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(1 << 17);
        } catch (IOException e) {
            return 1;
        }
        if (head.length < 4 || (head[0] & 0xFF) != 0xFF || (head[1] & 0xFF) != 0xD8) {
            return 1;
        }
        int p = 2;
        while (p + 4 <= head.length && (head[p] & 0xFF) == 0xFF) {
            int marker = head[p + 1] & 0xFF;
            int len = (head[p + 2] & 0xFF) << 8 | head[p + 3] & 0xFF;
            if (marker == 0xDA || len < 2) {
                break;   // image data: no more headers
            }
            int body = p + 4;
            if (marker == 0xE1 && body + 14 <= head.length && new String(head, body, 4,
                    java.nio.charset.StandardCharsets.ISO_8859_1).equals("Exif") && head[body + 4] == 0) {
                return orientationInTiff(head, body + 6, Math.min(head.length, p + 2 + len));
            }
            p += 2 + len;
        }
        return 1;
    }

    private static int orientationInTiff(byte[] b, int tiff, int end) {
        boolean little = b[tiff] == 'I' && b[tiff + 1] == 'I';
        if (!little && !(b[tiff] == 'M' && b[tiff + 1] == 'M')) {
            return 1;
        }
        int ifd = tiff + readInt(b, tiff + 4, little);
        if (ifd < tiff || ifd + 2 > end) {
            return 1;
        }
        int entries = readShort(b, ifd, little);
        for (int i = 0; i < entries; i++) {
            int e = ifd + 2 + 12 * i;
            if (e + 12 > end) {
                return 1;
            }
            if (readShort(b, e, little) == 0x0112 && readShort(b, e + 2, little) == 3) {
                int o = readShort(b, e + 8, little);
                return o >= 1 && o <= 8 ? o : 1;
            }
        }
        return 1;
    }

    private static int readShort(byte[] b, int o, boolean little) {
        return little ? (b[o] & 0xFF) | (b[o + 1] & 0xFF) << 8 : (b[o] & 0xFF) << 8 | (b[o + 1] & 0xFF);
    }

    private static int readInt(byte[] b, int o, boolean little) {
        return little ? readShort(b, o, true) | readShort(b, o + 2, true) << 16
                : readShort(b, o, false) << 16 | readShort(b, o + 2, false);
    }

    /** The picture turned upright as PIL's {@code ImageOps.exif_transpose} does for orientation 1–8. */
    static Rgb orient(Rgb in, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return in;
        }
        int w = in.width();
        int h = in.height();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        int[] out = new int[w * h];
        int[] src = in.argb();
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = w - 1 - x; sy = y; }
                    case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }
                    case 4 -> { sx = x; sy = h - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = h - 1 - x; }
                    case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }
                    default -> { sx = w - 1 - y; sy = x; }
                }
                out[y * ow + x] = src[sy * w + sx];
            }
        }
        return new Rgb(ow, oh, out);
    }
}
