package ovavss.studio.app.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.Project;
import ovavss.studio.avsbench.AvsbenchExporter;
import ovavss.studio.media.SampleClip;
import ovavss.studio.task.Cancellation;
import ovavss.studio.task.ProgressSink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export use case's promises: refusals before writing, frames and audio from a video, nothing half-written. */
class ProjectExportTest {
    @TempDir
    Path tmp;

    private static Project videoProject(int clips) throws Exception {
        String media = SampleClip.path().toAbsolutePath().toString();
        Project p = Project.empty("p");
        for (int i = 0; i < clips; i++) {
            p = p.withClip(Clip.of("clip" + i, media, 3, 320, 240));
        }
        return p;
    }

    private List<String> siblings(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.map(x -> x.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void videoClipsGetFramesAndAudioAndNoStagingFolderRemains() throws Exception {
        Path out = tmp.resolve("export");
        AvsbenchExporter.Summary s = ProjectExport.run(videoProject(2), null,
                new ProjectExport.Request(out, ProjectExport.Layout.SEMANTIC, null, true, true, 2),
                ProgressSink.NONE, Cancellation.NEVER);
        assertEquals(2, s.clips());
        assertEquals(6, s.frames(), "3 keyframes of each of the 2 clips decoded from the video");
        assertEquals(2, s.audioFiles());
        assertTrue(Files.isRegularFile(out.resolve("metadata.csv")));
        assertTrue(Files.isRegularFile(out.resolve("label2idx.json")));
        try (Stream<Path> w = Files.walk(out)) {
            assertEquals(6, w.filter(f -> f.toString().contains("/frames/") && f.toString().endsWith(".jpg")).count());
        }
        assertEquals(List.of("export"), siblings(out), "only the finished folder, no staging folder");
    }

    @Test
    void anEmptyExistingDestinationIsUsedAndANonEmptyOneRefusedBeforeWriting() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        ProjectExport.run(videoProject(1), null, new ProjectExport.Request(empty, ProjectExport.Layout.MS3,
                64, false, false, 1), ProgressSink.NONE, Cancellation.NEVER);
        assertTrue(Files.isRegularFile(empty.resolve("ms3_meta_data.csv")));

        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("keep.txt"), "mine");
        ExportException e = assertThrows(ExportException.class, () -> ProjectExport.run(videoProject(1), null,
                ProjectExport.Request.semantic(full), ProgressSink.NONE, Cancellation.NEVER));
        assertTrue(e.getMessage().contains("not empty"), e.getMessage());
        try (Stream<Path> s = Files.list(full)) {
            assertEquals(List.of(full.resolve("keep.txt")), s.toList());
        }
    }

    @Test
    void theProjectFolderAndTheMediaAreNeverADestination() throws Exception {
        Path projectDir = Files.createDirectories(tmp.resolve("project"));
        Project p = videoProject(1);
        ExportException inside = assertThrows(ExportException.class, () -> ProjectExport.run(p, projectDir,
                ProjectExport.Request.semantic(projectDir.resolve("export")), ProgressSink.NONE, Cancellation.NEVER));
        assertTrue(inside.getMessage().contains("project folder"), inside.getMessage());
        assertFalse(Files.exists(projectDir.resolve("export")));
        ExportException around = assertThrows(ExportException.class, () -> ProjectExport.run(p,
                tmp.resolve("x/project"), ProjectExport.Request.semantic(tmp.resolve("x")), ProgressSink.NONE,
                Cancellation.NEVER), "a destination that holds the project folder");
        assertTrue(around.getMessage().contains("project folder"), around.getMessage());

        Path clipFolder = Files.createDirectories(tmp.resolve("clipfolder/frames"));
        Project folderClip = Project.empty("f").withClip(Clip.of("c", clipFolder.getParent().toString(), 1, 8, 8));
        ExportException media = assertThrows(ExportException.class, () -> ProjectExport.run(folderClip, null,
                ProjectExport.Request.semantic(clipFolder.getParent().resolve("out")), ProgressSink.NONE,
                Cancellation.NEVER));
        assertTrue(media.getMessage().contains("media of clip 'c'"), media.getMessage());
    }

    @Test
    void badOptionsAreRefused() {
        Path out = tmp.resolve("o");
        assertThrows(ExportException.class, () -> new ProjectExport.Request(out, ProjectExport.Layout.S4, 0, true, true, 1));
        assertThrows(ExportException.class, () -> new ProjectExport.Request(out, ProjectExport.Layout.S4,
                ProjectExport.MAX_SIZE + 1, true, true, 1));
        assertThrows(ExportException.class, () -> new ProjectExport.Request(out, ProjectExport.Layout.S4, 224, true, true, 0));
    }

    @Test
    void cancelledMidwayLeavesNothing() throws Exception {
        Path out = tmp.resolve("export");
        Cancellation cancel = new Cancellation();
        // cancel as soon as the first clip is reported done: later clips are never started
        ProgressSink cancelAfterFirst = pr -> {
            if (pr.done() >= 1) {
                cancel.cancel();
            }
        };
        assertThrows(CancellationException.class, () -> ProjectExport.run(videoProject(4), null,
                new ProjectExport.Request(out, ProjectExport.Layout.SEMANTIC, null, true, true, 1),
                cancelAfterFirst, cancel));
        assertFalse(Files.exists(out));
        assertEquals(List.of(), siblings(out), "no staging folder left behind");
    }
}
