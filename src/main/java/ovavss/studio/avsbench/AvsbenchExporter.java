package ovavss.studio.avsbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.app.Cancellation;
import ovavss.studio.app.ProgressSink;

/**
 * Writes a project as an AVSBench tree.
 *
 * <p><b>Semantic (AVSS)</b>: {@code <out>/<label>/<uid>/frames/<k>.jpg}, {@code audio.wav} (16 kHz
 * mono PCM16), {@code labels_rgb/<k>.png} (palette colours), {@code labels_semantic/<k>.png}
 * (8-bit grey class index), plus root {@code metadata.csv} and {@code label2idx.json}. The label
 * space is the vocabulary's (standard AVSBench unless the project came from a dataset with its own
 * {@code label2idx.json}); classes outside it get the next indices and are appended to
 * {@code label2idx.json}.
 *
 * <p><b>Overlaps</b>: only {@link ovavss.studio.annotation.SoundFlag#SOUNDING} masks are drawn. Human
 * masks are drawn before model masks; among human masks the higher {@code zOrder} wins (ties: the
 * object later in the clip's list wins); among model masks the higher score wins — the official
 * composition, where a lower-ranked mask only fills pixels still background.
 *
 * <p><b>Binary (S4/MS3)</b>: 0/255 grey PNGs of all sounding pixels, 1-based names, optional
 * square resize (224 in the official data), the frames and wavs, and the meta csv.
 */
public final class AvsbenchExporter {
    /** Semantic export settings; attributes of a clip ({@code split}, {@code label}, ...) override the defaults. */
    public record SemanticOptions(String defaultSubset, String defaultSplit, float jpegQuality,
                                  boolean writeFrames, boolean writeAudio) {
        public static SemanticOptions defaults() {
            return new SemanticOptions("v2", "test", 0.95f, true, true);
        }
    }

    /** S4 (single source: {@code category} level) or MS3 (multi-source) naming. */
    public enum BinaryLayout { S4, MS3 }

    public record BinaryOptions(BinaryLayout layout, String defaultSplit, Integer size, boolean writeFrames,
                                boolean writeAudio) {
        public static BinaryOptions defaults(BinaryLayout layout) {
            return new BinaryOptions(layout, "test", 224, true, true);
        }
    }

    /** What an export wrote. */
    public record Summary(int clips, int labelFrames, int frames, int audioFiles, LabelSet labels) {
    }

    private final ClipMedia media;

    public AvsbenchExporter(ClipMedia media) {
        this.media = media;
    }

    /** The label space of an export: the vocabulary's space plus its extra classes. */
    public static LabelSet exportLabels(Project p) {
        List<String> names = new ArrayList<>(p.vocabulary().labelSpace() == null
                ? LabelSet.standard().names() : p.vocabulary().labelSpace());
        for (VocabularyEntry e : p.vocabulary().entries()) {
            if (e.classIndex() == null && !names.contains(e.name())) {
                names.add(e.name());
            }
        }
        return new LabelSet(names);
    }

    /** Class index of every vocabulary name in {@link #exportLabels}. */
    static Map<String, Integer> classIndices(Project p, LabelSet labels) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (VocabularyEntry e : p.vocabulary().entries()) {
            m.put(e.name(), e.classIndex() != null ? e.classIndex() : labels.indexOf(e.name()));
        }
        return m;
    }

    /**
     * Composes the sounding label map of one keyframe.
     *
     * @return row-major class indices, 0 = background
     */
    public static int[] composeLabels(Clip clip, int k, Map<String, Integer> classOf) {
        int[] labels = new int[clip.width() * clip.height()];
        for (Clip.Layer l : clip.soundingLayers(k, f -> true)) {
            Integer c = classOf.get(l.object().label());
            if (c == null || c < 0) {
                throw new AvsbenchException("object '" + l.object().id() + "' of clip '" + clip.id() + "' has label '"
                        + l.object().label() + "', which is not in the vocabulary");
            }
            l.frame().mask().paintInto(labels, c, true);
        }
        return labels;
    }

    /** Exports the AVSBench-semantic layout into {@code out} (created if needed). */
    public Summary exportSemantic(Project p, Path out, SemanticOptions opt, ProgressSink progress,
                                  Cancellation cancel) throws IOException {
        LabelSet labels = exportLabels(p);
        Map<String, Integer> classOf = classIndices(p, labels);
        Files.createDirectories(out);
        List<MetadataCsv.Row> rows = new ArrayList<>();
        // validate every name before writing anything
        for (Clip c : p.clips()) {
            SafeNames.check("uid", c.id());
            SafeNames.check("subset label", c.attributes().getOrDefault("label", opt.defaultSubset()));
        }
        int labelFrames = 0;
        int frames = 0;
        int audio = 0;
        int done = 0;
        for (Clip c : p.clips()) {
            cancel.check();
            String subset = c.attributes().getOrDefault("label", opt.defaultSubset());
            Path dir = SafeNames.resolve(out, "uid", subset, c.id());
            Path rgbDir = dir.resolve("labels_rgb");
            Path semDir = dir.resolve("labels_semantic");
            Files.createDirectories(rgbDir);
            Files.createDirectories(semDir);
            int[] rgb = new int[c.width() * c.height()];
            byte[] grey = new byte[c.width() * c.height()];
            for (int k = 0; k < c.keyframeCount(); k++) {
                int[] lab = composeLabels(c, k, classOf);
                for (int i = 0; i < lab.length; i++) {
                    rgb[i] = Palette.rgb(lab[i]);
                    grey[i] = (byte) lab[i];
                }
                ImageFiles.writeRgbPng(rgbDir.resolve(k + ".png"), c.width(), c.height(), rgb);
                ImageFiles.writeGreyPng(semDir.resolve(k + ".png"), c.width(), c.height(), grey);
                labelFrames++;
                if (opt.writeFrames()) {
                    int[] px = media.frame(c, k);
                    if (px != null) {
                        Path fd = dir.resolve("frames");
                        Files.createDirectories(fd);
                        ImageFiles.writeJpeg(fd.resolve(k + ".jpg"), c.width(), c.height(), px, opt.jpegQuality());
                        frames++;
                    }
                }
            }
            if (opt.writeAudio() && writeAudio(c, dir.resolve("audio.wav"))) {
                audio++;
            }
            rows.add(metadataRow(c, p, opt, subset));
            progress.report(++done, p.clips().size(), "exported " + c.id());
        }
        MetadataCsv.write(out.resolve("metadata.csv"), rows);
        labels.write(out.resolve("label2idx.json"));
        return new Summary(p.clips().size(), labelFrames, frames, audio, labels);
    }

    private boolean writeAudio(Clip c, Path file) throws IOException {
        ClipMedia.Audio a = media.audio(c);
        if (a == null) {
            return false;
        }
        float[] s = WavFiles.resample(a.samples(), a.sampleRate(), WavFiles.AVSBENCH_RATE);
        int want = (int) Math.round(c.duration() * WavFiles.AVSBENCH_RATE);
        if (want > 0 && s.length != want) {
            s = java.util.Arrays.copyOf(s, want); // cut to the clip (or pad a short tail with silence)
        }
        WavFiles.writePcm16(file, s, WavFiles.AVSBENCH_RATE);
        return true;
    }

    private static MetadataCsv.Row metadataRow(Clip c, Project p, SemanticOptions opt, String subset) {
        Map<String, String> a = c.attributes();
        String aObj = a.get("a_obj");
        if (aObj == null) {
            List<String> names = new ArrayList<>();
            for (SoundingObject o : c.objects()) {
                boolean sounds = o.frames().values().stream().anyMatch(f -> f.sound().isSounding());
                if (sounds && !names.contains(o.label())) {
                    names.add(o.label());
                }
            }
            aObj = names.isEmpty() ? "off-the-screen" : String.join("_", names);
        }
        int start = (int) Math.round(c.mediaStart());
        int sMin = a.containsKey("s_min") ? Integer.parseInt(a.get("s_min")) : start / 60;
        int sSec = a.containsKey("s_sec") ? Integer.parseInt(a.get("s_sec")) : start % 60;
        return new MetadataCsv.Row(a.getOrDefault("vid", c.id()), c.id(), sMin, sSec, aObj,
                a.getOrDefault("split", opt.defaultSplit()), subset);
    }

    /** Exports the S4 or MS3 binary layout into {@code out}. */
    public Summary exportBinary(Project p, Path out, BinaryOptions opt, ProgressSink progress, Cancellation cancel)
            throws IOException {
        Map<String, Integer> classOf = classIndices(p, exportLabels(p));
        boolean s4 = opt.layout() == BinaryLayout.S4;
        Path data = out.resolve(s4 ? "s4_data" : "ms3_data");
        List<String> csv = new ArrayList<>();
        csv.add(s4 ? "name,start,category,split" : "video_id,split");
        for (Clip c : p.clips()) {
            SafeNames.check("uid", c.id());
        }
        int labelFrames = 0;
        int frames = 0;
        int audio = 0;
        int done = 0;
        for (Clip c : p.clips()) {
            cancel.check();
            String split = SafeNames.check("split", c.attributes().getOrDefault("split", opt.defaultSplit()));
            String category = s4 ? SafeNames.check("category", category(c)) : null;
            Path maskDir = s4 ? SafeNames.resolve(data, "uid", "gt_masks", split, category, c.id())
                    : SafeNames.resolve(data, "uid", "gt_masks", split, c.id());
            Files.createDirectories(maskDir);
            int w = opt.size() == null ? c.width() : opt.size();
            int h = opt.size() == null ? c.height() : opt.size();
            for (int k = 0; k < c.keyframeCount(); k++) {
                int[] lab = composeLabels(c, k, classOf);
                int[] r = ImageFiles.resizeNearest(lab, c.width(), c.height(), w, h);
                byte[] g = new byte[w * h];
                for (int i = 0; i < g.length; i++) {
                    g[i] = (byte) (r[i] != 0 ? 255 : 0);
                }
                ImageFiles.writeGreyPng(maskDir.resolve(c.id() + "_" + (k + 1) + ".png"), w, h, g);
                labelFrames++;
                if (opt.writeFrames()) {
                    int[] px = media.frame(c, k);
                    if (px != null) {
                        Path fd = s4 ? SafeNames.resolve(data, "uid", "visual_frames", split, category, c.id())
                                : SafeNames.resolve(data, "uid", "visual_frames", c.id());
                        Files.createDirectories(fd);
                        String name = s4 ? c.id() + "_" + (k + 1) + ".png" : c.id() + ".mp4_" + (k + 1) + ".png";
                        int[] rp = resizeBilinear(px, c.width(), c.height(), w, h);
                        ImageFiles.writeRgbPng(fd.resolve(name), w, h, rp);
                        frames++;
                    }
                }
            }
            if (opt.writeAudio()) {
                Path ad = s4 ? SafeNames.resolve(data, "uid", "audio_wav", split, category)
                        : SafeNames.resolve(data, "uid", "audio_wav", split);
                Files.createDirectories(ad);
                if (writeAudio(c, ad.resolve(c.id() + ".wav"))) {
                    audio++;
                }
            }
            csv.add(s4 ? c.id() + "," + Math.round(c.mediaStart()) + "," + category + "," + split : c.id() + "," + split);
            progress.report(++done, p.clips().size(), "exported " + c.id());
        }
        Files.createDirectories(out);
        Files.write(out.resolve(s4 ? "s4_meta_data.csv" : "ms3_meta_data.csv"), csv);
        return new Summary(p.clips().size(), labelFrames, frames, audio, null);
    }

    private static String category(Clip c) {
        String cat = c.attributes().get("category");
        if (cat != null) {
            return cat;
        }
        for (SoundingObject o : c.objects()) {
            if (o.frames().values().stream().anyMatch(f -> f.sound().isSounding())) {
                return o.label().toLowerCase(Locale.ROOT).replace(' ', '_');
            }
        }
        return "unknown";
    }

    /** Bilinear resize of 0xRRGGBB pixels (centre-aligned), for frames only. */
    static int[] resizeBilinear(int[] src, int w, int h, int nw, int nh) {
        if (w == nw && h == nh) {
            return src;
        }
        int[] dst = new int[nw * nh];
        double sx = (double) w / nw;
        double sy = (double) h / nh;
        for (int y = 0; y < nh; y++) {
            double fy = Math.max(0, Math.min(h - 1, (y + 0.5) * sy - 0.5));
            int y0 = (int) fy;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < nw; x++) {
                double fx = Math.max(0, Math.min(w - 1, (x + 0.5) * sx - 0.5));
                int x0 = (int) fx;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = fx - x0;
                int v = 0;
                for (int sh = 16; sh >= 0; sh -= 8) {
                    double a = (src[y0 * w + x0] >> sh & 255) * (1 - tx) + (src[y0 * w + x1] >> sh & 255) * tx;
                    double b = (src[y1 * w + x0] >> sh & 255) * (1 - tx) + (src[y1 * w + x1] >> sh & 255) * tx;
                    v |= ((int) Math.round(a * (1 - ty) + b * ty)) << sh;
                }
                dst[y * nw + x] = v;
            }
        }
        return dst;
    }
}
