package ovavss.studio.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import ovavss.studio.app.predict.PredictedMask;

/**
 * The job's Parquet tables. {@code predictions}: one row per predicted object and keyframe, its mask
 * the pixels it owns in that keyframe's label PNG as COCO RLE ({@code mask_rle} with
 * {@code [mask_height, mask_width]}, pycocotools' compressed counts). {@code failures}: one row per
 * clip that could not be predicted.
 */
final class PredictionTables {
    static final StructType PREDICTIONS = new StructType(new StructField[] {
        field("clip", DataTypes.StringType, false),
        field("subset", DataTypes.StringType, false),
        field("uid", DataTypes.StringType, false),
        field("keyframe", DataTypes.IntegerType, false),
        field("object_id", DataTypes.IntegerType, false),
        field("window", DataTypes.IntegerType, false),
        field("query", DataTypes.IntegerType, false),
        field("label_id", DataTypes.IntegerType, false),
        field("label", DataTypes.StringType, false),
        field("score", DataTypes.FloatType, false),
        field("clip_score", DataTypes.FloatType, false),
        field("sound_score", DataTypes.FloatType, false),
        field("mask_height", DataTypes.IntegerType, false),
        field("mask_width", DataTypes.IntegerType, false),
        field("mask_area", DataTypes.IntegerType, false),
        field("mask_rle", DataTypes.StringType, false),
        field("bundle_sha256", DataTypes.StringType, false),
    });

    static final StructType FAILURES = new StructType(new StructField[] {
        field("clip", DataTypes.StringType, false),
        field("media", DataTypes.StringType, false),
        field("reason", DataTypes.StringType, false),
    });

    private PredictionTables() {
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type, boolean nullable) {
        return DataTypes.createStructField(name, type, nullable);
    }

    /** The predictions rows of one clip (key {@code <subset>/<uid>}). */
    static ArrayList<Row> rows(String key, List<PredictedMask> masks, String bundleSha256) {
        int slash = key.lastIndexOf('/');
        String subset = slash > 0 ? key.substring(0, slash) : "";
        String uid = key.substring(slash + 1);
        ArrayList<Row> out = new ArrayList<>(masks.size());
        for (PredictedMask m : masks) {
            out.add(RowFactory.create(key, subset, uid, m.keyframe(), m.objectId(), m.window(), m.query(), m.labelId(),
                    m.label(), m.score(), m.clipScore(), m.soundScore(), m.height(), m.width(), m.area(), m.rle(),
                    bundleSha256));
        }
        return out;
    }

    static Row failure(ClipResult r) {
        return RowFactory.create(r.key(), r.media(), r.reason());
    }
}
