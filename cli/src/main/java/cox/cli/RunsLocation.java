package cox.cli;

import cox.io.Locations;
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
        // files cox looks for that a run does not have (a Python run's journal) are not errors
        if (System.getProperty(S3_PROVIDER_LOG) == null) {
            System.setProperty(S3_PROVIDER_LOG, "off");
        }
        try {
            return Locations.of(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    /**
     * The converter of the arguments that name files or folders to write (cox demo's DIR, -o,
     * --cache-dir): a local path; a URI other than {@code file:} is refused, since runs elsewhere
     * are read-only.
     */
    static final class LocalOnly implements CommandLine.ITypeConverter<Path> {
        @Override
        public Path convert(String value) {
            if (Locations.isUri(value) && !value.regionMatches(true, 0, "file:", 0, 5)) {
                throw new CommandLine.TypeConversionException(value + " is not on this machine, and cox writes only local"
                        + " files: remote runs are read-only (write locally, then copy the run to the object store)");
            }
            return Path.of(value);
        }
    }
}
