package cox.web;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The classes of cox.web by job, and who may use whom, checked over the compiled main classes:
 *
 * <pre>
 * server (CoxServer)
 *   ├─▶ endpoints (HTTP: parameters, JSON) ─▶ cache, scanner, values
 *   └─▶ index (ties scanner and cache) ────▶ cache ─▶ scanner
 * </pre>
 *
 * The scanner knows nothing of summaries, the summary cache nothing of HTTP, and nothing below
 * the server knows the server; every class belongs to one job.
 */
class WebLayersTest {
    /** Each job and its classes (top-level names; nested classes go with their class). */
    static final Map<String, Set<String>> JOBS = new LinkedHashMap<>();

    static {
        JOBS.put("server", Set.of("CoxServer"));
        JOBS.put("endpoints", Set.of("RunsEndpoints", "RunAggregates", "RunEndpoints", "SeriesEndpoint", "DfEndpoint", "RequestParams",
                "ApiError", "JsonOut", "ColumnUnion", "ObjectCellPreview", "RunsFilter", "RunColumns", "SavedAnswer"));
        JOBS.put("index", Set.of("RunIndex"));
        JOBS.put("cache", Set.of("SummaryCache", "SummaryFile", "RunReader", "SeriesCache", "TableColumns", "RunContents",
                "TableSummary", "MetricSummary", "CurveArithmetic", "ObjectJson", "WrittenSummaries"));
        JOBS.put("scanner", Set.of("RunScanner", "ListedRun", "RunStamp", "WriterLocks"));
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("cox.web");
    }

    private static String topLevel(JavaClass c) {
        String name = c.getName().substring(c.getPackageName().length() + 1);
        int nested = name.indexOf('$');
        return nested < 0 ? name : name.substring(0, nested);
    }

    private static DescribedPredicate<JavaClass> job(String job) {
        return DescribedPredicate.describe(job + " " + JOBS.get(job),
                c -> c.getPackageName().equals("cox.web") && JOBS.get(job).contains(topLevel(c)));
    }

    @Test
    void web_usesOnlyCoresApi() {
        cox.testing.CoreApiBoundary.check("cox.web");
    }

    @Test
    void everyClass_hasOneJob() {
        Set<String> unplaced = new TreeSet<>();
        for (JavaClass c : classes) {
            String name = topLevel(c);
            if (c.getPackageName().equals("cox.web") && !name.equals("package-info")
                    && JOBS.values().stream().noneMatch(names -> names.contains(name))) {
                unplaced.add(name);
            }
        }
        assertThat(unplaced).as("classes of cox.web in no job of WebLayersTest.JOBS").isEmpty();
    }

    @Test
    void eachJob_usesOnlyTheJobsBelowIt() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("server").definedBy(job("server"))
                .layer("endpoints").definedBy(job("endpoints"))
                .layer("index").definedBy(job("index"))
                .layer("cache").definedBy(job("cache"))
                .layer("scanner").definedBy(job("scanner"))
                .whereLayer("server").mayNotBeAccessedByAnyLayer()
                .whereLayer("endpoints").mayOnlyBeAccessedByLayers("server")
                .whereLayer("index").mayOnlyBeAccessedByLayers("server")
                .whereLayer("cache").mayOnlyBeAccessedByLayers("server", "endpoints", "index")
                .whereLayer("scanner").mayOnlyBeAccessedByLayers("server", "endpoints", "index", "cache")
                .check(classes);
    }

    @Test
    void theScannerAndTheCache_knowNothingOfHttp() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that(job("cache").or(job("scanner")).or(job("index")))
                .should().dependOnClassesThat().resideInAnyPackage("io.javalin..", "org.eclipse.jetty..", "com.fasterxml.jackson..")
                .check(classes);
    }
}
