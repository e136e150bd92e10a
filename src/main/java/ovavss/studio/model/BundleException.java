package ovavss.studio.model;

/** A model bundle that cannot be used; the message names the file and the problem for the user. */
public class BundleException extends Exception {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
