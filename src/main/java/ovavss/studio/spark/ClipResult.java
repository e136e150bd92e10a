package ovavss.studio.spark;

import java.io.Serializable;

/** A clip's outcome, sent from its task to the driver: status, reason when it failed, objects kept. */
record ClipResult(String key, String media, String status, String reason, int objects) implements Serializable {
}
