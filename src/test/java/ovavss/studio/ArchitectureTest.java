package ovavss.studio;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps the package dependency rules of STYLE.md. */
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
                .and().doNotHaveFullyQualifiedName("ovavss.studio.Launcher")
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
}
