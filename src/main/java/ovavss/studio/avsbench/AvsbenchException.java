package ovavss.studio.avsbench;

/** A user-facing problem with AVSBench data: bad layout, unsafe names, unreadable files. */
public class AvsbenchException extends RuntimeException {
    public AvsbenchException(String message) {
        super(message);
    }

    public AvsbenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
