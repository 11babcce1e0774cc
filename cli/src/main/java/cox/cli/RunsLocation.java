package cox.cli;

import cox.io.Locations;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The picocli converter of the arguments that name runs to read (DIR, DIR/EXP): a local path as
 * {@link Path#of}, or a URI ({@code s3://bucket/runs}, {@code hdfs://nn:8020/runs}) through
 * {@link Locations#of}, which loads the file system provider only for a URI.
 */
final class RunsLocation implements CommandLine.ITypeConverter<Path> {
    /** The logger of the S3 provider, which logs an ERROR for every object it looks for and does not find. */
    private static final String S3_PROVIDER_LOG = "org.slf4j.simpleLogger.log.software.amazon.nio.spi.s3";

    @Override
    public Path convert(String value) {
        if (!Locations.isUri(value)) {
            return Path.of(value);
        }
        // what the provider logs is in the exception the command reports; its ERROR lines for
        // files cox looks for that a run (or a push's target) does not have are not errors
        if (System.getProperty(S3_PROVIDER_LOG) == null) {
            System.setProperty(S3_PROVIDER_LOG, "off");
        }
        try {
            return Locations.of(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(redactedIn(e.getMessage(), value));
        }
    }

    /**
     * How to echo what the user typed: a URI without its user-info ({@link Locations#redacted}),
     * which may hold credentials ({@code s3a://KEY:SECRET@bucket}); anything else as it is.
     *
     * @param value a path or URI as typed
     * @return it, fit to print
     */
    static String redacted(String value) {
        if (!Locations.isUri(value)) {
            return value;
        }
        try {
            return Locations.redacted(URI.create(value)).toString();
        } catch (IllegalArgumentException e) {
            return value.replaceFirst("^([^:]+://)[^/?#]*@", "$1"); // not a valid URI: its user-info all the same
        }
    }

    /** {@code message} with {@code value}, where it repeats it, {@link #redacted}. */
    static String redactedIn(String message, String value) {
        return message == null ? null : message.replace(value, redacted(value));
    }

    /**
     * The converter of the arguments that name files or folders to write (cox demo's DIR, -o,
     * --cache-dir): a local path, or the local path of a {@code file:} URI; any other URI is
     * refused, since runs elsewhere are read-only.
     */
    static final class LocalOnly implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (!Locations.isUri(value)) {
                return Path.of(value);
            }
            if (!value.regionMatches(true, 0, "file:", 0, 5)) {
                throw new CommandLine.TypeConversionException(redacted(value) + " is not on this machine, and cox writes only"
                        + " local files: remote runs are read-only (write locally, then copy the run with cox push)");
            }
            try {
                return Locations.of(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("not a local path: " + value + " (a file: URI names an"
                        + " absolute path, file:///tmp/x): " + e.getMessage());
            }
        }
    }
}
