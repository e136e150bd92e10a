package ovavss.studio.task;

import java.util.concurrent.CancellationException;

/**
 * Cooperative cancellation flag. Jobs call {@link #check()} between units of work (an inference
 * window, a spectrogram tile, an exported clip); nothing is ever interrupted mid-step.
 */
public final class Cancellation {
    public static final Cancellation NEVER = new Cancellation();

    private volatile boolean cancelled;

    public void cancel() {
        if (this != NEVER) {
            cancelled = true;
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** @throws CancellationException when cancellation was requested */
    public void check() {
        if (cancelled) {
            throw new CancellationException("cancelled");
        }
    }
}
