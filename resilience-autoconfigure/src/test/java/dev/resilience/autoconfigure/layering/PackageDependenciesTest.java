package dev.resilience.autoconfigure.layering;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The auto-configuration's packages (its root and each feature package: aop, endpoint, health, metrics,
 * properties) depend on each other without cycles, judged from the compiled classes' dependencies (fields,
 * signatures, calls, annotations), not from the source text.
 */
class PackageDependenciesTest {

    private static final String ROOT = "dev.resilience.autoconfigure";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    /** The root package is a slice of its own, and each package under it one with everything below it. */
    private static final SliceAssignment ROOT_AND_FEATURES = new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
            String name = javaClass.getPackageName();
            if (name.equals(ROOT)) {
                return SliceIdentifier.of("autoconfigure");
            }
            if (!name.startsWith(ROOT + ".")) {
                return SliceIdentifier.ignore();
            }
            String rest = name.substring(ROOT.length() + 1);
            int dot = rest.indexOf('.');
            return SliceIdentifier.of("autoconfigure." + (dot < 0 ? rest : rest.substring(0, dot)));
        }

        @Override
        public String getDescription() {
            return "the auto-configuration's root package and each package under it";
        }
    };

    @Test
    void autoConfigurationPackagesHaveNoCycle() {
        slices().assignedFrom(ROOT_AND_FEATURES).should().beFreeOfCycles().check(CLASSES);
    }
}
