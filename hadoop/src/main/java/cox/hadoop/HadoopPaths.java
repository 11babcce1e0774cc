package cox.hadoop;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;

/**
 * Paths of Hadoop file systems made with a configuration of the caller's, without an installed
 * provider: what Spark's executors use (a job's jars are not on the system class loader that
 * {@code Path.of(URI)} asks, and Spark has its own configuration). Thread-safe.
 *
 * <pre>{@code
 * Path runs = HadoopPaths.of(URI.create("s3a://bucket/runs"), spark.sparkContext().hadoopConfiguration());
 * }</pre>
 */
public final class HadoopPaths {
    /**
     * One NIO file system per Hadoop file system (which Hadoop itself caches per scheme, authority
     * and user, unless {@code fs.SCHEME.impl.disable.cache}), while either is in use: weak keys
     * (identity, as Hadoop file systems do not override {@code equals}) and weak values (the NIO
     * file system holds its Hadoop one), so closed or uncached Hadoop file systems do not pile up.
     * Guarded by itself.
     */
    private static final Map<org.apache.hadoop.fs.FileSystem, WeakReference<HadoopFileSystem>> SYSTEMS =
            new WeakHashMap<>();
    private static final Map<String, HadoopFileSystemProvider> PROVIDERS = new ConcurrentHashMap<>();

    private HadoopPaths() {
    }

    /**
     * The path of {@code uri} on its Hadoop file system ({@code FileSystem.get(uri, conf)}),
     * read, and written only to publish runs, as {@link HadoopFileSystemProvider} describes. Two calls for the same Hadoop
     * file system give paths of the same NIO file system, so they compare equal. Each call asks
     * Hadoop for the file system: resolve a folder once and {@code resolve} paths under it.
     *
     * @param uri an absolute URI with a scheme Hadoop knows: {@code hdfs://nn:8020/runs}, {@code s3a://bucket/runs}
     * @param conf the Hadoop configuration (credentials, endpoints)
     * @return the path
     * @throws IllegalArgumentException if {@code uri} has no scheme
     * @throws IOException if Hadoop cannot make the file system (an unknown scheme, a missing connector)
     */
    public static Path of(URI uri, Configuration conf) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(conf, "conf");
        if (uri.getScheme() == null) {
            throw new IllegalArgumentException("a Hadoop URI has a scheme (hdfs://, s3a:// ...): " + uri);
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        org.apache.hadoop.fs.FileSystem hadoop = org.apache.hadoop.fs.FileSystem.get(uri, conf);
        HadoopFileSystem fs;
        synchronized (SYSTEMS) {
            WeakReference<HadoopFileSystem> known = SYSTEMS.get(hadoop);
            fs = known == null ? null : known.get();
            if (fs == null) {
                fs = provider(scheme).detached(hadoop, uri.getAuthority());
                SYSTEMS.put(hadoop, new WeakReference<>(fs));
            }
        }
        String p = uri.getPath();
        return new HadoopPath(fs, p == null || p.isEmpty() ? "/" : p);
    }

    /** The installed provider of {@code scheme} if there is one of ours, else a detached one. */
    private static HadoopFileSystemProvider provider(String scheme) {
        return PROVIDERS.computeIfAbsent(scheme, s -> {
            for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
                if (p instanceof HadoopFileSystemProvider h && h.getScheme().equals(s)) {
                    return h;
                }
            }
            return new HadoopFileSystemProvider(s) { };
        });
    }

    /**
     * The Hadoop file system a path of this module reads through, and the path as Hadoop names it:
     * for what {@code java.nio} does not say (Hadoop's statistics, permissions).
     *
     * @param path a path made by {@link #of} or an installed provider of this module
     * @return its Hadoop file system, shared with Hadoop's cache: do not close it
     * @throws IllegalArgumentException if {@code path} is not such a path
     */
    public static org.apache.hadoop.fs.FileSystem hadoopFileSystem(Path path) {
        if (!(path instanceof HadoopPath p)) {
            throw new IllegalArgumentException("not a path of a Hadoop file system: " + path);
        }
        return p.getFileSystem().hadoop();
    }

    /**
     * Whether {@code path} is a path of a Hadoop file system of this module.
     *
     * @param path any path
     * @return true if it reads through Hadoop
     */
    public static boolean isHadoopPath(Path path) {
        return path instanceof HadoopPath;
    }
}
