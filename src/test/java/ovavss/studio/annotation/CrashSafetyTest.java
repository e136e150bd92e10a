package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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

    @TempDir
    Path ackDir;

    private final Random random = new Random(20261122);

    private record Run(int lastAck, long killMillis, int saves) {
    }

    private Run runChild(String mode, long minMs, long maxMs) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Path acks = Files.createTempFile(ackDir, "acks", ".txt");
        Process p = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), mode,
                acks.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged(acks).isEmpty()) {
            assertTrue(p.isAlive() && System.nanoTime() < deadline, "child saved once");
            Thread.sleep(5);
        }
        Thread.sleep(minMs + (long) (random.nextDouble() * (maxMs - minMs)));
        long kill = System.currentTimeMillis();
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        List<Integer> all = acknowledged(acks);
        Files.delete(acks);
        return new Run(all.get(all.size() - 1), kill, all.size());
    }

    /** The counters acknowledged so far: complete lines only (a kill may cut the last one). */
    private static List<Integer> acknowledged(Path acks) throws java.io.IOException {
        String text = Files.readString(acks, StandardCharsets.US_ASCII);
        List<Integer> out = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        for (String line : text.substring(0, end + 1).split("\n")) {
            if (line.startsWith("S ")) {
                out.add(Integer.parseInt(line.substring(2).trim()));
            }
        }
        return out;
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
