package ovavss.studio.avsbench;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import ovavss.studio.files.Messages;

/**
 * Image files for AVSBench trees. Label PNGs are written by a small encoder of our own (8-bit grey
 * or 8-bit RGB, filter "none", zlib): label maps are long runs, which deflate compresses well at
 * its fastest level, and this is several times faster than the generic ImageIO PNG writer.
 * Reading and JPEG use {@code javax.imageio}.
 */
public final class ImageFiles {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private ImageFiles() {
    }

    /**
     * A decoded image: row-major 0xRRGGBB pixels, or the sample values of a single-channel file
     * (grey levels, or palette indices when {@code palette} is not null: a PIL mode "P" file).
     * {@link #pixels()} is what numpy sees of the PIL image ({@code np.array(Image.open(f))});
     * {@link #rgb()} is what {@code .convert('RGB')} gives, which the official loaders use for
     * {@code labels_rgb}.
     *
     * @param palette 0xRRGGBB per index for a palette image, else null
     */
    public record Raster(int width, int height, int[] pixels, boolean grey, int[] palette) {
        public Raster(int width, int height, int[] pixels, boolean grey) {
            this(width, height, pixels, grey, null);
        }

        /** The pixels as 0xRRGGBB, as PIL's {@code convert('RGB')}: palette colours, grey replicated. */
        public int[] rgb() {
            if (!grey) {
                return pixels;
            }
            int[] out = new int[pixels.length];
            for (int i = 0; i < out.length; i++) {
                int v = pixels[i];
                out[i] = palette != null ? (v < palette.length ? palette[v] : 0) : Math.min(255, v) * 0x010101;
            }
            return out;
        }
    }

    /** Writes an 8-bit greyscale PNG (e.g. {@code labels_semantic}, 0/255 binary masks). */
    public static void writeGreyPng(Path file, int width, int height, byte[] grey) throws IOException {
        byte[] raw = new byte[(width + 1) * height];
        for (int y = 0; y < height; y++) {
            System.arraycopy(grey, y * width, raw, y * (width + 1) + 1, width);
        }
        writePng(file, width, height, 0, raw);
    }

    /** Writes an 8-bit RGB PNG from 0xRRGGBB pixels (e.g. {@code labels_rgb}). */
    public static void writeRgbPng(Path file, int width, int height, int[] rgb) throws IOException {
        byte[] raw = new byte[(width * 3 + 1) * height];
        int o = 0;
        for (int y = 0; y < height; y++) {
            raw[o++] = 0;
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int c = rgb[row + x];
                raw[o++] = (byte) (c >> 16);
                raw[o++] = (byte) (c >> 8);
                raw[o++] = (byte) c;
            }
        }
        writePng(file, width, height, 2, raw);
    }

    private static final ThreadLocal<Deflater> DEFLATER = ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED));

    private static void writePng(Path file, int width, int height, int colourType, byte[] filtered) throws IOException {
        Deflater d = DEFLATER.get();
        d.reset();
        d.setInput(filtered);
        d.finish();
        // header, IHDR, IDAT header, zlib data, IDAT crc, IEND in one buffer: one write call
        byte[] buf = new byte[64 + filtered.length + filtered.length / 1000 + 64];
        int pos = 33 + 8; // signature 8 + IHDR 25 + IDAT length/type 8
        while (!d.finished()) {
            if (pos == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            pos += d.deflate(buf, pos, buf.length - pos);
        }
        int zlen = pos - 41;
        System.arraycopy(SIGNATURE, 0, buf, 0, 8);
        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, width);
        putInt(ihdr, 4, height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) colourType;
        putInt(buf, 8, 13);
        putType(buf, 12, "IHDR");
        System.arraycopy(ihdr, 0, buf, 16, 13);
        putInt(buf, 29, crc(buf, 12, 17));
        putInt(buf, 33, zlen);
        putType(buf, 37, "IDAT");
        if (buf.length < pos + 16) {
            buf = java.util.Arrays.copyOf(buf, pos + 16);
        }
        putInt(buf, pos, crc(buf, 37, zlen + 4));
        pos += 4;
        putInt(buf, pos, 0);
        putType(buf, pos + 4, "IEND");
        putInt(buf, pos + 8, crc(buf, pos + 4, 4));
        pos += 12;
        try (java.io.OutputStream out = Files.newOutputStream(file)) {
            out.write(buf, 0, pos);
        }
    }

    private static void putType(byte[] b, int o, String type) {
        for (int i = 0; i < 4; i++) {
            b[o + i] = (byte) type.charAt(i);
        }
    }

    private static int crc(byte[] b, int off, int len) {
        CRC32 c = new CRC32();
        c.update(b, off, len);
        return (int) c.getValue();
    }

    private static void putInt(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    private static final ThreadLocal<ImageWriter> JPEG = ThreadLocal.withInitial(() -> {
        Iterator<ImageWriter> it = ImageIO.getImageWritersByFormatName("jpeg");
        return it.next();
    });

    /** Writes a JPEG of 0xRRGGBB pixels at the given quality (0..1). */
    public static void writeJpeg(Path file, int width, int height, int[] rgb, float quality) throws IOException {
        // 3-byte BGR is the layout the JPEG writer hands to libjpeg as is; from INT_RGB it would
        // unpack every pixel through the generic (slow) raster path first.
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0, o = 0, n = width * height; i < n; i++, o += 3) {
            int c = rgb[i];
            bgr[o] = (byte) c;
            bgr[o + 1] = (byte) (c >> 8);
            bgr[o + 2] = (byte) (c >> 16);
        }
        ImageWriter w = JPEG.get();
        ByteArrayOutputStream bos = new ByteArrayOutputStream(width * height / 2);
        try (ImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(bos)) {
            w.setOutput(ios);
            ImageWriteParam p = w.getDefaultWriteParam();
            p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            p.setCompressionQuality(quality);
            w.write(null, new IIOImage(img, null, null), p);
        } finally {
            w.reset();
        }
        Files.write(file, bos.toByteArray());
    }

    /**
     * Reads a PNG/JPEG. Single-channel images (grey or palette-indexed) give raw sample values with
     * {@code grey = true}; everything else gives RGB (alpha dropped, as PIL {@code convert('RGB')}).
     */
    /**
     * Width and height from an image file's header, nothing decoded; null when the file is no
     * image this app reads.
     */
    public static int[] dimensions(Path file) {
        try {
            return withReader(file, r -> new int[] {r.getWidth(0), r.getHeight(0)});
        } catch (IOException e) {
            return null;
        }
    }

    /** What {@code use} reads through the image reader of {@code file} (input set, disposed after); null: no reader. */
    private static <T> T withReader(Path file, ReaderUse<T> use) throws IOException {
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return null;
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                return use.apply(reader);
            } finally {
                reader.dispose();
            }
        }
    }

    @FunctionalInterface
    private interface ReaderUse<T> {
        T apply(javax.imageio.ImageReader reader) throws IOException;
    }

    /** Widest or tallest image read (AVSBench frames and labels are at most 1920 a side). */
    public static final int MAX_SIDE = 8_192;

    public static Raster read(Path file) {
        BufferedImage img;
        try {
            img = withReader(file, reader -> {
                // the header's size, checked before a pixel is decoded: a forged 30000x30000 file is refused, not an OOM
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w > MAX_SIDE || h > MAX_SIDE) {
                    throw new AvsbenchException(file + " is " + w + "x" + h + "; label images are read up to "
                            + MAX_SIDE + " pixels a side");
                }
                return reader.read(0);
            });
        } catch (IOException e) {
            throw new AvsbenchException("cannot read image " + file + ": " + Messages.oneLine(e), e);
        }
        if (img == null) {
            throw new AvsbenchException("not a readable image: " + file);
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[] px = new int[w * h];
        if (img.getRaster().getNumBands() == 1) {
            if (img.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                byte[] b = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
                for (int i = 0; i < px.length; i++) {
                    px[i] = b[i] & 0xFF;
                }
            } else {
                img.getRaster().getSamples(0, 0, w, h, 0, px);
            }
            if (img.getColorModel() instanceof java.awt.image.IndexColorModel icm) {
                int[] palette = new int[icm.getMapSize()];
                icm.getRGBs(palette);
                for (int i = 0; i < palette.length; i++) {
                    palette[i] &= 0xFFFFFF;
                }
                return new Raster(w, h, px, true, palette);
            }
            return new Raster(w, h, px, true);
        }
        if (img.getRaster().getNumBands() == 2) {
            // grey + alpha: PIL's convert('RGB') keeps the grey level and drops alpha; getRGB would
            // pass the grey through a linear-to-sRGB curve
            img.getRaster().getSamples(0, 0, w, h, 0, px);
            if (img.getRaster().getSampleModel().getSampleSize(0) > 8) {
                for (int i = 0; i < px.length; i++) {
                    px[i] >>= 8;
                }
            }
            return new Raster(w, h, px, true);
        }
        img.getRGB(0, 0, w, h, px, 0, w);
        for (int i = 0; i < px.length; i++) {
            px[i] &= 0xFFFFFF;
        }
        return new Raster(w, h, px, false);
    }

    /** Nearest-neighbour resize of a row-major int image (pixel centres, as PIL NEAREST). */
    public static int[] resizeNearest(int[] src, int w, int h, int nw, int nh) {
        if (w == nw && h == nh) {
            return src;
        }
        int[] xs = ovavss.studio.annotation.Mask.nearestIndex(w, nw);
        int[] ys = ovavss.studio.annotation.Mask.nearestIndex(h, nh);
        int[] dst = new int[nw * nh];
        for (int y = 0; y < nh; y++) {
            int row = ys[y] * w;
            for (int x = 0; x < nw; x++) {
                dst[y * nw + x] = src[row + xs[x]];
            }
        }
        return dst;
    }
}
