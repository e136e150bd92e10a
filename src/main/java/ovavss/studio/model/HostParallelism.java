package ovavss.studio.model;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Splits the host post-processing's independent items (queries to upsample, CLIP crops to cut)
 * into contiguous ranges run on a pool while the calling thread waits. Each index writes only its
 * own slice of the outputs, so the result is the same as one thread's, bit for bit.
 *
 * <p>Why: with a full-size model every query can be valid in every frame (500 crops a window), and
 * cutting them on the inference thread alone took seconds a window, far more than a GPU's forward.
 */
final class HostParallelism {
    /** Everything on the calling thread (tests, golden parity, small windows). */
    static final HostParallelism SEQUENTIAL = new HostParallelism(null, 1);

    /** Below this many items a range is not worth a hand-off. */
    private static final int MIN_ITEMS_PER_RANGE = 4;

    @FunctionalInterface
    interface RangeBody {
        /** Items [from, to); called once per range, so per-range scratch buffers stay private. */
        void run(int from, int to);
    }

    private final ExecutorService pool;
    private final int parallelism;

    /** @param pool threads owned by the caller (it shuts them down); null runs on the calling thread */
    HostParallelism(ExecutorService pool, int parallelism) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        this.pool = pool;
        this.parallelism = pool == null ? 1 : parallelism;
    }

    int parallelism() {
        return parallelism;
    }

    /** Runs {@code body} over [0, n) in at most {@link #parallelism()} ranges and waits for all. */
    void forRanges(int n, RangeBody body) {
        int ranges = Math.min(parallelism, n / MIN_ITEMS_PER_RANGE);
        if (ranges <= 1) {
            if (n > 0) {
                body.run(0, n);
            }
            return;
        }
        List<Future<?>> running = new ArrayList<>(ranges - 1);
        // the calling thread takes the first range itself instead of idling
        for (int i = 1; i < ranges; i++) {
            int from = (int) ((long) n * i / ranges);
            int to = (int) ((long) n * (i + 1) / ranges);
            running.add(pool.submit(() -> body.run(from, to)));
        }
        RuntimeException failure = null;
        try {
            body.run(0, (int) ((long) n / ranges));
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                running.forEach(r -> r.cancel(true));
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during host post-processing", e);
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException re ? re
                            : new IllegalStateException(e.getCause().toString(), e.getCause());
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
