package ovavss.studio.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recent-projects list: order, one entry per folder, the limit, the file and a damaged file. */
class RecentProjectsTest {
    @TempDir
    Path tmp;

    private Path file() {
        return tmp.resolve("config").resolve(RecentProjects.FILE_NAME);
    }

    @Test
    void mostRecentFirstEachFolderOnce() {
        RecentProjects r = RecentProjects.load(file());
        assertEquals(List.of(), r.folders(), "no file: an empty list");
        assertTrue(r.problem().isEmpty(), "a missing file is no problem");
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        r.add(a);
        r.add(b);
        assertEquals(List.of(b, a), r.folders());
        r.add(tmp.resolve("b").resolve("..").resolve("a"));
        assertEquals(List.of(a, b), r.folders(), "another spelling of a moves a up, once");
        r.remove(tmp.resolve("./b"));
        assertEquals(List.of(a), r.folders());
    }

    @Test
    void keepsTheTenNewest() {
        RecentProjects r = RecentProjects.load(file());
        IntStream.range(0, 15).forEach(i -> r.add(tmp.resolve("p" + i)));
        assertEquals(RecentProjects.LIMIT, r.folders().size());
        assertEquals(tmp.resolve("p14"), r.folders().get(0));
        assertEquals(tmp.resolve("p5"), r.folders().get(RecentProjects.LIMIT - 1), "p0..p4 dropped");
    }

    @Test
    void roundTripsThroughItsFileAtomically() throws Exception {
        RecentProjects r = RecentProjects.load(file());
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path gone = tmp.resolve("gone");
        r.add(gone);
        r.add(a);
        r.save();
        try (Stream<Path> s = Files.list(file().getParent())) {
            assertEquals(List.of(file()), s.toList(), "no temp file left beside it");
        }
        RecentProjects back = RecentProjects.load(file());
        assertEquals(List.of(a, gone), back.folders(), "same order after reading it back");
        assertEquals(List.of(new RecentProjects.Entry(a, true), new RecentProjects.Entry(gone, false)), back.check());
    }

    @Test
    void aDamagedFileIsAnEmptyListWithAWarning() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"projects\": [\"/x\", ");
        RecentProjects r = RecentProjects.load(file());
        assertEquals(List.of(), r.folders());
        assertTrue(r.problem().orElse("").contains(RecentProjects.FILE_NAME), r.problem().toString());

        r.add(tmp.resolve("new"));
        r.save();
        RecentProjects again = RecentProjects.load(file());
        assertFalse(again.problem().isPresent(), "saving replaced the damaged file");
        assertEquals(List.of(tmp.resolve("new")), again.folders());

        Files.writeString(file(), "[1, 2, 3]");
        assertEquals(List.of(), RecentProjects.load(file()).folders(), "valid JSON of the wrong shape too");
        assertTrue(RecentProjects.load(file()).problem().isPresent());
    }
}
