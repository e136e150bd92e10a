package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectStoreTest {
    @TempDir
    Path dir;

    static Project sample(int counter) {
        Mask m = MaskOps.polygon(64, 48, new double[] {3, 3, 30 + counter % 20, 3, 20, 40});
        TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
        frames.put(0, ObjectFrame.human(m, SoundFlag.SOUNDING));
        frames.put(2, ObjectFrame.model(m.invert(), SoundFlag.SILENT, 0.42));
        Clip c = new Clip("uid_0_3000", "/data/clip.mp4", 1.5, 3.2, List.of(0.0, 1.0, 2.5), 64, 48,
                List.of(new SoundingObject("o1", "dog", 2, frames), SoundingObject.of("o2", "red-circle")),
                Map.of("split", "test", "vid", "uid"));
        return new Project("demo", new Vocabulary(List.of(
                new VocabularyEntry("dog", 0x804000, 17, ClassSplit.BASE, List.of("puppy", "hound")),
                VocabularyEntry.of("red-circle", 0xff0000)), null),
                List.of(c, Clip.of("empty", "/data/e.wav", 0, 8, 8)), Map.of("counter", Integer.toString(counter)));
    }

    @Test
    void saveLoadRoundTripIsExact() throws Exception {
        ProjectStore store = new ProjectStore();
        Project p = sample(7);
        store.save(p, dir);
        ProjectStore.Loaded l = store.load(dir);
        assertFalse(l.recoveredFromBackup());
        assertEquals(p, l.project());
        String json = Files.readString(dir.resolve(ProjectStore.MANIFEST));
        assertTrue(json.contains("\"schemaVersion\" : 1"), json);
        Project custom = p.withVocabulary(new Vocabulary(List.of(new VocabularyEntry("red-circle", 0x800000, 1,
                ClassSplit.NOVEL, List.of())), List.of("background", "red-circle", "blue-square")));
        store.save(custom, dir);
        assertEquals(custom, store.load(dir).project());
    }

    @Test
    void keepsOnlyPayloadsOfTheTwoManifests() throws Exception {
        ProjectStore store = new ProjectStore();
        for (int i = 0; i < 5; i++) {
            store.save(sample(i), dir);
        }
        try (Stream<Path> s = Files.list(dir.resolve(ProjectStore.MASK_DIR))) {
            assertEquals(2, s.count());
        }
        assertTrue(Files.exists(dir.resolve(ProjectStore.BACKUP)));
    }

    @Test
    void corruptOrMissingManifestFallsBackToBackupAndRestoresIt() throws Exception {
        ProjectStore store = new ProjectStore();
        store.save(sample(1), dir);
        store.save(sample(2), dir);
        Files.writeString(dir.resolve(ProjectStore.MANIFEST), "{ \"schemaVersion\": 1, \"name\": ");
        ProjectStore.Loaded l = store.load(dir);
        assertTrue(l.recoveredFromBackup());
        assertEquals(sample(1), l.project());
        assertTrue(l.problem().contains("unreadable"), l.problem());
        assertFalse(store.load(dir).recoveredFromBackup(), "main manifest restored");

        store.save(sample(3), dir);
        Files.delete(dir.resolve(ProjectStore.MANIFEST));
        assertEquals(sample(1), store.load(dir).project());
    }

    @Test
    void damagedPayloadIsDetected() throws Exception {
        ProjectStore store = new ProjectStore();
        store.save(sample(1), dir);
        store.save(sample(2), dir);
        String file = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve(ProjectStore.MANIFEST).toFile())
                .get("masks").get("file").asText();
        byte[] b = Files.readAllBytes(dir.resolve(file));
        b[b.length / 2] ^= 0x55;
        Files.write(dir.resolve(file), b);
        ProjectStore.Loaded l = store.load(dir);
        assertTrue(l.recoveredFromBackup());
        assertTrue(l.problem().contains("checksum"), l.problem());
        assertEquals(sample(1), l.project());
    }

    @Test
    void clearErrorsForNewerSchemaAndNonProjects() throws Exception {
        ProjectStore store = new ProjectStore();
        AnnotationException e = assertThrows(AnnotationException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        Files.writeString(dir.resolve(ProjectStore.MANIFEST), "{\"schemaVersion\": 99}");
        e = assertThrows(AnnotationException.class, () -> store.load(dir));
        assertTrue(e.getMessage().contains("newer version"), e.getMessage());
        assertThrows(AnnotationException.class, () -> store.load(dir.resolve("nope")));
    }

    @Test
    void migrationHookUpgradesOldManifests() throws Exception {
        ProjectStore store = new ProjectStore();
        store.save(sample(4), dir);
        // pretend an old schema 0 called the project "title"
        String json = Files.readString(dir.resolve(ProjectStore.MANIFEST))
                .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 0").replaceFirst("\"name\" :", "\"title\" :");
        Files.writeString(dir.resolve(ProjectStore.MANIFEST), json);
        ProjectStore.registerMigration(0, t -> {
            t.set("name", t.remove("title"));
            return t;
        });
        assertEquals(sample(4), store.load(dir).project());
    }

    /** One finished autosave as the listener saw it, with when and where its snapshot was taken. */
    private record Save(Project project, long snapshotNanos, String thread, boolean daemon) {
    }

    /**
     * Listener and snapshot supplier of an {@link AutosaveService} under test: every snapshot is
     * time-stamped when the service takes it, every finished save is queued for the test thread
     * (assertions made on the autosave thread would only count as a failed save), and every
     * failure is kept so a test can report it.
     */
    private static final class Saves implements AutosaveService.Listener {
        private final BlockingQueue<Save> saves = new LinkedBlockingQueue<>();
        private final Map<Project, Long> snapshotAt = new ConcurrentHashMap<>();
        private final List<Exception> failures = new CopyOnWriteArrayList<>();

        Supplier<Project> snapshotsOf(EditHistory h) {
            return () -> {
                Project p = h.current();
                snapshotAt.putIfAbsent(p, System.nanoTime());
                return p;
            };
        }

        @Override
        public void saved(Project project, long millis) {
            saves.add(new Save(project, snapshotAt.getOrDefault(project, -1L), Thread.currentThread().getName(),
                    Thread.currentThread().isDaemon()));
        }

        @Override
        public void failed(Exception error) {
            failures.add(error);
        }

        /** The next save, waiting at most {@code seconds}; fails the test when none comes. */
        Save next(int seconds, String what) throws InterruptedException {
            Save s = saves.poll(seconds, TimeUnit.SECONDS);
            assertTrue(s != null, "no autosave within " + seconds + " s: " + what + "; failures " + failures);
            return s;
        }
    }

    /** The latest of the ascending {@code times} not after {@code t}. */
    private static long lastBefore(List<Long> times, long t) {
        for (int i = times.size() - 1; i >= 0; i--) {
            if (times.get(i) <= t) {
                return times.get(i);
            }
        }
        throw new AssertionError("a snapshot before the first edit");
    }

    private String savedCounter() {
        return new ProjectStore().load(dir).project().properties().get("counter");
    }

    private static EditCommand setCounter(String value) {
        return EditCommand.of("counter " + value, p -> p.withProperty("counter", value));
    }

    @Test
    void autosaveWaitsUntilEditsAreQuietAndSavesTheWholeBurst() throws Exception {
        Duration quiet = Duration.ofMillis(300);
        EditHistory h = new EditHistory(sample(0));
        Saves saves = new Saves();
        // max latency out of reach: every save here must come from the quiet period
        try (AutosaveService auto = new AutosaveService(new ProjectStore(false), dir, saves.snapshotsOf(h), quiet,
                Duration.ofMinutes(10))) {
            auto.setListener(saves);
            h.addListener(p -> auto.markDirty());
            long[] started = new long[6];
            List<Save> seen = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                started[i] = System.nanoTime();
                h.apply(setCounter("x" + i));
                // paced by listening for saves: one that comes during the burst is checked like the rest
                Save during = saves.saves.poll(30, TimeUnit.MILLISECONDS);
                if (during != null) {
                    seen.add(during);
                }
            }
            while (seen.isEmpty() || seen.get(seen.size() - 1).project() != h.current()) {
                seen.add(saves.next(10, "after a burst of five edits"));
            }
            for (Save s : seen) {
                // a debounced save takes its snapshot at least `quiet` after the last edit it contains
                // (a lower bound the service keeps however slow the machine; no upper bound is assumed)
                int n = Integer.parseInt(s.project().properties().get("counter").substring(1));
                long waited = s.snapshotNanos() - started[n];
                assertTrue(s.snapshotNanos() > 0 && waited >= quiet.toNanos(),
                        "saved edit " + n + " only " + waited / 1_000_000 + " ms after it was made");
                assertEquals("ovavss-autosave", s.thread());
                assertTrue(s.daemon(), "the autosave thread is a daemon");
            }

            // nothing more to save: a flush (queued behind any due save) writes nothing new
            auto.flush().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), List.copyOf(saves.saves), "saves after the burst was saved");
            assertEquals(List.of(), saves.failures);
        }
        assertEquals("x5", savedCounter());
    }

    @Test
    void continuousEditingCannotStarveTheAutosave() throws Exception {
        EditHistory h = new EditHistory(sample(0));
        Saves saves = new Saves();
        try (AutosaveService auto = new AutosaveService(new ProjectStore(false), dir, saves.snapshotsOf(h),
                Duration.ofMillis(300), Duration.ofMillis(600))) {
            auto.setListener(saves);
            h.addListener(p -> auto.markDirty());
            // An edit every few milliseconds, so edits are never quiet for 300 ms: saves must come
            // from the max latency. A save taken after a stall of 300 ms (a busy machine) could be a
            // quiet one, so only saves whose snapshot came sooner after an edit are counted.
            List<Long> editStarts = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int latencySaves = 0;
            while (latencySaves < 3) {
                assertTrue(System.nanoTime() < deadline, "continuous editing starved the autosave: "
                        + latencySaves + " save(s) in 20 s of " + editStarts.size() + " edits");
                editStarts.add(System.nanoTime());
                h.apply(setCounter("y" + editStarts.size()));
                Save s = saves.saves.poll(10, TimeUnit.MILLISECONDS);
                if (s != null && s.snapshotNanos() - lastBefore(editStarts, s.snapshotNanos()) < 300_000_000L) {
                    latencySaves++;
                }
            }
            assertEquals(List.of(), saves.failures);
        }
    }

    @Test
    void editsNeverWaitForASaveInProgress() throws Exception {
        EditHistory h = new EditHistory(sample(0));
        CountDownLatch saving = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        // the first snapshot holds the autosave thread inside a save until the test lets it go
        Supplier<Project> snapshot = () -> {
            if (first.getAndSet(false)) {
                saving.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return h.current();
        };
        ExecutorService editor = Executors.newSingleThreadExecutor();
        try (AutosaveService auto = new AutosaveService(new ProjectStore(false), dir, snapshot, Duration.ofMillis(10),
                Duration.ofMillis(20))) {
            h.addListener(p -> auto.markDirty());
            h.apply(setCounter("before"));
            assertTrue(saving.await(10, TimeUnit.SECONDS), "the autosave started");
            Future<?> edits = editor.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    h.apply(setCounter("during" + i));
                }
            });
            try {
                edits.get(10, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("edits waited for the save in progress");
            } finally {
                release.countDown();
            }
        } finally {
            editor.shutdownNow();
        }
        assertEquals("during19", savedCounter(), "close() flushes");
    }

    @Test
    void closeFlushesWhatTheTimerHasNotSavedYet() throws Exception {
        EditHistory h = new EditHistory(sample(0));
        Saves saves = new Saves();
        // timers out of reach: only close() can save this edit
        try (AutosaveService auto = new AutosaveService(new ProjectStore(false), dir, saves.snapshotsOf(h),
                Duration.ofMinutes(10), Duration.ofMinutes(10))) {
            auto.setListener(saves);
            h.addListener(p -> auto.markDirty());
            h.apply(setCounter("final"));
        }
        assertEquals("final", savedCounter(), "close() flushes");
        assertEquals(h.current(), saves.next(1, "close() flushed").project());
    }
}
