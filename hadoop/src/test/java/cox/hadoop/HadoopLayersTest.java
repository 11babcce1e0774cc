package cox.hadoop;

import cox.testing.CoreApiBoundary;
import org.junit.jupiter.api.Test;

/** cox.hadoop uses core only through its exported packages ({@code cox.io}), as the other modules above core. */
class HadoopLayersTest {
    @Test
    void usesOnlyCoresApi() {
        CoreApiBoundary.check("cox.hadoop");
    }
}
