package cox;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
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
 * cox.readers
 *   └─▶ cox.store
 *         ├─▶ cox.store.hdf5 ─────▶ cox.pickle
 *         ├─▶ cox.store.journal ──▶ cox.exceptions
 *         ├─▶ cox.tensorboard ────▶ cox.exceptions
 *         └─▶ cox.torch ──────────▶ cox.pickle ──▶ cox.exceptions
 * </pre>
 */
class LayersTest {
    /** Each layer and the layers it may use directly: the one place the DAG is written. */
    static final Map<String, Set<String>> USES = new LinkedHashMap<>();

    static {
        USES.put("cox.exceptions", Set.of());
        USES.put("cox.pickle", Set.of("cox.exceptions"));
        USES.put("cox.torch", Set.of("cox.pickle"));
        USES.put("cox.tensorboard", Set.of("cox.exceptions"));
        USES.put("cox.store.journal", Set.of("cox.exceptions"));
        USES.put("cox.store.hdf5", Set.of("cox.pickle"));
        USES.put("cox.store", Set.of("cox.store.hdf5", "cox.store.journal", "cox.tensorboard", "cox.torch"));
        USES.put("cox.readers", Set.of("cox.store"));
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
    void theRulesSeeTheClassesTheyCheck() {
        // guards against an import option or package name that silently checks nothing
        List<String> some = List.of("cox.store.Store", "cox.pickle.Unpickler", "cox.torch.NumpyPickles",
                "cox.store.journal.RowJournal", "cox.store.hdf5.PandasStoreFile", "cox.readers.CollectionReader");
        for (String name : some) {
            assertThat(classes.contain(name)).as(name).isTrue();
        }
        assertThat(classes.contain("cox.LayersTest")).as("test classes are not checked").isFalse();
    }
}
