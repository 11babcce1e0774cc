package cox.testing;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The layering rule for the modules above core (web, cli, spark), checked by each with ArchUnit
 * over its compiled main classes: they use core only through the packages {@code module-info}
 * exports, never its internals (which the class path would let them reach), and their own
 * packages form no cycle.
 */
public final class CoreApiBoundary {
    /** Core's packages that its {@code module-info} does not export. */
    public static final String[] INTERNAL = {"cox.store.hdf5..", "cox.store.journal..", "cox.pickle..",
        "cox.tensorboard.proto..", "cox.readers.internal.."};

    private CoreApiBoundary() {
    }

    /**
     * Checks the main classes under {@code rootPackage}.
     *
     * @param rootPackage a module's root package, e.g. {@code cox.cli}
     * @throws AssertionError naming each dependency that breaks the rule
     */
    public static void check(String rootPackage) {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(rootPackage);
        if (classes.isEmpty()) {
            throw new AssertionError("no main class found under " + rootPackage);
        }
        noClasses().should().dependOnClassesThat().resideInAnyPackage(INTERNAL)
                .because("the modules above core use only the packages cox4j.core exports")
                .check(classes);
        slices().matching(rootPackage + ".(**)").should().beFreeOfCycles().allowEmptyShould(true).check(classes);
    }
}
