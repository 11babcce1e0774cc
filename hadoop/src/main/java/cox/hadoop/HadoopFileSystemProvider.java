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
import java.nio.file.StandardCopyOption;
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
 * A {@code java.nio} file system provider over Hadoop's {@code FileSystem}, for one URI scheme:
 * cox reads runs through it, and {@code cox push} publishes runs through it. The nested
 * subclasses, one per common Hadoop scheme, are registered in
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
 * without an installed provider, with a configuration of the caller's (Spark's). The provider is
 * installed whether or not Hadoop's jars are there: without them, making a path of it throws
 * {@link ProviderNotFoundException} saying so, and nothing of Hadoop is loaded before.
 *
 * <p>Reading: a file opened with {@link #newByteChannel} for reading is read through
 * {@code FSDataInputStream}'s positional reads, and its channel is a
 * {@link cox.io.PositionalInput}. Listing a folder keeps each child's Hadoop {@code FileStatus}
 * in the child path it returns, so that path's attributes cost no further request. cox's readers
 * never write.
 *
 * <p>Writing exists for publishing runs ({@code cox push}, {@code Store.publish}), and is only
 * what that needs:
 * <ul>
 *   <li>{@link #newOutputStream} and {@link #newByteChannel} with {@code WRITE} and
 *       {@code CREATE}, {@code CREATE_NEW} or {@code TRUNCATE_EXISTING}: a write-only stream or
 *       channel over {@code FileSystem.create}, written sequentially from the file's start
 *       ({@code APPEND}, {@code READ} with {@code WRITE}, {@code DELETE_ON_CLOSE}, {@code SYNC},
 *       {@code DSYNC} and writing into an existing file without truncating it are unsupported);
 *       the file's folder must exist;</li>
 *   <li>{@link #createDirectory}: one level, {@code FileSystem.mkdirs} once its parent is there;</li>
 *   <li>{@link #delete}: a file or an empty folder, never recursively;</li>
 *   <li>{@link #move}: {@code FileSystem.rename}; with {@code REPLACE_EXISTING} a target file or
 *       empty folder is replaced, on HDFS by the rename itself ({@code Options.Rename.OVERWRITE}),
 *       elsewhere by deleting it first. {@code ATOMIC_MOVE} is supported where a rename is one
 *       atomic operation: {@code hdfs}, {@code webhdfs} and {@code swebhdfs}. Every other scheme
 *       ({@code s3a}, {@code gs}, {@code abfs}: a rename copies, then deletes; {@code viewfs},
 *       {@code o3fs}, {@code ofs}: it depends on what is mounted or how the bucket is laid out)
 *       throws {@link java.nio.file.AtomicMoveNotSupportedException}, so a caller that wants
 *       atomicity knows it does not have it ({@code cox push} then moves plainly).</li>
 * </ul>
 * Copying, setting times or other attributes, links and file stores are unsupported
 * ({@link UnsupportedOperationException}). Hadoop's permission checks apply as in any client
 * of it. Thread-safe.
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

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException("cox4j-hadoop writes only what publishing a run needs: " + what
                + " is not supported");
    }

    /**
     * Opens a file: for reading (no {@code WRITE}), a channel that is a
     * {@link cox.io.PositionalInput} reading through {@code FSDataInputStream}'s positional reads;
     * with {@code WRITE}, a write-only channel over {@code FileSystem.create}, written sequentially
     * from the file's start (see the class comment for the options).
     *
     * @param path a file of this provider
     * @param options {@code READ} (or none) to read; {@code WRITE} with {@code CREATE},
     *     {@code CREATE_NEW} or {@code TRUNCATE_EXISTING} to write
     * @param attrs none
     * @return the channel
     * @throws UnsupportedOperationException for {@code APPEND}, {@code READ} with {@code WRITE},
     *     {@code DELETE_ON_CLOSE}, {@code SYNC}, {@code DSYNC}, file attributes, or writing into an
     *     existing file without truncating it
     * @throws NoSuchFileException if the file (when read, or written without {@code CREATE}) or its
     *     folder does not exist
     * @throws java.nio.file.FileAlreadyExistsException with {@code CREATE_NEW} if the file exists
     * @throws IOException if it is a folder or cannot be opened
     */
    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs)
            throws IOException {
        HadoopPath p = toHadoop(path);
        if (writes(options, attrs)) {
            return new HadoopWriteChannel(p.toUri().toString(), openForWriting(p, options));
        }
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
     * Whether {@code options} open a file for writing; refuses what this provider does not write.
     */
    private static boolean writes(Set<? extends OpenOption> options, FileAttribute<?>... attrs) {
        if (options.contains(StandardOpenOption.APPEND)) {
            throw unsupported("appending to a file (APPEND)");
        }
        for (OpenOption o : options) {
            if (o == StandardOpenOption.DELETE_ON_CLOSE || o == StandardOpenOption.SYNC || o == StandardOpenOption.DSYNC) {
                throw unsupported("opening a file with " + o);
            }
        }
        if (attrs.length > 0) {
            throw unsupported("file attributes");
        }
        boolean write = options.contains(StandardOpenOption.WRITE);
        if (write && options.contains(StandardOpenOption.READ)) {
            throw unsupported("opening a file for reading and writing at once");
        }
        return write;
    }

    private static java.io.OutputStream openForWriting(HadoopPath p, Set<? extends OpenOption> options)
            throws IOException {
        return HadoopWrites.create(p, options.contains(StandardOpenOption.CREATE_NEW),
                options.contains(StandardOpenOption.CREATE), options.contains(StandardOpenOption.TRUNCATE_EXISTING));
    }

    /**
     * Opens a file for writing: {@code FileSystem.create}'s stream, written sequentially from the
     * file's start. No options mean {@code CREATE}, {@code TRUNCATE_EXISTING}, {@code WRITE}.
     *
     * @param path a file of this provider, whose folder exists
     * @param options as {@link #newByteChannel} takes for writing
     * @return the stream; closing it completes the file
     * @throws IllegalArgumentException for {@code READ}
     * @throws UnsupportedOperationException as {@link #newByteChannel}
     * @throws NoSuchFileException if the file's folder does not exist
     * @throws IOException if Hadoop cannot create the file
     */
    @Override
    public java.io.OutputStream newOutputStream(Path path, OpenOption... options) throws IOException {
        HadoopPath p = toHadoop(path);
        Set<OpenOption> opts = new java.util.HashSet<>(java.util.Arrays.asList(options));
        if (opts.isEmpty()) {
            opts.add(StandardOpenOption.CREATE);
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (opts.contains(StandardOpenOption.READ)) {
            throw new IllegalArgumentException("READ is no option of an output stream");
        }
        opts.add(StandardOpenOption.WRITE);
        writes(opts);
        return openForWriting(p, opts);
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

    /**
     * Makes one folder ({@code FileSystem.mkdirs} once its parent is known to be a folder).
     *
     * @param dir the folder to make
     * @param attrs none
     * @throws java.nio.file.FileAlreadyExistsException if a file or folder is there
     * @throws NoSuchFileException if its parent does not exist
     * @throws UnsupportedOperationException for file attributes
     */
    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        HadoopPath d = toHadoop(dir);
        if (attrs.length > 0) {
            throw unsupported("file attributes");
        }
        HadoopWrites.createDirectory(d);
    }

    /**
     * Deletes a file or an empty folder ({@code FileSystem.delete}, never recursive).
     *
     * @throws NoSuchFileException if it does not exist
     * @throws java.nio.file.DirectoryNotEmptyException if it is a folder with children
     */
    @Override
    public void delete(Path path) throws IOException {
        HadoopWrites.delete(toHadoop(path));
    }

    /** @throws UnsupportedOperationException always: a push writes each file from its source */
    @Override
    public void copy(Path source, Path target, CopyOption... options) {
        throw unsupported("copying within a Hadoop file system");
    }

    /**
     * Moves (renames) a file or folder within one Hadoop file system ({@code FileSystem.rename}).
     *
     * @param options {@code REPLACE_EXISTING} to replace a file or empty folder at {@code target};
     *     {@code ATOMIC_MOVE} where renames are atomic (see the class comment)
     * @throws java.nio.file.AtomicMoveNotSupportedException for {@code ATOMIC_MOVE} on a scheme
     *     whose rename copies
     * @throws java.nio.file.FileAlreadyExistsException if {@code target} exists and is not to be replaced
     * @throws java.nio.file.DirectoryNotEmptyException if {@code target} is a folder with children
     * @throws NoSuchFileException if {@code source}, or {@code target}'s folder, does not exist
     * @throws UnsupportedOperationException for {@code COPY_ATTRIBUTES} and other options
     */
    @Override
    public void move(Path source, Path target, CopyOption... options) throws IOException {
        HadoopPath from = toHadoop(source);
        HadoopPath to = toHadoop(target);
        boolean replace = false;
        boolean atomic = false;
        for (CopyOption o : options) {
            if (o == StandardCopyOption.REPLACE_EXISTING) {
                replace = true;
            } else if (o == StandardCopyOption.ATOMIC_MOVE) {
                atomic = true;
            } else if (o != LinkOption.NOFOLLOW_LINKS) {
                throw unsupported("moving with " + o);
            }
        }
        HadoopWrites.move(from, to, replace, atomic);
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
     * Checks that {@code path} exists (its status is asked for, unless a listing gave it); for
     * {@code WRITE}, that Hadoop lets this user write it ({@code FileSystem.access}).
     *
     * @throws NoSuchFileException if it does not exist
     * @throws AccessDeniedException if {@code WRITE} is asked for and Hadoop denies it, or for {@code EXECUTE}
     */
    @Override
    public void checkAccess(Path path, AccessMode... modes) throws IOException {
        HadoopPath p = toHadoop(path);
        boolean write = false;
        for (AccessMode m : modes) {
            if (m == AccessMode.EXECUTE) {
                throw new AccessDeniedException(p.toUri().toString(), null, "nothing is executed from a Hadoop file system");
            }
            write |= m == AccessMode.WRITE;
        }
        status(p);
        if (write) {
            HadoopWrites.checkWrite(p);
        }
    }

    /**
     * A view of the basic attributes; only {@code readAttributes} works, {@code setTimes} is
     * unsupported.
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
                throw unsupported("setting a file's times");
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

    /** @throws UnsupportedOperationException always */
    @Override
    public void setAttribute(Path path, String attribute, Object value, LinkOption... options) {
        throw unsupported("setting a file's attributes");
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
