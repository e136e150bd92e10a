package ovavss.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import ovavss.studio.files.FileTrees;
import ovavss.studio.model.BundleException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Importing, naming and removing model bundles; a corrupt bundle is refused and leaves nothing. */
class BundleLibraryTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny").toAbsolutePath();
    private static final Path DEMO = Path.of("models/demo-avshapes").toAbsolutePath();

    @TempDir
    Path tmp;

    private static List<String> children(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void importListResolveAndRemove() throws Exception {
        Path user = tmp.resolve("data/bundles");
        BundleLibrary lib = new BundleLibrary(DEMO, user);
        assertEquals(List.of("demo-avshapes"), lib.list().stream().map(BundleLibrary.Entry::name).toList());
        BundleLibrary.Entry e = lib.importBundle(FileTrees.copy(TINY, tmp.resolve("src/tiny")));
        assertEquals("tiny", e.name());
        assertEquals(List.of("demo-avshapes", "tiny"), lib.list().stream().map(BundleLibrary.Entry::name).toList());
        assertEquals(user.resolve("tiny"), lib.resolve("tiny"));
        assertEquals(DEMO, lib.resolve("demo-avshapes"));
        assertEquals(Path.of("/some/folder"), lib.resolve("/some/folder"), "a path stays a path");
        BundleException unknown = assertThrows(BundleException.class, () -> lib.resolve("nosuch"));
        assertTrue(unknown.getMessage().contains("demo-avshapes, tiny"), unknown.getMessage());
        assertThrows(BundleException.class, () -> lib.importBundle(FileTrees.copy(TINY, tmp.resolve("again/tiny"))),
                "the name is taken");
        assertThrows(BundleException.class, () -> lib.remove("demo-avshapes"), "the installed one stays");
        lib.remove("tiny");
        assertEquals(List.of(), children(user));
    }

    @Test
    void aCorruptOrIncompleteBundleIsRefusedAndLeavesNothing() throws Exception {
        Path user = tmp.resolve("data/bundles");
        BundleLibrary lib = new BundleLibrary(DEMO, user);
        Path corrupt = FileTrees.copy(TINY, tmp.resolve("src/corrupt"));
        byte[] g = Files.readAllBytes(corrupt.resolve("segmenter.pt"));
        g[g.length / 2] ^= 0x5a;
        Files.write(corrupt.resolve("segmenter.pt"), g);
        BundleException e1 = assertThrows(BundleException.class, () -> lib.importBundle(corrupt));
        assertTrue(e1.getMessage().contains("SHA-256"), e1.getMessage());
        Path incomplete = FileTrees.copy(TINY, tmp.resolve("src/incomplete"));
        Files.delete(incomplete.resolve("clip_text.pt"));
        BundleException e2 = assertThrows(BundleException.class, () -> lib.importBundle(incomplete));
        assertTrue(e2.getMessage().contains("missing"), e2.getMessage());
        assertEquals(List.of(), children(user), "nothing half-imported");
        assertEquals(List.of(), children(user.getParent()).stream().filter(n -> n.startsWith(".")).toList());
        assertFalse(lib.list().stream().anyMatch(x -> x.name().equals("corrupt")));
    }

    @Test
    void theDefaultIsTheUsersChoiceWhileItIsThereElseTheInstalledOne() throws Exception {
        Path user = tmp.resolve("data/bundles");
        Path defaultFile = tmp.resolve("config/default-bundle");
        BundleLibrary lib = new BundleLibrary(DEMO, user, defaultFile);
        assertEquals(DEMO, lib.defaultBundle());
        lib.importBundle(FileTrees.copy(TINY, tmp.resolve("src/tiny")));
        assertThrows(BundleException.class, () -> lib.setDefault("nosuch"));
        lib.setDefault("tiny");
        assertEquals(user.resolve("tiny"), new BundleLibrary(DEMO, user, defaultFile).defaultBundle());
        lib.remove("tiny");
        assertEquals(DEMO, lib.defaultBundle(), "a removed default falls back to the installed bundle");
    }

    @Test
    void anImportReportsItsBytesAndACancelledOneLeavesNothing() throws Exception {
        Path user = tmp.resolve("data/bundles");
        BundleLibrary lib = new BundleLibrary(DEMO, user);
        Path src = FileTrees.copy(TINY, tmp.resolve("src/tiny"));
        ovavss.studio.task.LatestProgress seen = new ovavss.studio.task.LatestProgress();
        lib.importBundle(src, seen, ovavss.studio.task.Cancellation.NEVER);
        assertEquals(FileTrees.size(TINY), seen.get().total());
        assertEquals(seen.get().total(), seen.get().done());
        lib.remove("tiny");

        ovavss.studio.task.Cancellation cancel = new ovavss.studio.task.Cancellation();
        assertThrows(java.util.concurrent.CancellationException.class, () -> lib.importBundle(src, p -> {
            if (p.done() > 0) {
                cancel.cancel();
            }
        }, cancel));
        assertEquals(List.of(), children(user));
        assertEquals(List.of(), children(user.getParent()).stream().filter(n -> n.startsWith(".")).toList());
    }
}
