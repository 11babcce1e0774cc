package cox;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/** The rule the modules above core check can fail: cox.store itself uses core's internals. */
class CoreApiBoundaryTest {
    @Test
    void aPackageUsingCoresInternals_breaksTheRule() {
        assertThatThrownBy(() -> CoreApiBoundary.check("cox.store")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("cox.store.hdf5");
    }

    @Test
    void aPackageWithoutMainClasses_isAnError() {
        assertThatThrownBy(() -> CoreApiBoundary.check("cox.nothing")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("no main class found under cox.nothing");
    }
}
