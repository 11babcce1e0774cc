package cox.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/**
 * cox.spark uses core only through its exported packages, its packages form no cycle, and the
 * data source does not need Spark ML.
 */
class SparkLayersTest {
    @Test
    void spark_usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.spark");
    }

    /** A reader of runs needs no Spark ML: spark-mllib is provided, and may be absent. */
    @Test
    void dataSource_needsNoSparkMl() {
        noClasses().that().resideInAPackage("cox.spark")
                .should().dependOnClassesThat().resideInAnyPackage("cox.spark.ml..", "org.apache.spark.ml..")
                .check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                        .importPackages("cox.spark"));
    }
}
