package ovavss.studio.annotation;

/** A user-facing problem with annotation data (bad input, unreadable project, invalid edit). */
public class AnnotationException extends RuntimeException {
    public AnnotationException(String message) {
        super(message);
    }

    public AnnotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
