package ovavss.studio.media;

/** A media file or folder that cannot be opened or decoded; the message is meant for the user. */
public class MediaException extends Exception {
    public MediaException(String message) {
        super(message);
    }

    public MediaException(String message, Throwable cause) {
        super(message, cause);
    }
}
