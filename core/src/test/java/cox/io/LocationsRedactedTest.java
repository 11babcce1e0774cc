package cox.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** {@link Locations#redacted}: a URI echoed without the credentials a user may have put in it. */
class LocationsRedactedTest {
    @Test
    void redacted_dropsAUserInfoWithASecretAndKeepsTheRest() {
        assertThat(Locations.redacted(URI.create("s3a://KEY:SECRET@bucket/team/runs?x=1#f")))
                .isEqualTo(URI.create("s3a://bucket/team/runs?x=1#f"));
        assertThat(Locations.redacted(URI.create("hdfs://alice:pw@nn:8020/runs"))).isEqualTo(URI.create("hdfs://nn:8020/runs"));
        // a name is not a secret: HDFS's user, Azure's container
        assertThat(Locations.redacted(URI.create("hdfs://alice@nn:8020/runs"))).isEqualTo(URI.create("hdfs://alice@nn:8020/runs"));
        assertThat(Locations.redacted(URI.create("wasb://runs@account.blob.core.windows.net/x")))
                .isEqualTo(URI.create("wasb://runs@account.blob.core.windows.net/x"));
        assertThat(Locations.redacted(URI.create("s3://my_bucket/runs"))).isEqualTo(URI.create("s3://my_bucket/runs"));
        assertThat(Locations.redacted(URI.create("file:///tmp/runs"))).isEqualTo(URI.create("file:///tmp/runs"));
        assertThat(Locations.redacted(URI.create("file:runs"))).isEqualTo(URI.create("file:runs"));
    }
}
