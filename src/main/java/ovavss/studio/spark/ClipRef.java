package ovavss.studio.spark;

import java.io.Serializable;
import java.nio.file.Path;
import ovavss.studio.app.predict.PredictionInputs;

/** A clip as a Spark record: its media path and output key. */
record ClipRef(String media, String key) implements Serializable {
    static ClipRef of(PredictionInputs.Clip c) {
        return new ClipRef(c.media().toString(), c.key());
    }

    PredictionInputs.Clip clip() {
        return new PredictionInputs.Clip(Path.of(media), key);
    }
}
