package ovavss.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash recovery without a toolkit: sessions are {@link SessionRecovery} instances over one temp
 * root. A crash is a real killed child process once, otherwise a session whose marker is made to
 * name a process that is gone.
 */
class SessionRecoveryTest {
    @TempDir
    Path root;

    private final ExecutorService io = Executors.newSingleThreadExecutor();
    private final ProjectStore store = new ProjectStore(false);

    @AfterEach
    void tearDown() {
        io.shutdownNow();
    }

    /** A project with {@code objects} objects on one clip: work worth restoring. */
    static Project edited(String name, int objects) {
        Clip c = Clip.of("clip", "media.mp4", 3, 32, 24);
        for (int i = 1; i <= objects; i++) {
            TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
            frames.put(0, ObjectFrame.human(MaskOps.polygon(32, 24, new double[] {1, 1, 5 + i, 1, 5 + i, 9, 1, 9}),
                    SoundFlag.SOUNDING));
            c = c.withObject(new SoundingObject("o" + i, "thing", i, frames));
        }
        return new Project(name, Vocabulary.empty(), List.of(c), Map.of());
    }

    private SessionRecovery session(AtomicReference<Project> current) {
        SessionRecovery s = new SessionRecovery(root, store, io, current::get, Duration.ofMillis(20),
                Duration.ofMillis(50));
        return s;
    }

    /** Makes a live session look like one whose process died (its pid is now someone else's). */
    private static void killOnPaper(SessionRecovery s) throws Exception {
        SessionRecovery.Marker m = SessionRecovery.readMarker(s.sessionDir()).orElseThrow();
        SessionRecovery.writeMarker(s.sessionDir(), new SessionRecovery.Marker(m.pid(), 1_000, m.startedMillis(),
                m.projectFolder()));
    }

    private static boolean hasCopy(SessionRecovery s) throws Exception {
        if (!Files.isDirectory(s.sessionDir())) {
            return false;
        }
        try (Stream<Path> st = Files.list(s.sessionDir())) {
            return st.anyMatch(p -> p.getFileName().toString().startsWith(SessionRecovery.COPY_PREFIX)
                    && Files.isRegularFile(p.resolve(ProjectStore.MANIFEST)));
        }
    }

    private void settle() throws Exception {
        io.submit(() -> { }).get(10, TimeUnit.SECONDS);
    }

    @Test
    void markerOfADeadProcessMeansACrashAndALiveOneDoesNot() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), RecoveryChild.class.getName(), root.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line = r.readLine();
            assertTrue(line != null && line.startsWith("COPIED"), "child copied its work: " + line);

            List<SessionRecovery.Crashed> whileAlive = session(new AtomicReference<>(Project.empty("a")))
                    .begin().get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), whileAlive, "a running instance is not a crash");
            assertTrue(SessionRecovery.isAlive(child.pid(), child.info().startInstant().orElseThrow().toEpochMilli()));

            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        assertFalse(SessionRecovery.isAlive(child.pid(), 0), "a killed process is gone");
        List<SessionRecovery.Crashed> after = session(new AtomicReference<>(Project.empty("b")))
                .begin().get(10, TimeUnit.SECONDS);
        assertEquals(1, after.size(), after.toString());
        SessionRecovery.Crashed c = after.get(0);
        assertEquals(child.pid(), c.pid());
        assertTrue(c.hasUnsavedCopy());
        assertEquals(edited("child", 3), c.unsaved(), "the copy holds the child's last edit");
    }

    @Test
    void aReusedPidIsNotTheSameProcess() {
        long me = ProcessHandle.current().pid();
        long started = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
        assertTrue(SessionRecovery.isAlive(me, started));
        assertTrue(SessionRecovery.isAlive(me, 0), "start time unknown: the pid decides");
        assertFalse(SessionRecovery.isAlive(me, started - 3_600_000), "same pid, another start: another process");
    }

    @Test
    void copyIsWrittenAfterEditsAndFoundByTheNextSession() throws Exception {
        AtomicReference<Project> work = new AtomicReference<>(Project.empty("Untitled"));
        SessionRecovery first = session(work);
        assertEquals(List.of(), first.begin().get(10, TimeUnit.SECONDS));
        assertFalse(hasCopy(first), "nothing edited, nothing copied");

        work.set(edited("Untitled", 1));
        first.markDirty();
        work.set(edited("Untitled", 2));
        first.markDirty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!hasCopy(first) && System.nanoTime() < deadline) {
            Thread.sleep(20); // the debounced copy, without a flush
        }
        assertTrue(hasCopy(first), "the debounced copy was written");
        first.flush().get(10, TimeUnit.SECONDS);
        Instant copied = Instant.now();

        killOnPaper(first);
        List<SessionRecovery.Crashed> found = session(new AtomicReference<>(Project.empty("next")))
                .begin().get(10, TimeUnit.SECONDS);
        assertEquals(1, found.size());
        SessionRecovery.Crashed c = found.get(0);
        assertEquals(first.sessionDir(), c.sessionDir());
        assertEquals(edited("Untitled", 2), c.unsaved(), "the last edit");
        assertNull(c.projectFolder());
        assertFalse(c.savedAt().isAfter(copied.plusSeconds(1)));
    }

    @Test
    void cleanExitRemovesTheMarkerAndTheCopy() throws Exception {
        AtomicReference<Project> work = new AtomicReference<>(edited("w", 1));
        SessionRecovery s = session(work);
        s.begin().get(10, TimeUnit.SECONDS);
        s.markDirty();
        s.flush().get(10, TimeUnit.SECONDS);
        assertTrue(hasCopy(s));
        assertTrue(Files.isRegularFile(s.sessionDir().resolve(SessionRecovery.MARKER)));

        s.close().get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(s.sessionDir()), "marker and copy are gone");
        // An edit after the exit writes nothing. A copy it had started would be written now by the
        // flush, so the assertion below sees it instead of racing its timer.
        s.markDirty();
        s.flush().get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(s.sessionDir()), "an edit after the exit wrote a copy");
        assertEquals(List.of(), session(new AtomicReference<>(Project.empty("n"))).begin().get(10, TimeUnit.SECONDS));
    }

    @Test
    void twoRunningInstancesKeepTheirOwnCopies() throws Exception {
        SessionRecovery a = session(new AtomicReference<>(edited("a", 1)));
        SessionRecovery b = session(new AtomicReference<>(edited("b", 2)));
        assertEquals(List.of(), a.begin().get(10, TimeUnit.SECONDS));
        a.markDirty();
        a.flush().get(10, TimeUnit.SECONDS);
        assertEquals(List.of(), b.begin().get(10, TimeUnit.SECONDS), "a runs: its copy is not b's to take");
        b.markDirty();
        b.flush().get(10, TimeUnit.SECONDS);
        assertTrue(hasCopy(a) && hasCopy(b));

        b.close().get(10, TimeUnit.SECONDS);
        assertTrue(hasCopy(a), "b's clean exit leaves a's copy alone");
        assertFalse(Files.exists(b.sessionDir()));
    }

    @Test
    void savingIntoAFolderDropsTheCopyAndACrashThenPointsAtTheFolder(@TempDir Path projects) throws Exception {
        AtomicReference<Project> work = new AtomicReference<>(edited("w", 1));
        SessionRecovery s = session(work);
        s.begin().get(10, TimeUnit.SECONDS);
        s.markDirty();
        s.flush().get(10, TimeUnit.SECONDS);
        assertTrue(hasCopy(s));

        Path folder = projects.resolve("saved");
        store.save(work.get(), folder);
        s.projectFolderChanged(folder);
        settle();
        assertFalse(hasCopy(s), "the folder has its own autosave");
        // Edits now go to the folder's autosave, not here. A copy this edit had started would be
        // written now by the flush, so the assertion below sees it instead of racing its timer.
        s.markDirty();
        s.flush().get(10, TimeUnit.SECONDS);
        assertFalse(hasCopy(s), "an edit of a saved project wrote a recovery copy");

        killOnPaper(s);
        List<SessionRecovery.Crashed> found = session(new AtomicReference<>(Project.empty("n")))
                .begin().get(10, TimeUnit.SECONDS);
        assertEquals(1, found.size());
        assertFalse(found.get(0).hasUnsavedCopy());
        assertEquals(folder.toAbsolutePath(), found.get(0).projectFolder());
    }

    @Test
    void leftoversWithNothingToRestoreAreRemovedQuietly() throws Exception {
        SessionRecovery bare = session(new AtomicReference<>(Project.empty("bare")));
        bare.begin().get(10, TimeUnit.SECONDS);
        // a clip and the vocabulary the model seeds, but no object
        SessionRecovery clipsOnly = session(new AtomicReference<>(Project.empty("clips")
                .withClip(Clip.of("c", "m.mp4", 2, 8, 8))
                .withVocabulary(Vocabulary.empty().with(VocabularyEntry.of("dog", 0x804000)))));
        clipsOnly.begin().get(10, TimeUnit.SECONDS);
        clipsOnly.markDirty();
        clipsOnly.flush().get(10, TimeUnit.SECONDS);
        assertTrue(hasCopy(clipsOnly));
        killOnPaper(bare);
        killOnPaper(clipsOnly);

        SessionRecovery next = session(new AtomicReference<>(Project.empty("n")));
        assertEquals(List.of(), next.begin().get(10, TimeUnit.SECONDS), "no object, no offer");
        assertFalse(Files.exists(bare.sessionDir()));
        assertFalse(Files.exists(clipsOnly.sessionDir()));
        assertTrue(Files.exists(next.sessionDir()), "the new session's own marker stays");
    }

    @Test
    void discardDeletesTheCrashedSessionsFolder() throws Exception {
        SessionRecovery s = session(new AtomicReference<>(edited("w", 1)));
        s.begin().get(10, TimeUnit.SECONDS);
        s.markDirty();
        s.flush().get(10, TimeUnit.SECONDS);
        killOnPaper(s);
        SessionRecovery next = session(new AtomicReference<>(Project.empty("n")));
        SessionRecovery.Crashed c = next.begin().get(10, TimeUnit.SECONDS).get(0);
        next.discard(c).get(10, TimeUnit.SECONDS);
        assertFalse(Files.exists(s.sessionDir()));
        assertEquals(List.of(), session(new AtomicReference<>(Project.empty("m"))).begin().get(10, TimeUnit.SECONDS));
    }
}
