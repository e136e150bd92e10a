package ovavss.studio.app.predict;

/**
 * A prediction request refused before any model work: no clip found, a split without metadata, an
 * unreadable or empty vocabulary file, an impossible shard. Faces show its message (exit status 2).
 */
public final class PredictionException extends RuntimeException {
    public PredictionException(String message) {
        super(message);
    }
}
