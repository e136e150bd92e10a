package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import ovavss.studio.annotation.Project;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code labels_rgb} PNGs saved in palette mode (PIL mode "P") are read through their palette, as
 * the official loaders' {@code Image.open(f).convert('RGB')} does: nothing is lost on import, and
 * {@code eval} reads such ground truth as the colours it shows.
 */
class PaletteLabelsTest {
    @TempDir
    Path tmp;

    /** Rewrites an RGB PNG as an 8-bit palette PNG whose index order is not the class order. */
    private static void toPaletteMode(Path png) throws Exception {
        ImageFiles.Raster r = ImageFiles.read(png);
        LinkedHashSet<Integer> colours = new LinkedHashSet<>();
        colours.add(0x123456); // an unused entry first: index 0 is not background
        for (int c : r.pixels()) {
            colours.add(c);
        }
        List<Integer> list = new ArrayList<>(colours);
        byte[] red = new byte[list.size()];
        byte[] green = new byte[list.size()];
        byte[] blue = new byte[list.size()];
        for (int i = 0; i < list.size(); i++) {
            red[i] = (byte) (list.get(i) >> 16);
            green[i] = (byte) (list.get(i) >> 8);
            blue[i] = (byte) (int) list.get(i);
        }
        IndexColorModel icm = new IndexColorModel(8, list.size(), red, green, blue);
        BufferedImage img = new BufferedImage(r.width(), r.height(), BufferedImage.TYPE_BYTE_INDEXED, icm);
        WritableRaster wr = img.getRaster();
        for (int y = 0; y < r.height(); y++) {
            for (int x = 0; x < r.width(); x++) {
                wr.setSample(x, y, 0, list.indexOf(r.pixels()[y * r.width() + x]));
            }
        }
        assertTrue(ImageIO.write(img, "png", png.toFile()));
    }

    private Path paletteRoot(Project p) throws Exception {
        Path root = tmp.resolve("palette");
        new AvsbenchExporter(ClipMedia.NONE).exportSemantic(p, root, AvsbenchExporter.SemanticOptions.defaults(),
                ProgressSink.NONE, Cancellation.NEVER);
        List<Path> rgb;
        List<Path> sem;
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = s.toList();
            rgb = all.stream().filter(f -> f.toString().contains("labels_rgb") && f.toString().endsWith(".png")).toList();
            sem = all.stream().filter(f -> f.toString().contains("labels_semantic")).sorted(Comparator.reverseOrder())
                    .toList();
        }
        assertEquals(5, rgb.size());
        for (Path f : rgb) {
            toPaletteMode(f);
        }
        for (Path f : sem) {
            Files.delete(f); // only labels_rgb left: the importer and eval must read the palette files
        }
        return root;
    }

    @Test
    void aPaletteFileReadsAsItsColoursAndItsIndices() throws Exception {
        Path root = paletteRoot(RoundTripTest.sample());
        ImageFiles.Raster r = ImageFiles.read(root.resolve("v2/clipA_0_3000/labels_rgb/0.png"));
        assertNotNull(r.palette(), "a palette file");
        assertTrue(r.grey(), "one band of indices, as numpy sees a mode P image");
        int dog = 5 * RoundTripTest.W + 5;
        assertEquals(Palette.rgb(17), r.rgb()[dog], "the dog pixel's colour, as convert('RGB')");
        assertEquals(0x123456, r.palette()[0]);
        assertEquals(0, r.rgb()[25 * RoundTripTest.W + 5], "background stays black");
    }

    @Test
    void importKeepsEveryObjectOfPaletteLabels() throws Exception {
        Project p = RoundTripTest.sample();
        Path root = paletteRoot(p);
        AvsbenchImporter.Result r = new AvsbenchImporter().importSemantic(root, AvsbenchImporter.Options.defaults(),
                ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(0, r.unknownColourPixels());
        RoundTripTest.assertSameSounding(p.requireClip("clipA_0_3000"), r.project().requireClip("clipA_0_3000"));
        RoundTripTest.assertSameSounding(p.requireClip("clipB"), r.project().requireClip("clipB"));
    }

    @Test
    void evalReadsPaletteGroundTruthAsItsColours() throws Exception {
        Project p = RoundTripTest.sample();
        Path gt = paletteRoot(p);
        Path pred = tmp.resolve("pred");
        new AvsbenchExporter(ClipMedia.NONE).exportSemantic(p, pred, AvsbenchExporter.SemanticOptions.defaults(),
                ProgressSink.NONE, Cancellation.NEVER);
        AvsbenchEvaluator.SemanticReport same = new AvsbenchEvaluator().evaluateSemantic(pred, gt,
                AvsbenchEvaluator.Options.defaults(), Cancellation.NEVER);
        assertEquals(1.0, same.ov().mIoU(), 1e-9, "the same labels, one root in palette mode");
        assertEquals(0, same.unknownPixels());

        // and a prediction that misses the dog scores below 1 against it
        Path empty = tmp.resolve("empty");
        new AvsbenchExporter(ClipMedia.NONE).exportSemantic(
                p.withClip(p.requireClip("clipA_0_3000").withoutObject("o1")), empty,
                AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER);
        AvsbenchEvaluator.SemanticReport worse = new AvsbenchEvaluator().evaluateSemantic(empty, gt,
                AvsbenchEvaluator.Options.defaults(), Cancellation.NEVER);
        assertTrue(worse.ov().mIoU() < 0.99, "mIoU " + worse.ov().mIoU());
    }
}
