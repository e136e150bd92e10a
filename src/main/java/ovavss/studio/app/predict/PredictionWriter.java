package ovavss.studio.app.predict;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import ovavss.studio.avsbench.ImageFiles;
import ovavss.studio.avsbench.Palette;
import ovavss.studio.files.AtomicFiles;
import ovavss.studio.model.Labelling;
import ovavss.studio.model.ObjectPrediction;
import ovavss.studio.model.PostProcessSettings;
import ovavss.studio.model.WindowAnalysis;

/**
 * Writes one clip's prediction as {@code predict} does: {@code labels_semantic/k.png} (grey label
 * ids, class c of the vocabulary as c+1), {@code labels_rgb/k.png} (palette colours) and
 * {@code predictions.json}; and, when asked, the same objects as {@link PredictedMask} rows whose
 * masks are exactly the pixels each object owns in those label maps.
 */
public final class PredictionWriter {
    /** The file a clip's output is complete with (written last). */
    public static final String PREDICTIONS_JSON = "predictions.json";

    private PredictionWriter() {
    }

    /**
     * Writes the clip into {@code dir} (created as needed).
     *
     * @param withMasks whether to return the objects' masks as rows (the Parquet table), else an
     *     empty list
     * @return the rows: one per kept object and real keyframe of its window, in window, object and
     *     keyframe order; {@code objectId} is the object's index in {@code predictions.json}
     */
    public static List<PredictedMask> write(Path dir, Labelling l, List<String> names, PostProcessSettings s,
                                            boolean withMasks) throws IOException {
        Path sem = dir.resolve("labels_semantic");
        Path rgb = dir.resolve("labels_rgb");
        Files.createDirectories(sem);
        Files.createDirectories(rgb);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        ArrayNode vocab = root.putArray("vocabulary");
        names.forEach(vocab::add);
        root.put("method", l.method().id());
        root.put("score_threshold", s.scoreThreshold());
        root.put("sound_gate", s.soundGate());
        ArrayNode objects = root.putArray("objects");
        List<PredictedMask> rows = new ArrayList<>();
        int firstObjectId = 0;
        for (int w = 0; w < l.windowCount(); w++) {
            WindowAnalysis a = l.window(w);
            List<ObjectPrediction> kept = l.objects(w);
            int[][] owners = l.ownerMaps(w);
            int width = a.geometry().sourceWidth();
            int height = a.geometry().sourceHeight();
            for (int f = 0; f < a.realFrames(); f++) {
                int k = a.firstKeyframe() + f;
                int[] owner = owners[f];
                byte[] grey = new byte[owner.length];
                int[] colours = new int[owner.length];
                for (int i = 0; i < grey.length; i++) {
                    int id = owner[i] < 0 ? 0 : kept.get(owner[i]).classIndex() + 1;
                    grey[i] = (byte) Math.min(255, id);
                    colours[i] = Palette.rgb(id);
                }
                AtomicFiles.writeWith(sem.resolve(k + ".png"), t -> ImageFiles.writeGreyPng(t, width, height, grey));
                AtomicFiles.writeWith(rgb.resolve(k + ".png"), t -> ImageFiles.writeRgbPng(t, width, height, colours));
            }
            for (int j = 0; j < kept.size(); j++) {
                ObjectPrediction o = kept.get(j);
                ObjectNode n = objects.addObject();
                n.put("window", o.window());
                n.put("query", o.query());
                n.put("label", o.label());
                n.put("label_id", o.classIndex() + 1);
                n.put("score", o.score());
                n.put("clip_score", o.clipScore());
                n.put("sound_score", o.soundScore());
                ArrayNode kf = n.putArray("keyframes");
                for (int k : o.keyframes()) {
                    kf.add(k);
                }
                if (withMasks) {
                    for (int f = 0; f < a.realFrames(); f++) {
                        boolean[] mask = new boolean[owners[f].length];
                        int area = 0;
                        for (int i = 0; i < mask.length; i++) {
                            mask[i] = owners[f][i] == j;
                            area += mask[i] ? 1 : 0;
                        }
                        rows.add(new PredictedMask(a.firstKeyframe() + f, firstObjectId + j, o.window(), o.query(),
                                o.classIndex() + 1, o.label(), o.score(), o.clipScore(), o.soundScore(), height,
                                width, area, CocoRle.encode(mask, height, width)));
                    }
                }
            }
            firstObjectId += kept.size();
        }
        byte[] bytes = json.writeValueAsBytes(root);
        AtomicFiles.writeWith(dir.resolve(PREDICTIONS_JSON), t -> Files.write(t, bytes));
        return List.copyOf(rows);
    }
}
