package ovavss.studio.model;

/** A model call that failed at run time (bad shape, native error); the message is user-facing. */
public class InferenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InferenceException(String message) {
        super(message);
    }

    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
