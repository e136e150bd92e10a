package ovavss.studio.app.export;

/**
 * An export request that is refused before anything is written: a destination that exists and is
 * not empty or overlaps an input, an unsafe name in the project, an impossible option. The faces
 * show its message as it is (the command line exits with status 2).
 */
public final class ExportException extends RuntimeException {
    public ExportException(String message) {
        super(message);
    }

    public ExportException(String message, Throwable cause) {
        super(message, cause);
    }
}
