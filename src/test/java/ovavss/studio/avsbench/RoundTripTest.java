package ovavss.studio.avsbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Mask;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Project → AVSBench export → import gives back the same sounding masks, flags and labels. */
class RoundTripTest {
    static final int W = 40;
    static final int H = 30;

    @TempDir
    Path tmp;

    static Mask rect(int x0, int y0, int x1, int y1) {
        return MaskOps.polygon(W, H, new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
    }

    static SoundingObject obj(String id, String label, int z, Object... kfFrames) {
        TreeMap<Integer, ObjectFrame> m = new TreeMap<>();
        for (int i = 0; i < kfFrames.length; i += 2) {
            m.put((Integer) kfFrames[i], (ObjectFrame) kfFrames[i + 1]);
        }
        return new SoundingObject(id, label, z, m);
    }

    static Project sample() {
        Vocabulary v = AvsbenchImporter.vocabularyFor(LabelSet.standard())
                .with(VocabularyEntry.of("red-circle", 0xff0000));
        Mask disc0 = MaskOps.paintStroke(Mask.empty(W, H), new double[] {30, 8}, 5, false);
        Mask disc2 = MaskOps.paintStroke(Mask.empty(W, H), new double[] {32, 20}, 5, false);
        Clip a = new Clip("clipA_0_3000", "none", 0, 3, Clip.defaultKeyframes(3), W, H, List.of(
                obj("o1", "dog", 0,
                        0, ObjectFrame.human(rect(2, 2, 12, 10), SoundFlag.SOUNDING),
                        1, ObjectFrame.human(rect(4, 3, 14, 12), SoundFlag.SOUNDING),
                        2, ObjectFrame.model(rect(6, 4, 16, 14), SoundFlag.SOUNDING, 0.8)),
                obj("o2", "red-circle", 1,
                        0, ObjectFrame.human(disc0, SoundFlag.SOUNDING),
                        1, ObjectFrame.human(disc0, SoundFlag.SILENT),
                        2, ObjectFrame.human(disc2, SoundFlag.SOUNDING)),
                obj("o3", "man", 0,
                        0, ObjectFrame.human(rect(0, 20, 10, 30), SoundFlag.SILENT),
                        1, ObjectFrame.human(rect(0, 20, 10, 30), SoundFlag.UNKNOWN))),
                Map.of("split", "val", "vid", "vidA"));
        Clip b = new Clip("clipB", "none", 0, 2, Clip.defaultKeyframes(2), W, H, List.of(
                obj("o1", "piano", 0, 1, ObjectFrame.human(rect(10, 10, 30, 25), SoundFlag.SOUNDING))),
                Map.of("label", "v1m"));
        return new Project("rt", v, List.of(a, b), Map.of());
    }

    @Test
    void semanticRoundTripKeepsSoundingMasksFlagsAndLabels() throws Exception {
        Project p = sample();
        Path out = tmp.resolve("export");
        AvsbenchExporter.Summary s = new AvsbenchExporter(ClipMedia.NONE).exportSemantic(p, out,
                AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(5, s.labelFrames());
        // label2idx: 71 standard keys in order, then the extra class
        LabelSet written = LabelSet.read(out.resolve("label2idx.json"));
        assertEquals(72, written.size());
        assertEquals(LabelSet.standard().names(), written.names().subList(0, 71));
        assertEquals("red-circle", written.name(71));
        assertTrue(Files.readString(out.resolve("label2idx.json")).contains("\"background\" : 1"));
        List<String> csv = Files.readAllLines(out.resolve("metadata.csv"));
        assertEquals(MetadataCsv.HEADER, csv.get(0));
        assertEquals("vidA,clipA_0_3000,0,0,dog_red-circle,val,v2", csv.get(1));
        assertEquals("clipB,clipB,0,0,piano,test,v1m", csv.get(2));
        // the palette colour and grey index of a dog pixel, an extra-class pixel and background
        ImageFiles.Raster rgb = ImageFiles.read(out.resolve("v2/clipA_0_3000/labels_rgb/0.png"));
        ImageFiles.Raster sem = ImageFiles.read(out.resolve("v2/clipA_0_3000/labels_semantic/0.png"));
        assertFalse(rgb.grey());
        assertTrue(sem.grey());
        assertEquals(Palette.rgb(17), rgb.pixels()[5 * W + 5]);
        assertEquals(17, sem.pixels()[5 * W + 5]);
        assertEquals(Palette.rgb(71), rgb.pixels()[8 * W + 30]);
        assertEquals(71, sem.pixels()[8 * W + 30]);
        // the silent "man" is not drawn
        assertEquals(0, sem.pixels()[25 * W + 5]);

        for (boolean preferRgb : new boolean[] {false, true}) {
            AvsbenchImporter.Result r = new AvsbenchImporter().importSemantic(out,
                    new AvsbenchImporter.Options(null, null, false, preferRgb, true, false), ProgressSink.NONE,
                    Cancellation.NEVER);
            assertEquals(0, r.unknownColourPixels());
            assertEquals(2, r.project().clips().size());
            assertSameSounding(p.requireClip("clipA_0_3000"), r.project().requireClip("clipA_0_3000"));
            assertSameSounding(p.requireClip("clipB"), r.project().requireClip("clipB"));
            Clip ia = r.project().requireClip("clipA_0_3000");
            assertEquals("val", ia.attributes().get("split"));
            assertEquals(List.of(0.0, 1.0, 2.0), ia.keyframeTimes());
            assertEquals(Integer.valueOf(71), r.project().vocabulary().get("red-circle").orElseThrow().classIndex());
            // re-export of the imported project writes the same label space
            Path again = tmp.resolve("again" + preferRgb);
            new AvsbenchExporter(ClipMedia.NONE).exportSemantic(r.project(), again,
                    AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER);
            assertEquals(written, LabelSet.read(again.resolve("label2idx.json")));
            assertEquals(Files.readAllLines(out.resolve("metadata.csv")), Files.readAllLines(again.resolve("metadata.csv")));
        }
    }

    /** Every object with sounding frames reappears with the same label, masks and SOUNDING flags. */
    static void assertSameSounding(Clip original, Clip imported) {
        List<SoundingObject> expected = new ArrayList<>();
        for (SoundingObject o : original.objects()) {
            TreeMap<Integer, ObjectFrame> sounding = new TreeMap<>();
            o.frames().forEach((k, f) -> {
                if (f.sound() == SoundFlag.SOUNDING) {
                    sounding.put(k, f);
                }
            });
            if (!sounding.isEmpty()) {
                expected.add(new SoundingObject(o.id(), o.label(), 0, sounding));
            }
        }
        assertEquals(expected.size(), imported.objects().size(), "objects of " + original.id());
        for (SoundingObject e : expected) {
            SoundingObject got = imported.objects().stream().filter(o -> o.label().equals(e.label())).findFirst()
                    .orElseThrow(() -> new AssertionError("no imported " + e.label()));
            assertEquals(e.frames().keySet(), got.frames().keySet(), e.label());
            for (int k : e.frames().keySet()) {
                assertEquals(e.frames().get(k).mask(), got.frame(k).mask(), e.label() + " @" + k);
                assertEquals(SoundFlag.SOUNDING, got.frame(k).sound());
            }
        }
    }

    @Test
    void overlapsFollowZOrderForHumansAndScoreForModels() {
        Mask left = rect(0, 0, 20, 30);
        Mask right = rect(10, 0, 40, 30);
        Clip c = new Clip("c", "none", 0, 1, List.of(0.0), W, H, List.of(
                obj("a", "dog", 0, 0, ObjectFrame.human(left, SoundFlag.SOUNDING)),
                obj("b", "cat", 5, 0, ObjectFrame.human(right, SoundFlag.SOUNDING))), Map.of());
        Map<String, Integer> idx = Map.of("dog", 17, "cat", 12);
        int[] lab = AvsbenchExporter.composeLabels(c, 0, idx);
        assertEquals(12, lab[15], "higher z-order wins");
        assertEquals(17, lab[5]);
        Clip m = new Clip("m", "none", 0, 1, List.of(0.0), W, H, List.of(
                obj("a", "dog", 9, 0, ObjectFrame.model(left, SoundFlag.SOUNDING, 0.9)),
                obj("b", "cat", 0, 0, ObjectFrame.model(right, SoundFlag.SOUNDING, 0.4))), Map.of());
        assertEquals(17, AvsbenchExporter.composeLabels(m, 0, idx)[15], "higher score wins");
        Clip mixed = new Clip("x", "none", 0, 1, List.of(0.0), W, H, List.of(
                obj("a", "dog", 0, 0, ObjectFrame.model(left, SoundFlag.SOUNDING, 1.0)),
                obj("b", "cat", 0, 0, ObjectFrame.human(right, SoundFlag.SOUNDING))), Map.of());
        assertEquals(12, AvsbenchExporter.composeLabels(mixed, 0, idx)[15], "human edits over predictions");
    }

    @Test
    void datasetSpecificLabelSpaceRoundTripsAndEvaluates() throws Exception {
        // an AV-Shapes-like tree: its own label2idx.json with non-AVSBench names
        List<String> names = List.of("background", "red-circle", "blue-square", "green-triangle");
        Path ds = tmp.resolve("shapes");
        Path clipDir = ds.resolve("v2/s1_0_2000");
        Files.createDirectories(clipDir.resolve("labels_semantic"));
        new LabelSet(names).write(ds.resolve("label2idx.json"));
        Files.writeString(ds.resolve("metadata.csv"), MetadataCsv.HEADER + "\ns1,s1_0_2000,0,0,red-circle_green-triangle,test,v2\n");
        byte[][] frames = new byte[2][W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                frames[0][y * W + x] = (byte) (x < 10 ? 1 : x > 30 ? 3 : 0);
                frames[1][y * W + x] = (byte) (x < 12 ? 1 : 0);
            }
        }
        for (int k = 0; k < 2; k++) {
            ImageFiles.writeGreyPng(clipDir.resolve("labels_semantic/" + k + ".png"), W, H, frames[k]);
        }
        AvsbenchImporter.Result r = new AvsbenchImporter().importSemantic(ds, AvsbenchImporter.Options.defaults(),
                ProgressSink.NONE, Cancellation.NEVER);
        Project p = r.project();
        assertEquals(names, p.vocabulary().labelSpace());
        assertEquals(Integer.valueOf(3), p.vocabulary().get("green-triangle").orElseThrow().classIndex());
        Clip c = p.requireClip("s1_0_2000");
        assertEquals(2, c.objects().size());
        SoundingObject circle = c.objects().stream().filter(o -> o.label().equals("red-circle")).findFirst().orElseThrow();
        assertEquals(2, circle.frames().size(), "one object across both frames");
        assertEquals(10 * H, circle.frame(0).mask().area());

        Path out = tmp.resolve("shapes-export");
        new AvsbenchExporter(ClipMedia.NONE).exportSemantic(p, out, AvsbenchExporter.SemanticOptions.defaults(),
                ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(new LabelSet(names), LabelSet.read(out.resolve("label2idx.json")));
        ImageFiles.Raster rgb = ImageFiles.read(out.resolve("v2/s1_0_2000/labels_rgb/0.png"));
        assertEquals(Palette.rgb(3), rgb.pixels()[35]);

        // evaluation of the export (rgb and semantic) against the dataset: perfect
        AvsbenchEvaluator.SemanticReport rep = new AvsbenchEvaluator().evaluateSemantic(out, ds,
                new AvsbenchEvaluator.Options(null, new int[] {1}, new int[] {2, 3}, null, false, null), Cancellation.NEVER);
        assertEquals(4, rep.labels().size());
        assertEquals(1.0, rep.ov().mIoU(), 1e-12);
        assertEquals(1.0, rep.ov().seenMIoU(), 1e-12);
        assertEquals(1.0, rep.ov().unseenMIoU(), 1e-12); // blue-square absent: NaN skipped
        assertEquals(2, rep.frames());
    }

    @Test
    void importedClassNamesAreSpelledAsTheEditorSpellsThem() {
        LabelSet own = new LabelSet(List.of("background", "Red Circle", "red_circle", "dog"));
        // the label space keeps the file's names; a second spelling of one class stays as written
        assertEquals(List.of("background", "red-circle", "red_circle", "dog"), AvsbenchImporter.classNames(own));
        Vocabulary v = AvsbenchImporter.vocabularyFor(own);
        assertEquals(Integer.valueOf(1), v.get("red-circle").orElseThrow().classIndex());
        assertEquals(own.names(), v.labelSpace());
        assertEquals(AvsbenchClasses.NAMES, AvsbenchImporter.classNames(LabelSet.standard()), "AVSBench names as they are");
    }

    @Test
    void binaryExportUsesOneBasedNamesAndImportsBack() throws Exception {
        Project p = sample();
        for (AvsbenchExporter.BinaryLayout layout : AvsbenchExporter.BinaryLayout.values()) {
            Path out = tmp.resolve("bin-" + layout);
            new AvsbenchExporter(ClipMedia.NONE).exportBinary(p, out,
                    new AvsbenchExporter.BinaryOptions(layout, "test", null, false, false), ProgressSink.NONE,
                    Cancellation.NEVER);
            boolean s4 = layout == AvsbenchExporter.BinaryLayout.S4;
            Path m = s4 ? out.resolve("s4_data/gt_masks/val/dog/clipA_0_3000/clipA_0_3000_1.png")
                    : out.resolve("ms3_data/gt_masks/val/clipA_0_3000/clipA_0_3000_1.png");
            assertTrue(Files.isRegularFile(m), m.toString());
            ImageFiles.Raster r = ImageFiles.read(m);
            assertEquals(255, r.pixels()[5 * W + 5]);
            assertEquals(0, r.pixels()[25 * W + 5]);
            assertTrue(Files.isRegularFile(out.resolve(s4 ? "s4_meta_data.csv" : "ms3_meta_data.csv")));
            AvsbenchImporter.Result back = new AvsbenchImporter().importBinary(out, AvsbenchImporter.Options.defaults(),
                    ProgressSink.NONE, Cancellation.NEVER);
            Clip a = back.project().requireClip("clipA_0_3000");
            Mask union0 = a.objects().stream().filter(o -> o.frame(0) != null).map(o -> o.frame(0).mask())
                    .reduce(Mask.empty(W, H), Mask::union);
            Mask expected = rect(2, 2, 12, 10).union(MaskOps.paintStroke(Mask.empty(W, H), new double[] {30, 8}, 5, false));
            assertEquals(expected, union0);
        }
        Path sized = tmp.resolve("bin224");
        new AvsbenchExporter(ClipMedia.NONE).exportBinary(p, sized,
                AvsbenchExporter.BinaryOptions.defaults(AvsbenchExporter.BinaryLayout.MS3), ProgressSink.NONE,
                Cancellation.NEVER);
        ImageFiles.Raster r = ImageFiles.read(sized.resolve("ms3_data/gt_masks/test/clipB/clipB_2.png"));
        assertEquals(224, r.width());
        assertEquals(224, r.height());
    }

    @Test
    void metadataQuirksAreReportedNotFatalAndAObjFilterApplies() throws Exception {
        Path ds = tmp.resolve("quirks");
        Files.createDirectories(ds);
        Files.writeString(ds.resolve("metadata.csv"), MetadataCsv.HEADER + "\n"
                + "zVfLHhs9uv8,zVfLHhs9uv8_3000_8000,0,3,h orse,test,v1s\n"
                + "puugfzdXYz4,puugfzdXYz4_120000_130000,1,60,dog,test,v2\n"
                + "offv,offv_0_10000,0,0,off-the-screen,test,v2\n"
                + "bad,line\n");
        int horse = LabelSet.standard().indexOf("horse");
        int dog = LabelSet.standard().indexOf("dog");
        int[] px = new int[W * H];
        for (int i = 0; i < px.length; i++) {
            px[i] = i % W < 10 ? Palette.rgb(horse) : i % W < 20 ? Palette.rgb(dog) : i % W < 22 ? 0x123456 : 0;
        }
        for (String[] c : new String[][] {{"v1s", "zVfLHhs9uv8_3000_8000"}, {"v2", "puugfzdXYz4_120000_130000"},
            {"v2", "offv_0_10000"}}) {
            Path d = ds.resolve(c[0]).resolve(c[1]).resolve("labels_rgb");
            Files.createDirectories(d);
            ImageFiles.writeRgbPng(d.resolve("0.png"), W, H, px);
        }
        AvsbenchImporter.Result r = new AvsbenchImporter().importSemantic(ds,
                new AvsbenchImporter.Options(LabelSet.standard(), null, true, false, true, false), ProgressSink.NONE,
                Cancellation.NEVER);
        assertEquals(3, r.project().clips().size());
        assertEquals(3L * 2 * H, r.unknownColourPixels());
        String all = String.join("\n", r.warnings());
        assertTrue(all.contains("'h orse' read as 'horse'"), all);
        assertTrue(all.contains("s_sec = 60"), all);
        assertTrue(all.contains("off-the-screen"), all);
        assertTrue(all.contains("skipped"), all);
        Clip h = r.project().requireClip("zVfLHhs9uv8_3000_8000");
        assertEquals(1, h.objects().size());
        assertEquals("horse", h.objects().get(0).label(), "dog pixels filtered out: not in a_obj");
        Clip d = r.project().requireClip("puugfzdXYz4_120000_130000");
        assertEquals("dog", d.objects().get(0).label());
        assertEquals(0, r.project().requireClip("offv_0_10000").objects().size(), "off-the-screen: all background");
        assertEquals(120, new MetadataCsv.Row("v", "u", 1, 60, "", "", "").startSeconds());
    }

    @Test
    void framesAndAudioAreWrittenAt16kMono() throws Exception {
        Project p = sample();
        ClipMedia media = new ClipMedia() {
            @Override
            public int[] frame(Clip clip, int k) {
                int[] px = new int[clip.width() * clip.height()];
                java.util.Arrays.fill(px, 0x336699);
                return px;
            }

            @Override
            public Audio audio(Clip clip) {
                int rate = 44100;
                float[] s = new float[(int) (clip.duration() * rate) + 500];
                for (int i = 0; i < s.length; i++) {
                    s[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000 * i / rate));
                }
                return new Audio(s, rate);
            }
        };
        Path out = tmp.resolve("av");
        AvsbenchExporter.Summary s = new AvsbenchExporter(media).exportSemantic(p, out,
                AvsbenchExporter.SemanticOptions.defaults(), ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(5, s.frames());
        assertEquals(2, s.audioFiles());
        ImageFiles.Raster f = ImageFiles.read(out.resolve("v2/clipA_0_3000/frames/2.jpg"));
        assertEquals(W, f.width());
        int c = f.pixels()[100];
        assertTrue(Math.abs(((c >> 16) & 255) - 0x33) < 4 && Math.abs((c & 255) - 0x99) < 4);
        int[] rate = new int[1];
        float[] a = WavFiles.readMono(out.resolve("v2/clipA_0_3000/audio.wav"), rate);
        assertEquals(16000, rate[0]);
        assertEquals(3 * 16000, a.length, "cut to the clip");
        int crossings = 0;
        for (int i = 1; i < a.length; i++) {
            if ((a[i - 1] < 0) != (a[i] < 0)) {
                crossings++;
            }
        }
        assertEquals(2 * 1000 * 3, crossings, 4, "1 kHz survives resampling");
        float peak = 0;
        for (int i = 1000; i < a.length - 1000; i++) {
            peak = Math.max(peak, Math.abs(a[i]));
        }
        assertEquals(0.5, peak, 0.02);
        assertNotNull(ClipMedia.avsbenchFolders().frame(new Clip("x", out.resolve("v2/clipA_0_3000").toString(), 0, 3,
                Clip.defaultKeyframes(3), W, H, List.of(), Map.of()), 1));
    }
}
