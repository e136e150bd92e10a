package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills child JVMs (SIGKILL) at random moments while they save a project, 200+ saves in all,
 * and checks after every kill that the project loads, is internally consistent, has lost no
 * acknowledged save, and (with the default autosave) lost at most about the last second of edits.
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    private final Random random = new Random(20261122);

    private record Run(int lastAck, long killMillis, int saves) {
    }

    private Run runChild(String mode, long minMs, long maxMs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicInteger lastAck = new AtomicInteger(-1);
        AtomicInteger count = new AtomicInteger();
        CountDownLatch first = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("S ")) {
                        lastAck.set(Integer.parseInt(line.substring(2).trim()));
                        count.incrementAndGet();
                        first.countDown();
                    }
                }
            } catch (Exception e) {
                // stream closes when the child dies
            }
        });
        reader.setDaemon(true);
        reader.start();
        assertTrue(first.await(60, TimeUnit.SECONDS), "child saved once");
        Thread.sleep(minMs + (long) (random.nextDouble() * (maxMs - minMs)));
        int ackBeforeKill = lastAck.get();
        long kill = System.currentTimeMillis();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        reader.join(30_000); // every ack the child flushed before it died is read (a loaded machine is slow to)
        // a line may arrive between reading lastAck and the kill: it is still acknowledged
        return new Run(Math.max(ackBeforeKill, lastAck.get()), kill, count.get());
    }

    private Project loadAndCheck() {
        ProjectStore.Loaded l = new ProjectStore().load(dir);
        Project p = l.project();
        int c = CrashChild.counter(p);
        long t = Long.parseLong(p.properties().get("t"));
        assertEquals(CrashChild.state(c, t), p, "manifest and mask payload belong together");
        return p;
    }

    @Test
    void projectSurvivesKillsDuringSaves() throws Exception {
        long start = System.nanoTime();
        int saves = 0;
        int kills = 0;
        int recoveredFromBackup = 0;
        while (saves < 220 || kills < 6) {
            Run r = runChild("saves", 100, 1200);
            kills++;
            saves += r.saves();
            ProjectStore.Loaded l = new ProjectStore().load(dir);
            recoveredFromBackup += l.recoveredFromBackup() ? 1 : 0;
            int c = CrashChild.counter(loadAndCheck());
            assertTrue(c >= r.lastAck(), "acknowledged save " + r.lastAck() + " lost (loaded " + c + ")");
            assertTrue(c <= r.lastAck() + 1, "loaded " + c + " but only " + r.lastAck() + " acknowledged");
        }
        List<Long> lostMillis = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Run r = runChild("autosave", 200, 2500);
            kills++;
            saves += r.saves();
            Project p = loadAndCheck();
            assertTrue(CrashChild.counter(p) >= r.lastAck());
            long lost = r.killMillis() - Long.parseLong(p.properties().get("t"));
            lostMillis.add(lost);
            // quiet 1 s / max latency 750 ms + save time; slack for a loaded machine
            assertTrue(lost <= 1500, "lost " + lost + " ms of edits");
        }
        System.out.printf("crash test: %d kills during %d saves, %d recovered from .bak, autosave lost %s ms, %.1f s%n",
                kills, saves, recoveredFromBackup, lostMillis, (System.nanoTime() - start) / 1e9);
        assertTrue(saves >= 200);
    }
}
