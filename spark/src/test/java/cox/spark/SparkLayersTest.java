package cox.spark;

import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/** cox.spark uses core only through its exported packages, and its packages form no cycle. */
class SparkLayersTest {
    @Test
    void spark_usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.spark");
    }
}
