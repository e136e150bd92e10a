package ovavss.studio;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The main window's package ({@code ui}) builds on its subpackages, never the other way round:
 * the shared time axis lives in {@code ui.timeline}, which needs no other ui package.
 */
class UiPackageDirectionTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("ovavss.studio.ui");
    }

    @Test
    void subpackagesNeverImportTheMainWindowPackage() {
        noClasses().that().resideInAPackage("ovavss.studio.ui.*..")
                .should().dependOnClassesThat().resideInAPackage("ovavss.studio.ui")
                .check(classes);
    }

    @Test
    void timelineImportsNoOtherUiPackage() {
        noClasses().that().resideInAPackage("ovavss.studio.ui.timeline..")
                .should().dependOnClassesThat(resideInAPackage("ovavss.studio..")
                        .and(resideOutsideOfPackage("ovavss.studio.ui.timeline..")))
                .check(classes);
    }
}
