package ovavss.studio.task;

import java.util.concurrent.atomic.AtomicReference;

/** A lock-free {@link ProgressSink} holding only the newest snapshot, for the UI to sample. */
public final class LatestProgress implements ProgressSink {
    private final AtomicReference<Progress> latest = new AtomicReference<>(Progress.IDLE);

    @Override
    public void report(Progress progress) {
        latest.set(progress);
    }

    public Progress get() {
        return latest.get();
    }
}
