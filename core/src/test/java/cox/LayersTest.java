package cox;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packages of cox4j.core form the DAG below, checked over the compiled main classes: a layer
 * uses only the layers below it, directly or through others (never one above it, never itself
 * through a cycle), and every package belongs to a layer.
 *
 * <pre>
 * cox.readers.query ──▶ cox.readers.summary ──▶ cox.readers
 * cox.readers
 *   ├─▶ cox.readers.filter ──▶ cox.readers.text ──▶ cox.torch
 *   └─▶ cox.store
 *         ├─▶ cox.store.hdf5 ─────▶ cox.pickle, cox.io
 *         ├─▶ cox.store.journal ──▶ cox.io ──▶ cox.exceptions
 *         ├─▶ cox.tensorboard ────▶ cox.exceptions
 *         ├─▶ cox.io.internal ────▶ cox.io
 *         └─▶ cox.torch ──────────▶ cox.pickle, cox.io
 *                                   cox.pickle ──▶ cox.exceptions
 * </pre>
 */
class LayersTest {
    /** Each layer and the layers it may use directly: the one place the DAG is written. */
    static final Map<String, Set<String>> USES = new LinkedHashMap<>();

    static {
        USES.put("cox.exceptions", Set.of());
        USES.put("cox.io", Set.of("cox.exceptions"));
        USES.put("cox.io.internal", Set.of("cox.io"));
        USES.put("cox.pickle", Set.of("cox.exceptions"));
        USES.put("cox.torch", Set.of("cox.pickle", "cox.io"));
        USES.put("cox.tensorboard", Set.of("cox.exceptions"));
        USES.put("cox.store.journal", Set.of("cox.io"));
        USES.put("cox.store.hdf5", Set.of("cox.pickle", "cox.io"));
        USES.put("cox.store", Set.of("cox.store.hdf5", "cox.store.journal", "cox.tensorboard", "cox.torch",
                "cox.io.internal"));
        USES.put("cox.readers.text", Set.of("cox.torch"));
        USES.put("cox.readers.filter", Set.of("cox.readers.text"));
        USES.put("cox.readers", Set.of("cox.store", "cox.readers.filter", "cox.readers.text"));
        USES.put("cox.readers.summary", Set.of("cox.readers"));
        USES.put("cox.readers.query", Set.of("cox.readers.summary"));
    }

    /**
     * The public types of each package of the reader: the ones a user of the library calls, each
     * package exported by {@code module-info.java}. What only the package itself needs (the filter's
     * parser and syntax tree, the reader's threads and column gathering) is package-private.
     */
    static final Map<String, Set<String>> READERS_API = new LinkedHashMap<>();

    static {
        READERS_API.put("cox.readers", Set.of("CollectionReader", "CollectionReader$Builder", "DfOptions", "ProgressListener",
                "ReadError", "RunIndex", "RunInfo", "RunListing", "RunStatus", "ShortRuns", "SummaryRows",
                "TableSchema"));
        READERS_API.put("cox.readers.filter", Set.of("RunFilter", "FilterSyntaxException", "FilterBudgetException",
                "FilterTypeException"));
        READERS_API.put("cox.readers.text", Set.of("CellText", "RunNameFormat", "ValueExpansion"));
        READERS_API.put("cox.readers.summary", Set.of("RunSummaries", "RunMetadata", "Statistic", "Goal", "TypedColumns"));
        READERS_API.put("cox.readers.query", Set.of("RunQuery", "QueryResult", "QueryResult$Level", "QueryException", "RunSelection",
                "CellOrder"));
    }

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("cox");
    }

    /** The layers {@code layer} may use: those it uses directly and everything below them. */
    static Set<String> below(String layer) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(USES.get(layer));
        while (!todo.isEmpty()) {
            String l = todo.pop();
            if (out.add(l)) {
                todo.addAll(USES.get(l));
            }
        }
        return out;
    }

    /** The layer a package belongs to: itself, or {@code cox.tensorboard} for the generated protos. */
    static String layerOf(String pkg) {
        return pkg.startsWith("cox.tensorboard.") ? "cox.tensorboard" : pkg;
    }

    @Test
    void theDag_hasNoCycle() {
        for (String layer : USES.keySet()) {
            assertThat(below(layer)).as("layers below %s", layer).doesNotContain(layer);
        }
    }

    @Test
    void everyPackage_belongsToALayer() {
        Set<String> packages = new TreeSet<>();
        for (JavaClass c : classes) {
            packages.add(c.getPackageName());
        }
        assertThat(packages).as("packages of cox4j.core").isNotEmpty();
        for (String pkg : packages) {
            assertThat(USES).as("the layer of package %s (add it to LayersTest.USES)", pkg).containsKey(layerOf(pkg));
        }
    }

    @Test
    void layers_useOnlyLayersBelowThem() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String layer : USES.keySet()) {
            architecture = layer.equals("cox.tensorboard")
                    ? architecture.layer(layer).definedBy("cox.tensorboard..")
                    : architecture.layer(layer).definedBy(layer);
        }
        for (String layer : USES.keySet()) {
            Set<String> allowed = below(layer);
            architecture = allowed.isEmpty()
                    ? architecture.whereLayer(layer).mayNotAccessAnyLayer()
                    : architecture.whereLayer(layer).mayOnlyAccessLayers(allowed.toArray(new String[0]));
        }
        architecture.check(classes);
    }

    @Test
    void packages_areFreeOfCycles() {
        slices().matching("cox.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theFilterAndTheText_doNotDependOnTheReader() {
        // implied by USES; spelled out because it is what lets the filter and the text be used alone
        noClasses().that().resideInAnyPackage("cox.readers.filter", "cox.readers.text")
                .should().dependOnClassesThat().resideInAnyPackage("cox.readers", "cox.readers.summary", "cox.store..")
                .check(classes);
    }

    @Test
    void readersPackages_makePublicOnlyWhatAUserCalls() {
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        for (JavaClass c : classes) {
            if (c.getPackageName().startsWith("cox.readers") && isPublicApi(c)) {
                actual.computeIfAbsent(c.getPackageName(), k -> new TreeSet<>())
                        .add(c.getName().substring(c.getPackageName().length() + 1));
            }
        }
        assertThat(actual).as("public types of cox.readers.* (a type only cox4j's other modules need is not API)")
                .containsOnlyKeys(READERS_API.keySet());
        READERS_API.forEach((pkg, types) -> assertThat(actual.get(pkg)).as(pkg).containsExactlyInAnyOrderElementsOf(types));
    }

    @Test
    void moduleInfo_exportsEveryReadersPackage_butAnInternalOne() throws IOException {
        Path classesDir = Path.of(URI.create(
                LayersTest.class.getResource("/cox/readers/CollectionReader.class").toString().replace("cox/readers/CollectionReader.class", "")));
        ModuleDescriptor module;
        try (InputStream in = Files.newInputStream(classesDir.resolve("module-info.class"))) {
            module = ModuleDescriptor.read(in);
        }
        Set<String> exported = new TreeSet<>();
        module.exports().forEach(e -> exported.add(e.source()));
        for (String pkg : module.packages()) {
            if (pkg.equals("cox.readers") || pkg.startsWith("cox.readers.")) {
                // cli, web and spark are not modules: they would reach an unexported package too, so the
                // name says it is cox4j's own (none is needed today)
                assertThat(exported.contains(pkg)).as("%s exported", pkg).isEqualTo(!pkg.endsWith(".internal"));
            }
        }
        assertThat(exported).containsAll(READERS_API.keySet());
    }

    /** A public top-level type, or a public member type of one. */
    private static boolean isPublicApi(JavaClass c) {
        for (JavaClass k = c; k != null; k = k.getEnclosingClass().orElse(null)) {
            if (!k.getModifiers().contains(JavaModifier.PUBLIC)) {
                return false;
            }
        }
        return !c.isAnonymousClass() && !c.isLocalClass();
    }

    @Test
    void theRulesSeeTheClassesTheyCheck() {
        // guards against an import option or package name that silently checks nothing
        List<String> some = List.of("cox.store.Store", "cox.pickle.Unpickler", "cox.torch.NumpyPickles",
                "cox.store.journal.RowJournal", "cox.store.hdf5.PandasStoreFile", "cox.readers.CollectionReader",
                "cox.readers.filter.FilterParser", "cox.readers.text.CellText", "cox.readers.summary.RunSummaries");
        for (String name : some) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
        assertThat(classes.contain("cox.LayersTest")).as("test classes are not checked").isFalse();
    }
}
