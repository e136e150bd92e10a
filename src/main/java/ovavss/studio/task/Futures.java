package ovavss.studio.task;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** What a caller does with the failure of work it handed to another thread. */
public final class Futures {
    private Futures() {
    }

    /**
     * Rethrows the cause of {@code e} as it was thrown on the worker when it is an
     * {@link IOException}, a {@link RuntimeException} or an {@link Error}; any other cause comes back
     * wrapped by {@code wrap}, for the caller to throw.
     */
    public static <X extends Exception> X unwrap(ExecutionException e, Function<Throwable, X> wrap) throws IOException {
        Throwable cause = e.getCause();
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException re) {
            throw re;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return wrap.apply(cause);
    }

    /** What failed: the cause a {@link java.util.concurrent.CompletionException} wraps, else the failure itself. */
    public static Throwable cause(Throwable failure) {
        return failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
    }
}
