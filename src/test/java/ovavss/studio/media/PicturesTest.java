package ovavss.studio.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Frames read as PIL and detectron2 read them: the expected pixels come from
 * {@code models/golden/frame_reading.py} (ImageOps.exif_transpose, then convert('RGB')). JPEG
 * decoders may differ by a level or two in a few pixels (IDCT and upsampling rounding); the grey
 * level, the orientation and the size must be the same.
 */
class PicturesTest {
    private static final Path DIR = Path.of("src/test/resources/frames");

    private record Expected(int width, int height, byte[] rgb) {
    }

    private static Expected expected(String name) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(DIR.resolve(name + ".rgb"))).order(ByteOrder.LITTLE_ENDIAN);
        int w = b.getShort() & 0xFFFF;
        int h = b.getShort() & 0xFFFF;
        byte[] rgb = new byte[w * h * 3];
        b.get(rgb);
        return new Expected(w, h, rgb);
    }

    /** The largest difference of any channel of any pixel. */
    private static int maxDifference(Pictures.Rgb got, Expected want) {
        assertEquals(want.width(), got.width(), "width");
        assertEquals(want.height(), got.height(), "height");
        int worst = 0;
        for (int i = 0; i < got.argb().length; i++) {
            int p = got.argb()[i];
            for (int c = 0; c < 3; c++) {
                int mine = (p >> (16 - 8 * c)) & 0xFF;
                int theirs = want.rgb()[3 * i + c] & 0xFF;
                worst = Math.max(worst, Math.abs(mine - theirs));
            }
        }
        return worst;
    }

    @Test
    void aGreyJpegKeepsItsLevels() throws Exception {
        Pictures.Rgb got = Pictures.read(DIR.resolve("grey.jpg"));
        assertEquals(0xFF808080, got.argb()[got.width() * 4 + 4], "grey 128 stays 128 in every channel");
        assertTrue(maxDifference(got, expected("grey.jpg")) <= 1);
    }

    @Test
    void everyExifOrientationIsTurnedUprightAsPilDoes() throws Exception {
        for (int o = 1; o <= 8; o++) {
            String name = "orient-" + o + ".jpg";
            assertEquals(o, Pictures.exifOrientation(DIR.resolve(name)), name);
            int diff = maxDifference(Pictures.read(DIR.resolve(name)), expected(name));
            assertTrue(diff <= 3, name + " differs from PIL by " + diff);
        }
    }

    @Test
    void greyAlphaAndPaletteImagesGiveTheirColours() throws Exception {
        for (String name : List.of("grey-alpha.png", "palette.png")) {
            assertEquals(0, maxDifference(Pictures.read(DIR.resolve(name)), expected(name)), name);
        }
    }

    @Test
    void aClipFolderShowsItsFramesUpright(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path clip = tmp.resolve("clip");
        Files.createDirectories(clip.resolve("frames"));
        Files.copy(DIR.resolve("orient-6.jpg"), clip.resolve("frames/0.jpg"));
        Files.copy(DIR.resolve("orient-6.jpg"), clip.resolve("frames/1.jpg"));
        try (MediaSource src = MediaOpener.open(clip)) {
            Expected want = expected("orient-6.jpg");
            assertEquals(want.width(), src.info().width(), "the clip's size is the upright size");
            assertEquals(want.height(), src.info().height());
            VideoFrame f = src.frame(1);
            assertTrue(maxDifference(new Pictures.Rgb(f.width(), f.height(), f.argb()), want) <= 3);
        }
    }
}
