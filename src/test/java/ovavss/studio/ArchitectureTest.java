package ovavss.studio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package dependency rules of STYLE.md: the layer order (ground packages, the domain,
 * signal decoding and DSP, the engines, the use cases, the two faces), no package cycles (every
 * package and subpackage is a slice), and which packages may touch which libraries.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ovavss.studio");
    }

    @Test
    void onlyMediaTouchesFfmpeg() {
        noClasses().that().resideOutsideOfPackage("ovavss.studio.media..")
                .should().dependOnClassesThat().resideInAPackage("org.bytedeco..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void onlyModelTouchesDjl() {
        noClasses().that().resideOutsideOfPackage("ovavss.studio.model..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void onlyUiTouchesJavaFx() {
        noClasses().that().resideOutsideOfPackage("ovavss.studio.ui..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "javafx.scene..", "javafx.stage..", "javafx.application..", "javafx.fxml..",
                        "javafx.embed..", "javafx.animation..", "javafx.geometry..", "javafx.event..",
                        "javafx.print..", "javafx.css..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void coreNeverImportsUi() {
        noClasses().that().resideOutsideOfPackage("ovavss.studio.ui..")
                .and().resideOutsideOfPackage("ovavss.studio")
                .should().dependOnClassesThat().resideInAnyPackage("ovavss.studio.ui..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void coreIsFreeOfJavaFxBeans() {
        noClasses().that().resideInAnyPackage("ovavss.studio.annotation..", "ovavss.studio.avsbench..",
                        "ovavss.studio.media..", "ovavss.studio.audio..", "ovavss.studio.model..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..")
                .allowEmptyShould(true).check(classes);
    }

    /**
     * Each layer may use only the layers listed for it (and the JDK and libraries; their own
     * confinement is checked below). Nothing below {@code app} imports {@code app}; nothing but the
     * launcher imports {@code ui} or {@code cli}; {@code media} and {@code audio} do not know each
     * other, they share {@code pcm}.
     */
    @Test
    void layersPointOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Ground").definedBy("ovavss.studio.task..", "ovavss.studio.files..", "ovavss.studio.pcm..")
                .layer("Annotation").definedBy("ovavss.studio.annotation..")
                .layer("Audio").definedBy("ovavss.studio.audio..")
                .layer("Media").definedBy("ovavss.studio.media..")
                .layer("Model").definedBy("ovavss.studio.model..")
                .layer("Avsbench").definedBy("ovavss.studio.avsbench..")
                .layer("App").definedBy("ovavss.studio.app..")
                .layer("Ui").definedBy("ovavss.studio.ui..")
                .layer("Cli").definedBy("ovavss.studio.cli..")
                .layer("Spark").definedBy("ovavss.studio.spark..")
                .layer("Launcher").definedBy("ovavss.studio")
                .whereLayer("Ground").mayOnlyAccessLayers("Ground")
                .whereLayer("Annotation").mayOnlyAccessLayers("Ground")
                .whereLayer("Audio").mayOnlyAccessLayers("Ground")
                .whereLayer("Media").mayOnlyAccessLayers("Ground", "Annotation")
                .whereLayer("Model").mayOnlyAccessLayers("Ground", "Annotation", "Audio")
                .whereLayer("Avsbench").mayOnlyAccessLayers("Ground", "Annotation")
                .whereLayer("App").mayOnlyAccessLayers("Ground", "Annotation", "Audio", "Media", "Model", "Avsbench")
                .whereLayer("Ui").mayOnlyAccessLayers("Ground", "Annotation", "Audio", "Media", "Model", "Avsbench",
                        "App")
                .whereLayer("Cli").mayOnlyAccessLayers("Ground", "Annotation", "Audio", "Media", "Model", "Avsbench",
                        "App")
                .whereLayer("Spark").mayOnlyAccessLayers("Ground", "Model", "App")
                .whereLayer("Spark").mayNotBeAccessedByAnyLayer()
                .check(classes);
    }

    /** No package cycles: every package and subpackage (ui.edit, app.export, ...) is its own slice. */
    @Test
    void noPackageCycles() {
        slices().matching("ovavss.studio.(**)").should().beFreeOfCycles().check(classes);
    }

    /** Only the Spark face touches Spark (the desktop jar and installers are built without it). */
    @Test
    void onlySparkFaceTouchesSpark() {
        noClasses().that().resideOutsideOfPackage("ovavss.studio.spark..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.spark..", "scala..")
                .check(classes);
    }

    /** The faces never reach each other: the window and the command line meet only in the use cases. */
    @Test
    void facesAreIndependent() {
        noClasses().that().resideInAPackage("ovavss.studio.ui..")
                .should().dependOnClassesThat().resideInAPackage("ovavss.studio.cli..").check(classes);
        noClasses().that().resideInAPackage("ovavss.studio.cli..")
                .should().dependOnClassesThat().resideInAPackage("ovavss.studio.ui..").check(classes);
    }
}
