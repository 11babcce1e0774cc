package cox.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a URI naming a folder of runs ({@code file:///runs}, {@code s3://bucket/runs},
 * {@code hdfs://namenode:8020/runs}, ...) into a {@link Path} of the file system that serves it,
 * through the {@code java.nio} providers installed on the class path.
 */
public final class StoragePaths {
    private StoragePaths() {
    }

    /**
     * The path {@code uri} names.
     *
     * <ul>
     *   <li>{@code file:} URIs, and URIs without a scheme, are local paths.</li>
     *   <li>Any other scheme is handed to the installed provider for it ({@link Path#of(URI)}); if
     *       that provider has no file system for the URI yet, one is made with
     *       {@link FileSystems#newFileSystem(URI, Map)} and no settings (the provider's defaults:
     *       credentials, region and endpoint as its own documentation says). Such a file system
     *       stays open for the life of the JVM, shared by every later path of it.</li>
     * </ul>
     *
     * @param uri a folder or file
     * @return its path
     * @throws IllegalArgumentException naming the URI if no installed provider serves its scheme
     *     (the message says which jars provide {@code hdfs://} and {@code s3://}), or the provider
     *     refuses it
     * @throws UncheckedIOException if the provider cannot make a file system for it
     */
    public static Path of(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null) {
            return Path.of(uri.getPath());
        }
        if (scheme.equalsIgnoreCase("file")) {
            return Path.of(uri);
        }
        try {
            return Path.of(uri);
        } catch (FileSystemNotFoundException e) {
            if (!isInstalled(scheme)) {
                throw unknown(uri, e);
            }
        }
        try {
            FileSystems.newFileSystem(uri, Map.of());
        } catch (FileSystemAlreadyExistsException raced) {
            // another thread made it meanwhile
        } catch (ProviderNotFoundException e) {
            throw unknown(uri, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the file system of " + uri + ": " + e, e);
        }
        try {
            return Path.of(uri);
        } catch (FileSystemNotFoundException e) {
            throw new IllegalArgumentException("the file system provider for " + scheme + ":// made a file system for "
                    + uri + " but does not find it: " + e.getMessage(), e);
        }
    }

    /** Whether a provider for {@code scheme} is installed (the file: provider always is). */
    private static boolean isInstalled(String scheme) {
        for (java.nio.file.spi.FileSystemProvider p : java.nio.file.spi.FileSystemProvider.installedProviders()) {
            if (p.getScheme().equalsIgnoreCase(scheme)) {
                return true;
            }
        }
        return false;
    }

    private static IllegalArgumentException unknown(URI uri, RuntimeException cause) {
        return new IllegalArgumentException("no file system provider for " + uri.getScheme().toLowerCase(Locale.ROOT)
                + ":// is installed, so " + uri + " cannot be read: hdfs:// (and webhdfs://, s3a://, abfs://, gs://) needs"
                + " module cox4j-hadoop and the Hadoop client jars on the class path, s3:// needs"
                + " software.amazon.nio.s3:aws-java-nio-spi-for-s3", cause);
    }
}
