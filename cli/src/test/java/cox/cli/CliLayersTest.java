package cox.cli;

import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/** cox.cli uses core only through its exported packages, and its packages form no cycle. */
class CliLayersTest {
    @Test
    void cli_usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.cli");
    }
}
