package ovavss.studio.annotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
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

    @Test
    void autosaveDebouncesAndNeverStarves() throws Exception {
        ProjectStore store = new ProjectStore(false);
        EditHistory h = new EditHistory(sample(0));
        List<Long> saves = new CopyOnWriteArrayList<>();
        try (AutosaveService auto = new AutosaveService(store, dir, h::current, Duration.ofMillis(200), Duration.ofMillis(400))) {
            auto.setListener(new AutosaveService.Listener() {
                @Override
                public void saved(Project project, long millis) {
                    saves.add(System.nanoTime());
                    assertEquals("ovavss-autosave", Thread.currentThread().getName());
                    assertTrue(Thread.currentThread().isDaemon());
                }

                @Override
                public void failed(Exception error) {
                }
            });
            h.addListener(p -> auto.markDirty());
            // a burst of edits: one save, about 200 ms after the last
            for (int i = 1; i <= 5; i++) {
                h.apply(EditCommand.of("n", p -> p.withProperty("counter", "x" + System.nanoTime())));
                Thread.sleep(20);
            }
            assertTrue(saves.isEmpty());
            Thread.sleep(600);
            assertEquals(1, saves.size());
            // continuous edits for 1.3 s: saves still happen (max latency 400 ms)
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1300);
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                h.apply(EditCommand.of("n", p -> p.withProperty("counter", "y" + System.nanoTime())));
                assertTrue(System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(100), "edits never wait for saves");
                Thread.sleep(10);
            }
            assertTrue(saves.size() >= 3, "saves during continuous editing: " + saves.size());
            h.apply(EditCommand.of("last", p -> p.withProperty("counter", "final")));
        }
        assertEquals("final", store.load(dir).project().properties().get("counter"), "close() flushes");
        assertNotEquals(0, saves.size());
    }
}
