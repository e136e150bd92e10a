package ovavss.studio.task;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the app makes threads: named (so a thread dump says whose they are), daemon (a
 * forgotten worker never keeps the JVM alive after the window closes) and with an uncaught-exception
 * handler that logs (a worker dying silently is the hardest bug to find).
 */
public final class NamedThreads implements ThreadFactory {
    private static final Logger LOG = LoggerFactory.getLogger(NamedThreads.class);

    private final String name;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    private NamedThreads(String name, boolean numbered) {
        this.name = name;
        this.numbered = numbered;
    }

    /** Every thread gets exactly {@code name}: for single-thread executors. */
    public static ThreadFactory named(String name) {
        return new NamedThreads(name, false);
    }

    /** Threads are called {@code prefix-1}, {@code prefix-2}, …: for pools. */
    public static ThreadFactory numbered(String prefix) {
        return new NamedThreads(prefix, true);
    }

    /** Starts {@code work} on a new named daemon thread. */
    public static Thread start(String name, Runnable work) {
        Thread t = named(name).newThread(work);
        t.start();
        return t;
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, numbered ? name + "-" + count.incrementAndGet() : name);
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.error("uncaught in thread {}", th.getName(), e));
        return t;
    }
}
