package ovavss.studio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static ovavss.studio.ui.MainWindowFixture.fx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import ovavss.studio.app.BundleLibrary;
import ovavss.studio.files.FileTrees;
import ovavss.studio.ui.settings.BundlesDialog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Model › Bundles in the real window: import a good bundle, refuse a corrupt one (wrong SHA-256,
 * missing graph) leaving nothing, remove one, set the default, load one now.
 */
@ExtendWith(ApplicationExtension.class)
class BundlesFxTest {
    private static final Path TINY = Path.of("src/test/resources/bundles/tiny").toAbsolutePath();
    private static final Path DEMO = Path.of("models/demo-avshapes").toAbsolutePath();

    @TempDir
    Path tmp;
    private MainWindowFixture window;
    private BundleLibrary library;
    private Path userDir;

    @Start
    void start(Stage stage) {
        window = MainWindowFixture.show(stage, 1100, 760);
    }

    @BeforeEach
    void useATemporaryLibrary() throws Exception {
        userDir = tmp.resolve("data/bundles");
        library = new BundleLibrary(DEMO, userDir, tmp.resolve("config/default-bundle"));
        fx(() -> {
            window.view.setBundleLibrary(library);
            return null;
        });
    }

    @AfterEach
    void tearDown() throws Exception {
        fx(() -> {
            window.view.bundlesDialog().cancelImport();
            return null;
        });
        window.close();
    }

    /** Opens Model › Bundles… by the menu and waits until every row is checked. */
    private BundlesDialog open(FxRobot robot) throws Exception {
        robot.clickOn("Model");
        robot.clickOn("#menu-bundles");
        BundlesDialog d = fx(() -> window.view.bundlesDialog());
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> !d.rows().isEmpty()
                && d.rows().stream().allMatch(r -> r.details() != null)));
        return d;
    }

    private static String status(FxRobot robot) {
        return robot.lookup("#bundles-status").queryAs(Label.class).getText();
    }

    private static List<String> children(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private void chooseOnImport(BundlesDialog d, Path folder) throws Exception {
        fx(() -> {
            d.setFolderChooser(w -> Optional.of(folder));
            return null;
        });
    }

    private void awaitIdle(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> !robot.lookup("#bundles-import").queryAs(Button.class).isDisabled());
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void listsTheInstalledBundleCheckedAndImportsAGoodOne(FxRobot robot) throws Exception {
        BundlesDialog d = open(robot);
        List<BundlesDialog.Row> rows = fx(d::rows);
        assertEquals(1, rows.size());
        BundlesDialog.Row demo = rows.get(0);
        assertEquals("demo-avshapes", demo.name());
        assertTrue(demo.isDefault(), "the installed bundle is the default until the user picks one");
        assertTrue(demo.details().verified(), String.valueOf(demo.details().problem()));
        assertTrue(demo.details().classes() > 10);
        assertTrue(demo.details().bytes() > 1_000_000);
        assertTrue(robot.lookup("#bundles-remove").queryAs(Button.class).isDisabled(), "nothing selected");
        fx(() -> d.select("demo-avshapes"));
        WaitForAsyncUtils.waitForFxEvents();
        assertTrue(robot.lookup("#bundles-remove").queryAs(Button.class).isDisabled(),
                "the installed bundle cannot be removed");

        chooseOnImport(d, FileTrees.copy(TINY, tmp.resolve("downloads/tiny")));
        robot.clickOn("#bundles-import");
        awaitIdle(robot);
        assertTrue(status(robot).startsWith("Imported tiny"), status(robot));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> d.rows().size() == 2
                && d.rows().stream().allMatch(r -> r.details() != null)));
        BundlesDialog.Row tiny = fx(d::rows).get(1);
        assertEquals("tiny", tiny.name());
        assertFalse(tiny.entry().installed());
        assertTrue(tiny.details().verified());
        assertEquals("CPU, CUDA GPU · fp16", tiny.details().devices(), "the tiny bundle has fp16 graphs");
        assertEquals(List.of("tiny"), children(userDir));
        assertEquals(children(TINY), children(userDir.resolve("tiny")), "every file copied");
    }

    @Test
    void refusesACorruptBundleWithTheReasonAndKeepsNothing(FxRobot robot) throws Exception {
        BundlesDialog d = open(robot);
        Path wrongSha = FileTrees.copy(TINY, tmp.resolve("downloads/wrong-sha"));
        byte[] g = Files.readAllBytes(wrongSha.resolve("segmenter.pt"));
        g[g.length / 2] ^= 0x5a;
        Files.write(wrongSha.resolve("segmenter.pt"), g);
        chooseOnImport(d, wrongSha);
        robot.clickOn("#bundles-import");
        awaitIdle(robot);
        assertTrue(status(robot).startsWith("Not imported:") && status(robot).contains("SHA-256"), status(robot));

        Path missing = FileTrees.copy(TINY, tmp.resolve("downloads/missing-graph"));
        Files.delete(missing.resolve("clip_text.pt"));
        chooseOnImport(d, missing);
        robot.clickOn("#bundles-import");
        awaitIdle(robot);
        assertTrue(status(robot).startsWith("Not imported:") && status(robot).contains("clip_text.pt")
                && status(robot).contains("missing"), status(robot));

        assertEquals(List.of(), children(userDir), "nothing half-imported");
        assertEquals(List.of(), children(userDir.getParent()).stream().filter(n -> n.startsWith(".")).toList(),
                "no staging folder left");
        assertEquals(List.of("demo-avshapes"), fx(d::rows).stream().map(BundlesDialog.Row::name).toList());
    }

    @Test
    void removesAUserBundleAfterAsking(FxRobot robot) throws Exception {
        library.importBundle(FileTrees.copy(TINY, tmp.resolve("downloads/tiny")));
        BundlesDialog d = open(robot);
        assertEquals(2, fx(d::rows).size());
        List<String> asked = new java.util.ArrayList<>();
        fx(() -> {
            d.setRemoveConfirmation(name -> {
                asked.add(name);
                return asked.size() > 1; // "Cancel" the first time, "OK" the second
            });
            return d.select("tiny");
        });
        robot.clickOn("#bundles-remove");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of("tiny"), children(userDir), "cancelled: kept");
        robot.clickOn("#bundles-remove");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> d.rows().size() == 1));
        assertEquals(List.of("tiny", "tiny"), asked);
        assertEquals(List.of(), children(userDir));
        assertTrue(status(robot).startsWith("Removed tiny"), status(robot));
    }

    @Test
    void setsTheDefaultAndLoadsABundleNow(FxRobot robot) throws Exception {
        library.importBundle(FileTrees.copy(TINY, tmp.resolve("downloads/tiny")));
        BundlesDialog d = open(robot);
        fx(() -> d.select("tiny"));
        robot.clickOn("#bundles-default");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> fx(() -> d.rows().stream()
                .anyMatch(r -> r.name().equals("tiny") && r.isDefault() && r.details() != null)));
        assertEquals(Optional.of("tiny"), library.defaultName());
        assertEquals(userDir.resolve("tiny"), library.defaultBundle());
        assertEquals("tiny\n", Files.readString(tmp.resolve("config/default-bundle")));
        assertFalse(fx(d::rows).stream().anyMatch(r -> r.name().equals("demo-avshapes") && r.isDefault()));
        // a new library over the same folders (the next start, or predict) sees the same default
        assertEquals(userDir.resolve("tiny"),
                new BundleLibrary(DEMO, userDir, tmp.resolve("config/default-bundle")).defaultBundle());

        robot.clickOn("#bundles-load");
        assertEquals(userDir.resolve("tiny"), fx(() -> window.view.analysis.bundleDirProperty().get()));
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> fx(() -> window.view.analysis.modelTextProperty().get()
                .startsWith("Model ")));
        assertTrue(fx(() -> window.view.analysis.modelTextProperty().get()).contains("classes"));
    }
}
