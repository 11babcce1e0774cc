package cox.djl;

import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/** cox.djl uses core only through its exported packages, and its packages form no cycle. */
class DjlLayersTest {
    @Test
    void djl_usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.djl");
    }
}
