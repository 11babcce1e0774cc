package cox.io;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.spi.FileSystemProvider;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Where runs are: a local path, or a URI of any file system whose {@code java.nio} provider is on
 * the class path: {@code s3://bucket/prefix} (aws-java-nio-spi-for-s3), {@code hdfs://host:port/dir}
 * and the other Hadoop schemes (artifact {@code cox4j-hadoop}, module {@code hadoop}, with Hadoop's
 * client jars).
 *
 * <p>{@code s3://} is set up as the AWS tools do ({@link S3Settings}): credentials, region and
 * endpoint come from the usual AWS settings, {@code AWS_ENDPOINT_URL} included, with path-style
 * addressing when the endpoint is an IP address or {@code localhost}. A local path loads no
 * provider. Thread-safe.
 */
public final class Locations {
    private Locations() {
    }

    /**
     * The path a command-line argument or option names: a URI with a scheme of two or more
     * letters followed by {@code ://} (or {@code file:}) is resolved as {@link #path(URI)}; anything
     * else is a local path, so a folder named {@code exp:1} stays local.
     *
     * @param text what the user wrote
     * @return its path
     * @throws IllegalArgumentException naming the text if no installed file system serves its scheme
     */
    public static Path of(String text) {
        if (isUri(text)) {
            return path(URI.create(text));
        }
        return Path.of(text);
    }

    /**
     * Whether {@code text} is written as a URI ({@code scheme://...} or {@code file:...}) rather than a local path.
     *
     * @param text what the user wrote
     * @return true for a URI
     */
    public static boolean isUri(String text) {
        int colon = text.indexOf(':');
        if (colon < 2) {
            return false; // no scheme, or a Windows drive letter (C:\runs)
        }
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && ((c >= '0' && c <= '9') || c == '+'
                    || c == '-' || c == '.'));
            if (!ok) {
                return false;
            }
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        return text.startsWith("//", colon + 1) || scheme.equals("file");
    }

    /**
     * The path {@code uri} names: a URI without a scheme is a local path (its path part), a
     * {@code file:} URI is a local path; any other scheme is served by the installed
     * {@code java.nio} provider for it, whose file system is created on first use (with the
     * provider's default settings) and stays open for the life of the JVM.
     *
     * @param uri where the runs are
     * @return its path
     * @throws IllegalArgumentException naming the URI if no installed provider serves its scheme
     *     (the message says which jars do), or the provider refuses the URI
     * @throws CoxIOException naming the URI if its file system cannot be reached (the provider
     *     fails with an {@code IOException} or another error while making it)
     */
    public static Path path(URI uri) {
        Objects.requireNonNull(uri, "uri");
        String scheme = uri.getScheme();
        if (scheme == null) {
            return Path.of(uri.getPath());
        }
        if (scheme.equalsIgnoreCase("file")) {
            return Path.of(uri);
        }
        if (scheme.equalsIgnoreCase("s3")) {
            S3Settings.apply(System.getenv(), System.getProperties());
            // the S3 provider tells a folder from an object by a trailing slash alone
            uri = asFolder(uri);
        }
        FileSystemProvider provider = null;
        for (FileSystemProvider p : FileSystemProvider.installedProviders()) {
            if (p.getScheme().equalsIgnoreCase(scheme)) {
                provider = p;
                break;
            }
        }
        if (provider == null) {
            throw new IllegalArgumentException(noProvider(uri));
        }
        try {
            try {
                return provider.getPath(uri);
            } catch (FileSystemNotFoundException e) {
                if (scheme.equalsIgnoreCase("s3")) {
                    throw e; // its newFileSystem makes a bucket: a write
                }
                try {
                    provider.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException raced) {
                    // another thread made it: use it
                }
                return provider.getPath(uri);
            }
        } catch (java.nio.file.ProviderNotFoundException e) {
            // cox4j-hadoop's providers are installed without Hadoop's jars, and say that those are missing
            throw new IllegalArgumentException("cannot reach " + uri + ": " + e.getMessage() + " (the cox command adds"
                    + " $COX_CLASSPATH, e.g. COX_CLASSPATH=\"$(hadoop classpath)\")", e);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new IllegalArgumentException("the " + scheme.toLowerCase(Locale.ROOT) + ":// file system provider "
                    + provider.getClass().getName() + " does not take " + uri + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new CoxIOException("cannot reach " + uri + ": " + e, e);
        }
    }

    /** {@code uri} with its path ending in a slash (a bucket alone: {@code /}). */
    private static URI asFolder(URI uri) {
        String path = uri.getRawPath();
        if (path != null && path.endsWith("/")) {
            return uri;
        }
        String text = uri.toString();
        int end = text.length();
        for (char c : new char[] {'?', '#'}) {
            int i = text.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return URI.create(text.substring(0, end) + "/" + text.substring(end));
    }

    /**
     * The name of {@code path}'s last element, without the trailing slash some object-store
     * providers keep on a folder's name (the S3 provider lists {@code runs/exp-0/} as {@code exp-0/}).
     *
     * @param path a path of any file system
     * @return its file name, or "" for a root
     */
    public static String name(Path path) {
        Path name = path.getFileName();
        if (name == null) {
            return "";
        }
        String text = name.toString();
        return text.length() > 1 && text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }

    /**
     * How to write {@code path} in a message or on the command line: a local path as itself, any
     * other as its URI without a folder's trailing slash ({@code s3://bucket/runs}), which names the
     * bucket or host that its own {@code toString()} may leave out.
     *
     * @param path a path of any file system
     * @return its text
     */
    public static String text(Path path) {
        if (path.getFileSystem() == FileSystems.getDefault()) {
            return path.toString();
        }
        String uri = path.toUri().toString();
        return uri.endsWith("/") && path.getFileName() != null ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static boolean isHadoopScheme(String scheme) {
        return switch (scheme) {
            case "hdfs", "webhdfs", "viewfs", "s3a", "abfs", "abfss", "gs", "o3fs", "ofs" -> true; // cox4j-hadoop's providers
            default -> false;
        };
    }

    private static String noProvider(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String s3 = "s3:// is read through software.amazon.nio.s3:aws-java-nio-spi-for-s3, which the cox command ships";
        String hadoop = "hdfs://, webhdfs://, s3a://, abfs://, abfss://, gs://, viewfs:// and the other Hadoop schemes are"
                + " read through the artifact cox4j-hadoop with Hadoop's client jars on the class path (the cox command"
                + " adds $COX_CLASSPATH, e.g. COX_CLASSPATH=\"$(hadoop classpath)\")";
        String how = scheme.equals("s3") ? s3 + ": is it on the class path?"
                : isHadoopScheme(scheme) ? hadoop : hadoop + "; " + s3;
        return "no file system on the class path serves " + scheme + ": URIs such as " + uri + "; " + how;
    }

    /**
     * {@code uri} without a user-info that carries a secret ({@code s3a://KEY:SECRET@bucket/runs}
     * is {@code s3a://bucket/runs}), to echo a URI a user typed in a message or log line without
     * the credentials it may carry. A user-info without a colon is a name, not a secret (HDFS's
     * {@code hdfs://alice@nn/runs}, Azure's container in {@code wasb://container@account/runs}) and
     * is kept, as is a URI without user-info.
     *
     * @param uri a URI
     * @return it without a secret
     */
    public static URI redacted(URI uri) {
        String authority = uri.getRawAuthority();
        int at = authority == null ? -1 : authority.lastIndexOf('@');
        if (uri.isOpaque() || at < 0 || authority.lastIndexOf(':', at) < 0) {
            return uri;
        }
        StringBuilder sb = new StringBuilder(uri.getScheme()).append("://").append(authority.substring(at + 1));
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            sb.append('?').append(uri.getRawQuery());
        }
        if (uri.getRawFragment() != null) {
            sb.append('#').append(uri.getRawFragment());
        }
        return URI.create(sb.toString());
    }
}
