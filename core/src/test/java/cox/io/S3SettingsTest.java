package cox.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class S3SettingsTest {
    @ParameterizedTest
    @CsvSource({"http://127.0.0.1:9000, true", "http://localhost:4566, true", "https://LOCALHOST, true",
        "http://[::1]:9000, true", "10.0.0.7:9000, true", "https://s3.eu-west-1.amazonaws.com, false",
        "https://minio.example.com:9000, false", "http://1.2.3.4.nip.io, false"})
    void pathStyle_forIpAddressesAndLocalhost(String endpoint, boolean pathStyle) {
        assertThat(S3Settings.pathStyle(endpoint)).isEqualTo(pathStyle);
    }

    @Test
    void apply_setsPathStyleForALocalEndpoint() {
        Properties p = new Properties();
        S3Settings.apply(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"), p);
        assertThat(p.getProperty(S3Settings.FORCE_PATH_STYLE)).isEqualTo("true");
    }

    @Test
    void apply_leavesWhatTheUserSet() {
        Properties p = new Properties();
        p.setProperty(S3Settings.FORCE_PATH_STYLE, "false");
        S3Settings.apply(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000"), p);
        assertThat(p.getProperty(S3Settings.FORCE_PATH_STYLE)).isEqualTo("false");

        Properties q = new Properties();
        S3Settings.apply(Map.of("AWS_ENDPOINT_URL", "http://127.0.0.1:9000", "S3_SPI_FORCE_PATH_STYLE", "false"), q);
        assertThat(q.getProperty(S3Settings.FORCE_PATH_STYLE)).isNull();
    }

    @Test
    void apply_noEndpointOrAHostName_keepsVirtualHosts() {
        Properties p = new Properties();
        S3Settings.apply(Map.of(), p);
        S3Settings.apply(Map.of("AWS_ENDPOINT_URL", "https://s3.example.com"), p);
        assertThat(p).isEmpty();
    }

    @Test
    void endpoint_propertiesBeforeEnvironment_s3Before_general() {
        Properties p = new Properties();
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL", "http://a", "AWS_ENDPOINT_URL_S3", "http://b");
        assertThat(S3Settings.endpoint(env, p)).isEqualTo("http://b");
        p.setProperty("aws.endpointUrl", "http://c");
        assertThat(S3Settings.endpoint(env, p)).isEqualTo("http://c");
    }

    @Test
    void apply_regionFromAwsDefaultRegion_onlyWithoutAwsRegion() {
        Properties p = new Properties();
        S3Settings.apply(Map.of("AWS_DEFAULT_REGION", "eu-west-1"), p);
        assertThat(p.getProperty("aws.region")).isEqualTo("eu-west-1");

        Properties q = new Properties();
        S3Settings.apply(Map.of("AWS_DEFAULT_REGION", "eu-west-1", "AWS_REGION", "us-east-2"), q);
        assertThat(q.getProperty("aws.region")).isNull();
    }

    @Test
    void name_dropsAFoldersTrailingSlash() {
        assertThat(Locations.name(Path.of("/runs/exp-0"))).isEqualTo("exp-0");
        assertThat(Locations.name(Path.of("/"))).isEmpty();
    }

    @Test
    void text_ofALocalPath_isThePath() {
        assertThat(Locations.text(Path.of("runs"))).isEqualTo("runs");
    }

    @Test
    void of_aLocalPathOrExpColonOne_staysLocal() {
        assertThat(Locations.of("exp:1")).isEqualTo(Path.of("exp:1"));
        assertThat(Locations.of("file:///tmp/runs")).isEqualTo(Path.of("/tmp/runs"));
    }

    @Test
    void of_aSchemeNoProviderServes_namesTheUriAndWhatIsMissing() {
        assertThatThrownBy(() -> Locations.path(URI.create("hdfs://nn:8020/runs")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("hdfs://nn:8020/runs").hasMessageContaining("COX_CLASSPATH");
    }
}
