package cox.hadoop;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.ProviderNotFoundException;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A read-only {@code java.nio} file system provider over Hadoop's {@code FileSystem}, for one
 * URI scheme. The nested subclasses, one per common Hadoop scheme, are registered in
 * {@code META-INF/services/java.nio.file.spi.FileSystemProvider}, so that with Hadoop's jars on
 * the class path (and, for object stores, the scheme's connector such as {@code hadoop-aws})
 * {@code Path.of(URI.create("hdfs://namenode:8020/runs"))} is a path cox reads:
 *
 * <pre>{@code
 * Path runs = Path.of(URI.create("hdfs://namenode:8020/runs"));     // Hadoop's default configuration
 * try (FileSystem fs = FileSystems.newFileSystem(URI.create("s3a://bucket/"),
 *         Map.of("hadoop.conf", conf, "fs.s3a.endpoint", "http://127.0.0.1:9000"))) { ... }
 * }</pre>
 *
 * <p>A file system is made for each scheme and authority on first use. Its Hadoop
 * configuration is, in this order: the {@code Configuration} under key {@value #CONF_KEY} of the
 * environment map, else {@code new Configuration()} with {@code core-site.xml} and
 * {@code hdfs-site.xml} of {@code $HADOOP_CONF_DIR} when that is set; then every other entry of
 * the map whose value is a {@code String} is set on it. {@link HadoopPaths#of} makes paths
 * without an installed provider, with a configuration of the caller's (Spark's).
 *
 * <p>Everything that writes (creating, deleting, moving, copying, writing a file or its
 * attributes) throws {@link ReadOnlyFileSystemException}: runs are published with Hadoop's own
 * API ({@code cox push}). A file opened with {@link #newByteChannel} is read through
 * {@code FSDataInputStream}'s positional reads, and its channel is a
 * {@link cox.io.PositionalInput}. Listing a folder keeps each child's Hadoop {@code FileStatus}
 * in the child path it returns, so that path's attributes cost no further request. Thread-safe.
 */
public class HadoopFileSystemProvider extends FileSystemProvider {
    /** Key of the environment map ({@code FileSystems.newFileSystem(uri, env)}) holding a Hadoop {@code Configuration}. */
    public static final String CONF_KEY = "hadoop.conf";

    private final String scheme;
    private final Map<String, HadoopFileSystem> systems = new ConcurrentHashMap<>();

    /**
     * A provider of scheme {@code scheme}, not installed: what {@link HadoopPaths#of} uses for a
     * scheme without a registered subclass.
     *
     * @param scheme the URI scheme, e.g. {@code hdfs}
     */
    protected HadoopFileSystemProvider(String scheme) {
        this.scheme = Objects.requireNonNull(scheme, "scheme").toLowerCase(Locale.ROOT);
    }

    /** @return this provider's URI scheme */
    @Override
    public String getScheme() {
        return scheme;
    }

    private static String key(URI uri) {
        return uri.getAuthority() == null ? "" : uri.getAuthority();
    }

    private void checkScheme(URI uri) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("URI " + uri + " is not of scheme " + scheme);
        }
        // installed whether or not Hadoop is there: say so rather than fail on a missing class
        try {
            Class.forName("org.apache.hadoop.fs.FileSystem", false, HadoopFileSystemProvider.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ProviderNotFoundException(scheme + "://" + key(uri) + " is read through Hadoop, whose jars"
                    + " (hadoop-client-api and hadoop-client-runtime, and the scheme's connector) are not on the class path");
        }
    }

    /**
     * Makes the file system of {@code uri}'s scheme and authority.
     *
     * @param uri e.g. {@code hdfs://namenode:8020/} (a path part is ignored)
     * @param env {@value #CONF_KEY} with a Hadoop {@code Configuration}, and Hadoop settings as strings
     * @return the new file system
     * @throws FileSystemAlreadyExistsException if one is open for that scheme and authority
     * @throws IOException if Hadoop cannot make its file system
     */
    @Override
    public FileSystem newFileSystem(URI uri, Map<String, ?> env) throws IOException {
        checkScheme(uri);
        String key = key(uri);
        synchronized (systems) {
            if (systems.containsKey(key)) {
                throw new FileSystemAlreadyExistsException(uri.getScheme() + "://" + key);
            }
            HadoopFileSystem fs = create(uri, configuration(env));
            systems.put(key, fs);
            return fs;
        }
    }

    private HadoopFileSystem create(URI uri, Configuration conf) throws IOException {
        String key = key(uri);
        URI root = URI.create(scheme + "://" + key + "/");
        org.apache.hadoop.fs.FileSystem hadoop = org.apache.hadoop.fs.FileSystem.get(root, conf);
        return new HadoopFileSystem(this, hadoop, scheme, uri.getAuthority(), () -> systems.remove(key));
    }

    /** A file system of this provider not kept in its table: {@link HadoopPaths}'. */
    HadoopFileSystem detached(org.apache.hadoop.fs.FileSystem hadoop, String authority) {
        return new HadoopFileSystem(this, hadoop, scheme, authority, () -> { });
    }

    /**
     * The Hadoop configuration of an environment map: {@value #CONF_KEY}'s, or the default one;
     * then the map's other string entries.
     */
    static Configuration configuration(Map<String, ?> env) {
        Object given = env.get(CONF_KEY);
        Configuration conf;
        if (given instanceof Configuration c) {
            conf = new Configuration(c);
        } else if (given != null) {
            throw new IllegalArgumentException(CONF_KEY + " is an org.apache.hadoop.conf.Configuration, not a "
                    + given.getClass().getName());
        } else {
            conf = defaultConfiguration();
        }
        for (Map.Entry<String, ?> e : env.entrySet()) {
            if (!e.getKey().equals(CONF_KEY) && e.getValue() instanceof String s) {
                conf.set(e.getKey(), s);
            }
        }
        return conf;
    }

    /** {@code new Configuration()} and, if {@code $HADOOP_CONF_DIR} is set, its core-site.xml and hdfs-site.xml. */
    static Configuration defaultConfiguration() {
        Configuration conf = new Configuration();
        String dir = System.getenv("HADOOP_CONF_DIR");
        if (dir != null && !dir.isBlank()) {
            for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                java.nio.file.Path f = java.nio.file.Path.of(dir, name);
                if (java.nio.file.Files.isRegularFile(f)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(f.toUri()));
                }
            }
        }
        return conf;
    }

    /**
     * The open file system of {@code uri}'s scheme and authority.
     *
     * @param uri a URI of this scheme
     * @return its file system
     * @throws FileSystemNotFoundException if none is open
     */
    @Override
    public FileSystem getFileSystem(URI uri) {
        checkScheme(uri);
        HadoopFileSystem fs = systems.get(key(uri));
        if (fs == null) {
            throw new FileSystemNotFoundException(uri.getScheme() + "://" + key(uri));
        }
        return fs;
    }

    /**
     * The path of {@code uri}, making its file system with the default configuration if none is
     * open ({@code Path.of(URI)}).
     *
     * @param uri an absolute URI of this scheme
     * @return its path
     * @throws java.io.UncheckedIOException if Hadoop cannot make the file system
     */
    @Override
    public Path getPath(URI uri) {
        checkScheme(uri);
        HadoopFileSystem fs = systems.get(key(uri));
        if (fs == null) {
            synchronized (systems) {
                fs = systems.get(key(uri));
                if (fs == null) {
                    try {
                        fs = create(uri, configuration(Map.of()));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException("cannot reach " + uri + " through Hadoop: " + e.getMessage(), e);
                    }
                    systems.put(key(uri), fs);
                }
            }
        }
        String p = uri.getPath();
        return new HadoopPath(fs, p == null || p.isEmpty() ? "/" : p);
    }

    static HadoopPath toHadoop(Path path) {
        Objects.requireNonNull(path, "path");
        if (!(path instanceof HadoopPath p)) {
            throw new ProviderMismatchException("not a Hadoop path: " + path);
        }
        return p;
    }

    /** The Hadoop status of {@code path}: the listed one it carries, else asked for (one request). */
    FileStatus status(HadoopPath path) throws IOException {
        FileStatus listed = path.listedStatus();
        if (listed != null) {
            return listed;
        }
        try {
            return path.getFileSystem().hadoop().getFileStatus(path.toHadoopPath());
        } catch (FileNotFoundException e) {
            NoSuchFileException n = new NoSuchFileException(path.toUri().toString());
            n.initCause(e);
            throw n;
        }
    }

    private static ReadOnlyFileSystemException readOnly() {
        return new ReadOnlyFileSystemException();
    }

    /**
     * Opens a file for reading: the channel is a {@link cox.io.PositionalInput} reading through
     * {@code FSDataInputStream}'s positional reads.
     *
     * @param path a file of this provider
     * @param options {@code READ} (or none); anything that writes is refused
     * @param attrs none
     * @return the channel
     * @throws ReadOnlyFileSystemException for an option that writes
     * @throws NoSuchFileException if the file does not exist
     * @throws IOException if it is a folder or cannot be opened
     */
    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        for (OpenOption o : options) {
            if (o == StandardOpenOption.WRITE || o == StandardOpenOption.APPEND || o == StandardOpenOption.CREATE
                    || o == StandardOpenOption.CREATE_NEW || o == StandardOpenOption.TRUNCATE_EXISTING
                    || o == StandardOpenOption.DELETE_ON_CLOSE || o == StandardOpenOption.SYNC
                    || o == StandardOpenOption.DSYNC) {
                throw readOnly();
            }
        }
        if (attrs.length > 0) {
            throw readOnly();
        }
        HadoopPath p = toHadoop(path);
        FileStatus st = status(p);
        if (st.isDirectory()) {
            throw new IOException("is a folder, not a file: " + p.toUri());
        }
        org.apache.hadoop.fs.FileSystem hadoop = p.getFileSystem().hadoop();
        FSDataInputStream in;
        try {
            // the status we hold saves object stores a second request before the first read
            in = hadoop.openFile(p.toHadoopPath()).withFileStatus(st)
                    .opt("fs.option.openfile.read.policy", "random").build().get();
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof FileNotFoundException) {
                NoSuchFileException n = new NoSuchFileException(p.toUri().toString());
                n.initCause(c);
                throw n;
            }
            throw c instanceof IOException io ? io : new IOException("cannot open " + p.toUri() + ": " + c, c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted opening " + p.toUri());
        } catch (IllegalArgumentException e) {
            // a file system whose openFile refuses the status (a path it qualifies otherwise): open plainly
            in = hadoop.open(p.toHadoopPath());
        }
        return new HadoopChannel(p.toUri().toString(), in, st.getLen());
    }

    /**
     * Lists a folder (one listing, paged by Hadoop for object stores); each child path carries
     * the status the listing returned.
     *
     * @param dir a folder
     * @param filter which children to return
     * @return the children
     * @throws NoSuchFileException if {@code dir} does not exist
     * @throws NotDirectoryException if it is a file
     */
    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        HadoopPath d = toHadoop(dir);
        org.apache.hadoop.fs.Path hd = d.toHadoopPath();
        RemoteIterator<FileStatus> it = null;
        FileStatus first;
        try {
            it = d.getFileSystem().hadoop().listStatusIterator(hd);
            first = it.hasNext() ? it.next() : null;
            if (first != null && !first.isDirectory() && first.getPath().toUri().getPath().equals(hd.toUri().getPath())) {
                throw new NotDirectoryException(d.toUri().toString()); // Hadoop lists a file as itself
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly(it, e); // an object store's paged listing holds a connection
            if (e instanceof FileNotFoundException) {
                NoSuchFileException n = new NoSuchFileException(d.toUri().toString());
                n.initCause(e);
                throw n;
            }
            throw e;
        }
        return new Listing(d, first, it, filter);
    }

    /** Closes a listing that will not be returned, if it can be closed; a failure is added to {@code failure}. */
    private static void closeQuietly(RemoteIterator<FileStatus> it, Exception failure) {
        if (it instanceof java.io.Closeable c) {
            try {
                c.close();
            } catch (IOException | RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    /** A folder's children, as Hadoop lists them. */
    private static final class Listing implements DirectoryStream<Path> {
        private final HadoopPath dir;
        private final RemoteIterator<FileStatus> rest;
        private final Filter<? super Path> filter;
        private FileStatus first;
        private boolean iterated;
        private boolean closed;

        Listing(HadoopPath dir, FileStatus first, RemoteIterator<FileStatus> rest, Filter<? super Path> filter) {
            this.dir = dir;
            this.first = first;
            this.rest = rest;
            this.filter = filter;
        }

        @Override
        public synchronized Iterator<Path> iterator() {
            if (closed || iterated) {
                throw new IllegalStateException("a directory stream is iterated once, while open: " + dir.toUri());
            }
            iterated = true;
            return new Iterator<>() {
                private Path next;

                @Override
                public boolean hasNext() {
                    while (next == null && !closed) {
                        FileStatus st;
                        try {
                            if (first != null) {
                                st = first;
                                first = null;
                            } else if (rest.hasNext()) {
                                st = rest.next();
                            } else {
                                return false;
                            }
                        } catch (IOException e) {
                            throw new DirectoryIteratorException(e);
                        }
                        Path child = dir.resolve(st.getPath().getName());
                        child = ((HadoopPath) child).withListedStatus(st);
                        try {
                            if (filter == null || filter.accept(child)) {
                                next = child;
                            }
                        } catch (IOException e) {
                            throw new DirectoryIteratorException(e);
                        }
                    }
                    return next != null;
                }

                @Override
                public Path next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    Path p = next;
                    next = null;
                    return p;
                }
            };
        }

        /** Ends the listing; an object store's paged listing is closed with it. */
        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                if (rest instanceof java.io.Closeable c) {
                    c.close();
                }
            }
        }
    }

    /** @throws ReadOnlyFileSystemException always */
    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) {
        throw readOnly();
    }

    /** @throws ReadOnlyFileSystemException always */
    @Override
    public void delete(Path path) {
        throw readOnly();
    }

    /** @throws ReadOnlyFileSystemException always */
    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw readOnly();
    }

    /** @throws ReadOnlyFileSystemException always */
    @Override
    public void move(Path source, Path target, CopyOption... options) {
        throw readOnly();
    }

    /** @return whether the two are equal paths (Hadoop file systems have no links cox follows) */
    @Override
    public boolean isSameFile(Path path, Path path2) {
        return toHadoop(path).toAbsolutePath().normalize().equals(path2.toAbsolutePath().normalize());
    }

    /** @return whether the file's name starts with a dot */
    @Override
    public boolean isHidden(Path path) {
        Path name = toHadoop(path).getFileName();
        return name != null && name.toString().startsWith(".");
    }

    /** @throws UnsupportedOperationException always: Hadoop file systems have no file stores here */
    @Override
    public FileStore getFileStore(Path path) {
        throw new UnsupportedOperationException("no file store for a Hadoop path: " + path);
    }

    /**
     * Checks that {@code path} exists (its status is asked for, unless a listing gave it); write
     * access is always denied.
     *
     * @throws NoSuchFileException if it does not exist
     * @throws AccessDeniedException if {@code WRITE} is asked for
     */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        HadoopPath p = toHadoop(path);
        for (AccessMode m : modes) {
            if (m == AccessMode.WRITE) {
                throw new AccessDeniedException(p.toUri().toString(), null, "read-only file system");
            }
        }
        status(p);
    }

    /**
     * A view of the basic attributes; only {@code readAttributes} works, {@code setTimes} is
     * refused.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <V extends FileAttributeView> V getFileAttributeView(Path path, Class<V> type, LinkOption... options) {
        HadoopPath p = toHadoop(path);
        if (type != BasicFileAttributeView.class) {
            return null;
        }
        return (V) new BasicFileAttributeView() {
            @Override
            public String name() {
                return "basic";
            }

            @Override
            public BasicFileAttributes readAttributes() throws IOException {
                return new HadoopAttributes(status(p));
            }

            @Override
            public void setTimes(FileTime lastModifiedTime, FileTime lastAccessTime, FileTime createTime) {
                throw readOnly();
            }
        };
    }

    /**
     * The basic attributes of {@code path}, from its status (listed, or asked for).
     *
     * @throws UnsupportedOperationException for attributes other than {@link BasicFileAttributes}
     * @throws NoSuchFileException if it does not exist
     */
    @Override
    @SuppressWarnings("unchecked")
    public <A extends BasicFileAttributes> A readAttributes(Path path, Class<A> type, LinkOption... options)
            throws IOException {
        if (type != BasicFileAttributes.class) {
            throw new UnsupportedOperationException("a Hadoop path has basic attributes only, not " + type.getName());
        }
        return (A) new HadoopAttributes(status(toHadoop(path)));
    }

    /** The basic attributes by name ({@code basic:size,lastModifiedTime}, {@code *}). */
    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String names = attributes;
        int colon = names.indexOf(':');
        if (colon >= 0) {
            if (!names.substring(0, colon).equals("basic")) {
                throw new UnsupportedOperationException("a Hadoop path has basic attributes only: " + attributes);
            }
            names = names.substring(colon + 1);
        }
        BasicFileAttributes a = readAttributes(path, BasicFileAttributes.class);
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("lastModifiedTime", a.lastModifiedTime());
        all.put("lastAccessTime", a.lastAccessTime());
        all.put("creationTime", a.creationTime());
        all.put("size", a.size());
        all.put("isRegularFile", a.isRegularFile());
        all.put("isDirectory", a.isDirectory());
        all.put("isSymbolicLink", a.isSymbolicLink());
        all.put("isOther", a.isOther());
        all.put("fileKey", a.fileKey());
        if (names.equals("*")) {
            return all;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (String n : names.split(",")) {
            if (!all.containsKey(n)) {
                throw new IllegalArgumentException("no basic attribute '" + n + "'");
            }
            out.put(n, all.get(n));
        }
        return out;
    }

    /** @throws ReadOnlyFileSystemException always */
    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw readOnly();
    }

    /** The provider of {@code hdfs://} (HDFS). */
    public static final class Hdfs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public Hdfs() {
            super("hdfs");
        }
    }

    /** The provider of {@code webhdfs://} (HDFS over HTTP). */
    public static final class WebHdfs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public WebHdfs() {
            super("webhdfs");
        }
    }

    /** The provider of {@code viewfs://} (a mount table over other Hadoop file systems). */
    public static final class ViewFs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public ViewFs() {
            super("viewfs");
        }
    }

    /** The provider of {@code s3a://} (Amazon S3 and compatible stores, through {@code hadoop-aws}). */
    public static final class S3a extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public S3a() {
            super("s3a");
        }
    }

    /** The provider of {@code abfs://} (Azure Data Lake Storage Gen2, through {@code hadoop-azure}). */
    public static final class Abfs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public Abfs() {
            super("abfs");
        }
    }

    /** The provider of {@code abfss://} (Azure Data Lake Storage Gen2 over TLS). */
    public static final class Abfss extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public Abfss() {
            super("abfss");
        }
    }

    /** The provider of {@code gs://} (Google Cloud Storage, through Google's GCS connector). */
    public static final class Gs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public Gs() {
            super("gs");
        }
    }

    /** The provider of {@code o3fs://} (Apache Ozone). */
    public static final class O3fs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public O3fs() {
            super("o3fs");
        }
    }

    /** The provider of {@code ofs://} (Apache Ozone's rooted file system). */
    public static final class Ofs extends HadoopFileSystemProvider {
        /** Made by the service loader. */
        public Ofs() {
            super("ofs");
        }
    }
}
