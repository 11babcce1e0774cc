package cox.io;

import java.net.URI;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * What the S3 provider ({@code aws-java-nio-spi-for-s3}) needs beyond the AWS SDK's own settings,
 * so that a user sets only what the AWS tools read. The SDK itself takes credentials
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY}, {@code AWS_PROFILE}, ...), the region
 * ({@code AWS_REGION}) and the endpoint ({@code AWS_ENDPOINT_URL_S3}, {@code AWS_ENDPOINT_URL}); on
 * top of that:
 * <ul>
 *   <li>path-style addressing ({@code http://host:port/bucket/key}) when the endpoint's host is an IP
 *       address or {@code localhost}, where a bucket cannot be a host name (S3Proxy, MinIO), as the
 *       AWS tools do: the provider's system property {@value #FORCE_PATH_STYLE}, unless the user set
 *       it or its variable {@code S3_SPI_FORCE_PATH_STYLE};</li>
 *   <li>the region from {@code AWS_DEFAULT_REGION}, which the AWS CLI reads and the Java SDK does
 *       not, when neither {@code AWS_REGION} nor {@code aws.region} is set.</li>
 * </ul>
 * They are system properties because the provider reads its settings from them when it makes a
 * file system (it takes no settings for {@code s3://} URIs otherwise).
 */
final class S3Settings {
    /** The provider's system property for path-style addressing. */
    static final String FORCE_PATH_STYLE = "s3.spi.force-path-style";

    private S3Settings() {
    }

    /**
     * Sets the system properties the environment calls for, leaving any the user set.
     *
     * @param env the environment ({@link System#getenv()})
     * @param properties the system properties to read and complete
     */
    static void apply(Map<String, String> env, Properties properties) {
        synchronized (properties) {
            String endpoint = endpoint(env, properties);
            if (endpoint != null && pathStyle(endpoint) && properties.getProperty(FORCE_PATH_STYLE) == null
                    && blank(env.get("S3_SPI_FORCE_PATH_STYLE"))) {
                properties.setProperty(FORCE_PATH_STYLE, "true");
            }
            if (blank(env.get("AWS_REGION")) && properties.getProperty("aws.region") == null
                    && !blank(env.get("AWS_DEFAULT_REGION"))) {
                properties.setProperty("aws.region", env.get("AWS_DEFAULT_REGION").trim());
            }
        }
    }

    /**
     * The S3 endpoint the AWS SDK will use, in its order: the system properties
     * {@code aws.endpointUrlS3}, {@code aws.endpointUrl}, then {@code AWS_ENDPOINT_URL_S3},
     * {@code AWS_ENDPOINT_URL}; null for AWS's own.
     */
    static String endpoint(Map<String, String> env, Properties properties) {
        for (String p : new String[] {"aws.endpointUrlS3", "aws.endpointUrl"}) {
            if (!blank(properties.getProperty(p))) {
                return properties.getProperty(p).trim();
            }
        }
        for (String v : new String[] {"AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"}) {
            if (!blank(env.get(v))) {
                return env.get(v).trim();
            }
        }
        return null;
    }

    /** Whether the host of {@code endpoint} is {@code localhost} or an IPv4 or IPv6 address. */
    static boolean pathStyle(String endpoint) {
        String host;
        try {
            host = URI.create(endpoint.contains("://") ? endpoint : "http://" + endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.startsWith("[")) {
            return true;
        }
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
