package cox.hadoop;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.FileStatus;

/**
 * A path of a {@link HadoopFileSystem}: slash-separated names, absolute when it starts with
 * {@code /}, as a Unix path. Immutable and thread-safe. A path that came out of a directory
 * listing carries the {@link FileStatus} the listing returned, so its attributes cost no further
 * request; the status takes no part in {@link #equals} or {@link #hashCode}.
 */
final class HadoopPath implements Path {
    private static final String[] NO_NAMES = new String[0];

    private final HadoopFileSystem fs;
    /** Normalised text: no empty names, no trailing slash (but "/" itself); "" is the empty path. */
    private final String path;
    private final String[] names;
    private final FileStatus listed;

    HadoopPath(HadoopFileSystem fs, String path) {
        this(fs, path, null);
    }

    private HadoopPath(HadoopFileSystem fs, String path, FileStatus listed) {
        this.fs = fs;
        this.path = clean(path);
        this.names = this.path.isEmpty() || this.path.equals("/") ? NO_NAMES
                : (this.path.startsWith("/") ? this.path.substring(1) : this.path).split("/");
        this.listed = listed;
    }

    /** This path, carrying the status a listing returned for it. */
    HadoopPath withListedStatus(FileStatus status) {
        return new HadoopPath(fs, path, status);
    }

    /** @return the status a directory listing returned for this path, or null */
    FileStatus listedStatus() {
        return listed;
    }

    private static String clean(String p) {
        if (p.indexOf('\u0000') >= 0) {
            throw new java.nio.file.InvalidPathException(p, "a path cannot hold a NUL character");
        }
        StringBuilder b = new StringBuilder(p.length());
        char prev = 0;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c == '/' && prev == '/') {
                continue;
            }
            b.append(c);
            prev = c;
        }
        if (b.length() > 1 && b.charAt(b.length() - 1) == '/') {
            b.setLength(b.length() - 1);
        }
        return b.toString();
    }

    /** @return the path's text, slash-separated */
    String text() {
        return path;
    }

    /**
     * Hadoop's path for this one, absolute (a relative path is taken from the working folder).
     *
     * @return the Hadoop path, with the file system's scheme and authority
     */
    org.apache.hadoop.fs.Path toHadoopPath() {
        return new org.apache.hadoop.fs.Path(fs.scheme(), fs.authority(), ((HadoopPath) toAbsolutePath()).path);
    }

    @Override
    public HadoopFileSystem getFileSystem() {
        return fs;
    }

    @Override
    public boolean isAbsolute() {
        return path.startsWith("/");
    }

    @Override
    public Path getRoot() {
        return isAbsolute() ? new HadoopPath(fs, "/") : null;
    }

    @Override
    public Path getFileName() {
        if (path.isEmpty()) {
            return this;
        }
        return names.length == 0 ? null : new HadoopPath(fs, names[names.length - 1]);
    }

    @Override
    public Path getParent() {
        if (names.length == 0 || (names.length == 1 && !isAbsolute())) {
            return null;
        }
        return new HadoopPath(fs, (isAbsolute() ? "/" : "") + String.join("/", Arrays.copyOf(names, names.length - 1)));
    }

    @Override
    public int getNameCount() {
        return path.isEmpty() ? 1 : names.length;
    }

    @Override
    public Path getName(int index) {
        if (path.isEmpty() && index == 0) {
            return this;
        }
        if (index < 0 || index >= names.length) {
            throw new IllegalArgumentException("name index " + index + " out of range for " + names.length + " names of "
                    + path);
        }
        return new HadoopPath(fs, names[index]);
    }

    @Override
    public Path subpath(int beginIndex, int endIndex) {
        if (beginIndex < 0 || endIndex > names.length || beginIndex >= endIndex) {
            throw new IllegalArgumentException("subpath(" + beginIndex + ", " + endIndex + ") of " + names.length
                    + " names of " + path);
        }
        return new HadoopPath(fs, String.join("/", Arrays.copyOfRange(names, beginIndex, endIndex)));
    }

    @Override
    public boolean startsWith(Path other) {
        if (!(other instanceof HadoopPath o) || o.fs != fs || o.isAbsolute() != isAbsolute()
                || o.names.length > names.length) {
            return false;
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public boolean endsWith(Path other) {
        if (!(other instanceof HadoopPath o) || o.fs != fs || o.names.length > names.length) {
            return false;
        }
        if (o.isAbsolute()) {
            return o.equals(this);
        }
        if (o.path.isEmpty()) {
            return path.isEmpty();
        }
        int off = names.length - o.names.length;
        for (int i = 0; i < o.names.length; i++) {
            if (!o.names[i].equals(names[off + i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public Path normalize() {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (n.equals(".")) {
                continue;
            }
            if (n.equals("..")) {
                if (!out.isEmpty() && !out.get(out.size() - 1).equals("..")) {
                    out.remove(out.size() - 1);
                    continue;
                }
                if (isAbsolute()) {
                    continue; // "/.." is "/"
                }
            }
            out.add(n);
        }
        return new HadoopPath(fs, (isAbsolute() ? "/" : "") + String.join("/", out));
    }

    @Override
    public Path resolve(Path other) {
        HadoopPath o = check(other);
        if (o.isAbsolute()) {
            return o;
        }
        if (o.path.isEmpty()) {
            return this;
        }
        if (path.isEmpty()) {
            return o;
        }
        return new HadoopPath(fs, path + "/" + o.path);
    }

    @Override
    public Path resolve(String other) {
        return resolve(new HadoopPath(fs, other));
    }

    @Override
    public Path relativize(Path other) {
        HadoopPath o = check(other);
        if (o.isAbsolute() != isAbsolute()) {
            throw new IllegalArgumentException("cannot relativize " + o + " against " + this
                    + ": one is absolute, the other not");
        }
        int common = 0;
        while (common < names.length && common < o.names.length && names[common].equals(o.names[common])) {
            common++;
        }
        List<String> out = new ArrayList<>();
        for (int i = common; i < names.length; i++) {
            out.add("..");
        }
        out.addAll(Arrays.asList(o.names).subList(common, o.names.length));
        return new HadoopPath(fs, String.join("/", out));
    }

    @Override
    public URI toUri() {
        try {
            return new URI(fs.scheme(), fs.authority(), ((HadoopPath) toAbsolutePath()).path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("path " + path + " of " + fs + " makes no URI: " + e.getMessage(), e);
        }
    }

    @Override
    public Path toAbsolutePath() {
        if (isAbsolute()) {
            return this;
        }
        return new HadoopPath(fs, fs.workingDirectory() + "/" + path);
    }

    @Override
    public Path toRealPath(LinkOption... options) throws NoSuchFileException {
        HadoopPath real = (HadoopPath) toAbsolutePath().normalize();
        try {
            fs.provider().status(real);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (java.io.IOException e) {
            NoSuchFileException n = new NoSuchFileException(real.toString(), null, e.getMessage());
            n.initCause(e);
            throw n;
        }
        return real;
    }

    @Override
    public WatchKey register(WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
        throw new UnsupportedOperationException("a Hadoop file system cannot be watched: " + toUri());
    }

    @Override
    public Iterator<Path> iterator() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < getNameCount(); i++) {
            out.add(getName(i));
        }
        return out.iterator();
    }

    @Override
    public int compareTo(Path other) {
        return path.compareTo(check(other).path);
    }

    private HadoopPath check(Path other) {
        Objects.requireNonNull(other, "other");
        if (!(other instanceof HadoopPath o) || o.fs != fs) {
            throw new ProviderMismatchException("not a path of " + fs + ": " + other);
        }
        return o;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HadoopPath p && p.fs == fs && p.path.equals(path);
    }

    @Override
    public int hashCode() {
        return path.hashCode() * 31 + System.identityHashCode(fs);
    }

    @Override
    public String toString() {
        return path;
    }
}
