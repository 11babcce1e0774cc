package cox.tribuo;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/**
 * cox.tribuo uses core only through its exported packages; only the class of each kind of
 * evaluation names that kind's Tribuo module, so a user of one needs none of the other.
 */
class TribuoLayersTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("cox.tribuo");

    @Test
    void tribuo_usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.tribuo");
    }

    @Test
    void onlyLabelEvaluationColumns_namesTribuoClassification() {
        noClasses().that().doNotHaveSimpleName("LabelEvaluationColumns")
                .should().dependOnClassesThat().resideInAPackage("org.tribuo.classification..")
                .check(MAIN);
    }

    @Test
    void onlyRegressionEvaluationColumns_namesTribuoRegression() {
        noClasses().that().doNotHaveSimpleName("RegressionEvaluationColumns")
                .should().dependOnClassesThat().resideInAPackage("org.tribuo.regression..")
                .check(MAIN);
    }
}
