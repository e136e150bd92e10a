package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import javafx.stage.Stage;
import ovavss.studio.annotation.Clip;
import ovavss.studio.annotation.MaskOps;
import ovavss.studio.annotation.ObjectFrame;
import ovavss.studio.annotation.Project;
import ovavss.studio.annotation.ProjectStore;
import ovavss.studio.annotation.SoundFlag;
import ovavss.studio.annotation.SoundingObject;
import ovavss.studio.annotation.Vocabulary;
import ovavss.studio.annotation.VocabularyEntry;
import ovavss.studio.app.RecentProjects;
import ovavss.studio.app.SessionRecovery;
import ovavss.studio.media.MediaInfo;
import ovavss.studio.media.SampleClip;
import ovavss.studio.ui.project.RecoveryPrompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Crash recovery through the real window (headless): a session that died with an unsaved project
 * left its recovery copy in the data folder; the next start asks, Restore is clicked, and the
 * project with its object is back (unsaved) with the clip's media open. Also File › Open recent.
 */
@ExtendWith(ApplicationExtension.class)
class RecoveryFxTest {
    @TempDir
    Path root;

    private MainWindowFixture window;
    private MainView view;
    private Stage stage;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1100, 720);
        view = window.view;
        this.stage = stage;
    }

    @AfterEach
    void tearDown() throws Exception {
        window.close();
    }

    private static Project lostWork(Path media) {
        TreeMap<Integer, ObjectFrame> frames = new TreeMap<>();
        frames.put(0, ObjectFrame.human(MaskOps.polygon(320, 240, new double[] {40, 40, 160, 40, 100, 150}),
                SoundFlag.SOUNDING));
        Clip c = Clip.of("sample", media.toAbsolutePath().toString(), 10, 320, 240)
                .withObject(new SoundingObject("o1", "violin", 0, frames));
        return new Project("Untitled", Vocabulary.empty().with(VocabularyEntry.of("violin", 0xC04000)), List.of(c),
                Map.of());
    }

    /** What a killed session leaves: its marker (naming a process that is gone) and a recovery copy. */
    private Path crashedSession(Project p) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process gone = new ProcessBuilder(java, "-Xshare:auto", "-version")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(gone.waitFor(60, TimeUnit.SECONDS));
        Path session = Files.createDirectories(root.resolve(gone.pid() + "-1700000000000-1"));
        Files.writeString(session.resolve(SessionRecovery.MARKER), "{\"pid\": " + gone.pid()
                + ", \"processStartMillis\": 0, \"startedMillis\": 1700000000000, \"projectFolder\": null}");
        new ProjectStore().save(p, session.resolve("copy-1"));
        return session;
    }

    @Test
    void theNextStartOffersTheUnsavedWorkAndRestoresIt(FxRobot robot) throws Exception {
        Path sample = SampleClip.path();
        Project lost = lostWork(sample);
        Path crashed = crashedSession(lost);

        CompletableFuture<MediaInfo> opened = fx(() -> view.recoverThenOpen(root, RecoveryPrompt.dialog(() -> stage),
                null, Optional::empty));
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> robot.lookup("#recovery-dialog").tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#recovery-dialog").query();
        String header = fx(dialog::getHeaderText);
        assertTrue(header.startsWith("Restore the unsaved work from "), header);
        assertTrue(fx(dialog::getContentText).contains("1 clip, 1 object"));
        robot.clickOn("Restore");

        MediaInfo info = opened.get(30, TimeUnit.SECONDS);
        assertNotNull(info, "the restored clip's media was opened");
        assertTrue(info.path().endsWith("sample.mp4"), info.path());
        SoundingObject o = fx(() -> view.project.getProject().clip("sample").orElseThrow().object("o1").orElse(null));
        assertNotNull(o, "the object is back");
        assertEquals(lost.clips().get(0).object("o1").orElseThrow().frame(0).mask(), o.frame(0).mask());
        assertEquals("violin", o.label());
        assertNull(fx(view.project::getProjectPath), "still unsaved, so Save as asks where");
        assertEquals("sample", fx(view.project::getClipId));

        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.video.shownFrameProperty().get() == 0
                && view.overlay.compositor() != null));
        assertTrue(Double.isFinite(fx(() -> view.editing.lanes().laneCentre("o1"))), "o1 has its sound lane");
        // The old copy goes once this session has its own copy of the work.
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> !Files.exists(crashed));
    }

    /**
     * Started with no media and nothing to recover, the window reopens the last project as it was
     * saved: its clip's media, and its objects in the object list, the lanes and the project alike.
     */
    @Test
    void aStartWithNoMediaReopensTheLastProjectInEveryView(@TempDir Path tmp) throws Exception {
        Project saved = lostWork(SampleClip.path()).withProperty("note", "saved a minute ago");
        Path folder = tmp.resolve("My Project");
        new ProjectStore().save(saved, folder);
        CompletableFuture<MediaInfo> opened = fx(() -> view.recoverThenOpen(root, RecoveryPrompt.dialog(() -> stage),
                null, folder, Optional::empty));
        MediaInfo info = opened.get(30, TimeUnit.SECONDS);
        assertNotNull(info, "the project's clip was opened");
        assertTrue(info.path().endsWith("sample.mp4"), info.path());
        assertEquals(folder, fx(view.project::getProjectPath));
        assertEquals("sample", fx(view.project::getClipId));
        assertEquals(List.of("o1"), fx(() -> view.analysis.objects().stream().map(s -> s.id()).toList()),
                "the object list shows the saved object");
        WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> fx(() -> view.video.shownFrameProperty().get() == 0));
        assertTrue(Double.isFinite(fx(() -> view.editing.lanes().laneCentre("o1"))), "o1 has its sound lane");
        assertTrue(fx(() -> view.titleBinding().get()).contains("sample.mp4 \u2014 Untitled (" + folder + ")"),
                fx(() -> view.titleBinding().get()));
    }

    @Test
    void openRecentFollowsSaveAsAndShowsMissingFoldersDisabled(FxRobot robot, @TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("config").resolve(RecentProjects.FILE_NAME);
        RecentProjects seed = RecentProjects.load(file);
        seed.add(tmp.resolve("gone"));
        seed.save();
        List<RecentProjects.Entry> shown = fx(() -> view.editing.recentProjects().use(file)).get(10, TimeUnit.SECONDS);
        assertEquals(List.of(new RecentProjects.Entry(tmp.resolve("gone"), false)), shown);

        Path saved = tmp.resolve("saved-project");
        fx(() -> view.project.saveAs(saved)).get(20, TimeUnit.SECONDS);
        javafx.scene.control.Menu menu = view.editing.recentProjects().menu();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> fx(() -> menu.getItems().size() == 4));
        List<javafx.scene.control.MenuItem> items = fx(() -> List.copyOf(menu.getItems()));
        assertTrue(items.get(0).getText().startsWith("saved-project"), items.get(0).getText());
        assertTrue(!items.get(0).isDisable() && items.get(1).isDisable(), "the missing folder is disabled");
        assertEquals(List.of(saved, tmp.resolve("gone")), RecentProjects.load(file).folders(), "stored, newest first");
        javafx.scene.control.MenuBar bar = robot.lookup(".menu-bar").queryAs(javafx.scene.control.MenuBar.class);
        assertTrue(fx(() -> bar.getMenus().get(0).getItems().contains(menu)), "under File");
    }
}
