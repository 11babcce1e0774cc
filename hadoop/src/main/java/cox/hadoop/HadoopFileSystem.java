package cox.hadoop;

import java.io.IOException;
import java.nio.file.ClosedFileSystemException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@code java.nio} file system over one Hadoop {@code FileSystem}: one scheme and
 * authority ({@code hdfs://namenode:8020}, {@code s3a://bucket}). Thread-safe. Closing it
 * forgets it; the Hadoop file system it reads through is Hadoop's shared, cached instance and
 * stays open for its other users (Spark among them). It writes only what publishing a run needs
 * ({@link HadoopFileSystemProvider}).
 */
final class HadoopFileSystem extends FileSystem {
    private final HadoopFileSystemProvider provider;
    private final org.apache.hadoop.fs.FileSystem hadoop;
    private final String scheme;
    private final String authority;
    private final String workingDirectory;
    private final Runnable onClose;
    private volatile boolean open = true;

    HadoopFileSystem(HadoopFileSystemProvider provider, org.apache.hadoop.fs.FileSystem hadoop, String scheme,
            String authority, Runnable onClose) {
        this.provider = provider;
        this.hadoop = hadoop;
        this.scheme = scheme;
        this.authority = authority;
        String wd = hadoop.getWorkingDirectory().toUri().getPath();
        this.workingDirectory = wd == null || wd.isEmpty() ? "/" : wd;
        this.onClose = onClose;
    }

    /** @return the Hadoop file system read through */
    org.apache.hadoop.fs.FileSystem hadoop() {
        if (!open) {
            throw new ClosedFileSystemException();
        }
        return hadoop;
    }

    /** @return the URI scheme, e.g. {@code hdfs} */
    String scheme() {
        return scheme;
    }

    /** @return the URI authority (host and port, or bucket), or null for the default file system's */
    String authority() {
        return authority;
    }

    /** @return the folder relative paths are taken from: Hadoop's working directory */
    String workingDirectory() {
        return workingDirectory;
    }

    @Override
    public HadoopFileSystemProvider provider() {
        return provider;
    }

    @Override
    public void close() throws IOException {
        if (open) {
            open = false;
            onClose.run();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /** @return false: files can be written, as publishing a run ({@code cox push}) needs */
    @Override
    public boolean isReadOnly() {
        return false;
    }

    @Override
    public String getSeparator() {
        return "/";
    }

    @Override
    public Iterable<Path> getRootDirectories() {
        return List.of(new HadoopPath(this, "/"));
    }

    @Override
    public Iterable<FileStore> getFileStores() {
        return List.of();
    }

    @Override
    public Set<String> supportedFileAttributeViews() {
        return Set.of("basic");
    }

    @Override
    public Path getPath(String first, String... more) {
        if (more.length == 0) {
            return new HadoopPath(this, first);
        }
        StringBuilder b = new StringBuilder(first);
        for (String m : more) {
            if (!m.isEmpty()) {
                if (b.length() > 0) {
                    b.append('/');
                }
                b.append(m);
            }
        }
        return new HadoopPath(this, b.toString());
    }

    @Override
    public PathMatcher getPathMatcher(String syntaxAndPattern) {
        int colon = syntaxAndPattern.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("not syntax:pattern: " + syntaxAndPattern);
        }
        String syntax = syntaxAndPattern.substring(0, colon).toLowerCase(Locale.ROOT);
        if (syntax.equals("regex")) {
            Pattern p = Pattern.compile(syntaxAndPattern.substring(colon + 1));
            return path -> p.matcher(path.toString()).matches();
        }
        if (syntax.equals("glob")) {
            // a glob over slash-separated names means the same here as on a Unix file system
            PathMatcher unix = FileSystems.getDefault().getPathMatcher(syntaxAndPattern);
            return path -> unix.matches(Path.of(path.toString()));
        }
        throw new UnsupportedOperationException("path matcher syntax '" + syntax + "': glob or regex");
    }

    @Override
    public UserPrincipalLookupService getUserPrincipalLookupService() {
        throw new UnsupportedOperationException("a Hadoop file system has no user principal lookup here");
    }

    @Override
    public WatchService newWatchService() {
        throw new UnsupportedOperationException("a Hadoop file system cannot be watched");
    }

    @Override
    public String toString() {
        return scheme + "://" + (authority == null ? "" : authority);
    }
}
