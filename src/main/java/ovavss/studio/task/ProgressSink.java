package ovavss.studio.task;

/** Receives progress snapshots from a worker; implementations must be cheap and thread-safe. */
@FunctionalInterface
public interface ProgressSink {
    ProgressSink NONE = p -> { };

    void report(Progress progress);

    default void report(long done, long total, String message) {
        report(new Progress(done, total, message));
    }
}
