package cox.spark;

import cox.exceptions.CoxIOException;
import cox.hadoop.HadoopPaths;
import cox.io.Locations;
import cox.readers.filter.RunFilter;
import cox.store.Store;
import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The options of {@code spark.read().format("cox")}, checked on the driver: where the runs are
 * (a storage folder of experiments, or one experiment folder), which table, and how to read it.
 * Immutable; serialized to the executors with the reader factory. The folder's path is resolved
 * once per copy ({@link #directoryPath()}), not per run: with Hadoop's file system cache turned
 * off ({@code fs.SCHEME.impl.disable.cache}) each resolution would make a new Hadoop file system.
 *
 * <p>A {@code file:} URI is read as a local folder, and so is a plain path unless the session's
 * {@code fs.defaultFS} is another file system (then the path is on it, as Spark's own sources take
 * it: {@code load("/runs")} on a cluster whose default is {@code hdfs://nn} reads
 * {@code hdfs://nn/runs}). A URI of any other scheme ({@code hdfs://}, {@code s3a://}, {@code abfs://}, {@code gs://} ...) is read
 * through the Hadoop {@code FileSystem} of its scheme, with the session's Hadoop configuration
 * ({@code spark.hadoop.*} and the session's SQL settings, as Spark's own file sources), which
 * travels to the executors with the options.
 */
final class ReadOptions implements Serializable {
    private static final long serialVersionUID = 2L;

    private final String directory;
    private final String singleExpId;
    private final String table;
    private final String metadata;
    private final String expFilter;
    private final boolean unionSchemas;
    private final boolean skipErrors;
    private final String where;
    private final SerializableConfiguration hadoopConf;
    /** {@link #directoryPath()}, resolved once per copy (a driver's, each task's): not sent. */
    private transient volatile Path resolved;

    /**
     * @param directory the storage folder, absolute: a local path, or the full URI of a remote one
     * @param singleExpId the experiment when the path is one experiment folder, else null
     * @param table the cox table to read
     * @param metadata the metadata table whose last row is joined to each run's rows, or null
     * @param expFilter a regular expression an experiment id must contain (find semantics), or null
     * @param unionSchemas whether runs whose table has other columns are joined on column names
     * @param skipErrors whether a run that cannot be read is left out (and counted) instead of failing the query
     * @param where a filter choosing whole runs by exp_id, status and parameters, as {@code cox export
     *     --where} ({@link cox.readers.query.RunSelection}), or null
     * @param hadoopConf the Hadoop configuration a remote folder is read with; null for a local one
     */
    ReadOptions(String directory, String singleExpId, String table, String metadata, String expFilter,
            boolean unionSchemas, boolean skipErrors, String where, SerializableConfiguration hadoopConf) {
        this.directory = directory;
        this.singleExpId = singleExpId;
        this.table = table;
        this.metadata = metadata;
        this.expFilter = expFilter;
        this.unionSchemas = unionSchemas;
        this.skipErrors = skipErrors;
        this.where = where;
        this.hadoopConf = hadoopConf;
    }

    String directory() {
        return directory;
    }

    String singleExpId() {
        return singleExpId;
    }

    String table() {
        return table;
    }

    String metadata() {
        return metadata;
    }

    String expFilter() {
        return expFilter;
    }

    boolean unionSchemas() {
        return unionSchemas;
    }

    boolean skipErrors() {
        return skipErrors;
    }

    String where() {
        return where;
    }

    SerializableConfiguration hadoopConf() {
        return hadoopConf;
    }

    static final String PATH = "path";
    static final String TABLE = "table";
    static final String METADATA = "metadata";
    static final String EXP_FILTER = "expFilter";
    static final String UNION_SCHEMAS = "unionSchemas";
    static final String SKIP_ERRORS = "skipErrors";
    static final String WHERE = "where";
    private static final Set<String> KNOWN = Set.of(PATH, TABLE, METADATA, EXP_FILTER, UNION_SCHEMAS, SKIP_ERRORS, WHERE);

    /**
     * Reads and checks the options Spark passes (keys in any case).
     *
     * @throws IllegalArgumentException naming the option that is missing, unknown or malformed
     */
    static ReadOptions of(Map<String, String> options) {
        Map<String, String> lower = new java.util.HashMap<>();
        for (Map.Entry<String, String> e : options.entrySet()) {
            lower.put(e.getKey().toLowerCase(Locale.ROOT), e.getValue());
        }
        if (lower.containsKey("paths")) {
            throw new IllegalArgumentException("format(\"cox\") reads one folder: load(path) with a single path, got "
                    + lower.get("paths"));
        }
        Set<String> unknown = new TreeSet<>();
        for (String k : options.keySet()) {
            if (KNOWN.stream().noneMatch(known -> known.equalsIgnoreCase(k))) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown option" + (unknown.size() > 1 ? "s " : " ") + unknown
                    + " for format(\"cox\"): the options are table, metadata, expFilter, unionSchemas, skipErrors, where");
        }
        String path = lower.get(PATH);
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("format(\"cox\") needs a path: load(\"/path/to/runs\") or load(\"/path/to/runs/EXP_ID\")");
        }
        String table = lower.get(TABLE.toLowerCase(Locale.ROOT));
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("format(\"cox\") needs the table to read: .option(\"table\", \"results\")");
        }
        String metadata = blankToNull(lower.get(METADATA.toLowerCase(Locale.ROOT)));
        String expFilter = blankToNull(lower.get(EXP_FILTER.toLowerCase(Locale.ROOT)));
        if (expFilter != null) {
            try {
                Pattern.compile(expFilter);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("option expFilter is not a regular expression: "
                        + e.getMessage().replace('\n', ' '), e);
            }
        }
        String where = blankToNull(lower.get(WHERE));
        if (where != null) {
            try {
                RunFilter.parse(where);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("option where: " + e.getMessage(), e);
            }
        }
        boolean union = bool(lower, UNION_SCHEMAS, true);
        boolean skip = bool(lower, SKIP_ERRORS, false);
        if (isRemote(path)) {
            return remote(path, sessionHadoopConf(), table, metadata, expFilter, union, skip, where);
        }
        if (!isFileUri(path)) {
            // a plain path is on fs.defaultFS, as Spark's own sources take it: a local folder unless that is remote
            Configuration conf = defaultFsConf();
            if (conf != null) {
                return remote(path, conf, table, metadata, expFilter, union, skip, where);
            }
        }
        Path p = (isFileUri(path) ? Path.of(new org.apache.hadoop.fs.Path(path).toUri()) : Path.of(path))
                .toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("not a folder: " + p + " (format(\"cox\") reads a folder of experiments,"
                    + " or one experiment folder)");
        }
        if (Store.isExperiment(p) && p.getParent() != null) {
            return new ReadOptions(p.getParent().toString(), p.getFileName().toString(), table, metadata, expFilter,
                    union, skip, where, null);
        }
        return new ReadOptions(p.toString(), null, table, metadata, expFilter, union, skip, where, null);
    }

    /** The lower-case scheme of {@code path} if it is written as a URI ({@link Locations#isUri}), else null. */
    private static String scheme(String path) {
        return Locations.isUri(path) ? path.substring(0, path.indexOf(':')).toLowerCase(Locale.ROOT) : null;
    }

    /**
     * Whether {@code path} is a URI of a file system other than the local one: a scheme other than
     * {@code file}, followed by {@code //} ({@code hdfs://nn/runs}, {@code s3a://bucket/runs}); any
     * scheme Hadoop has a {@code FileSystem} for is read.
     */
    static boolean isRemote(String path) {
        String scheme = scheme(path);
        return scheme != null && !scheme.equals("file");
    }

    private static boolean isFileUri(String path) {
        return "file".equals(scheme(path));
    }

    /** The session's Hadoop configuration if its {@code fs.defaultFS} is not the local file system, else null. */
    private static Configuration defaultFsConf() {
        Configuration conf;
        try {
            conf = sessionHadoopConf();
        } catch (IllegalStateException noSession) {
            return null;
        }
        String scheme = org.apache.hadoop.fs.FileSystem.getDefaultUri(conf).getScheme();
        return scheme == null || scheme.equalsIgnoreCase("file") ? null : conf;
    }

    /** The options of a folder read through Hadoop, with the session's Hadoop configuration {@code conf}. */
    private static ReadOptions remote(String path, Configuration conf, String table, String metadata, String expFilter,
            boolean union, boolean skip, String where) {
        URI uri;
        try {
            org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(path);
            uri = hp.getFileSystem(conf).makeQualified(hp).toUri();
        } catch (IOException | RuntimeException e) {
            String shown = path.replaceFirst("^([^:/?#]+://)[^/?#]*@", "$1"); // no user-info (s3a://KEY:SECRET@bucket)
            throw new IllegalArgumentException("cannot reach " + shown + " through Hadoop's file system for its scheme: "
                    + String.valueOf(e.getMessage()).replace(path, shown), e);
        }
        SerializableConfiguration shipped = new SerializableConfiguration(conf);
        Path p = path(uri, conf);
        try {
            if (!Files.isDirectory(p)) {
                throw new IllegalArgumentException("not a folder: " + cox.io.Locations.redacted(uri) + " (format(\"cox\") reads a folder of"
                        + " experiments, or one experiment folder)");
            }
        } catch (SecurityException e) {
            throw new IllegalArgumentException("cannot read " + cox.io.Locations.redacted(uri) + ": " + e.getMessage(), e);
        }
        if (Store.isExperiment(p) && p.getParent() != null) {
            return new ReadOptions(p.getParent().toUri().toString(), p.getFileName().toString(), table, metadata,
                    expFilter, union, skip, where, shipped);
        }
        return new ReadOptions(p.toUri().toString(), null, table, metadata, expFilter, union, skip, where, shipped);
    }

    /** The session's Hadoop configuration: the context's, with the session's SQL settings, as Spark's file sources use. */
    private static Configuration sessionHadoopConf() {
        SparkSession session = SparkSession.active();
        if (session instanceof org.apache.spark.sql.classic.SparkSession classic) {
            return classic.sessionState().newHadoopConf();
        }
        return new Configuration(session.sparkContext().hadoopConfiguration());
    }

    private static Path path(URI uri, Configuration conf) {
        try {
            return HadoopPaths.of(uri, conf);
        } catch (IOException e) {
            throw new CoxIOException("cannot reach " + cox.io.Locations.redacted(uri) + " through Hadoop: " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static boolean bool(Map<String, String> lower, String name, boolean otherwise) {
        String v = lower.get(name.toLowerCase(Locale.ROOT));
        if (v == null || v.isBlank()) {
            return otherwise;
        }
        if (v.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (v.strip().equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException("option " + name + " is true or false, not '" + v + "'");
    }

    /** @return whether the folder is read through Hadoop (not a local folder) */
    boolean remote() {
        return hadoopConf != null;
    }

    /** @return the storage folder: a local path, or a path of its Hadoop file system (resolved once) */
    Path directoryPath() {
        Path p = resolved;
        if (p == null) {
            p = hadoopConf == null ? Path.of(directory) : path(URI.create(directory), hadoopConf.value());
            resolved = p;
        }
        return p;
    }

    /** @return the filter on experiment ids that {@link #expFilter} asks for (all pass without one) */
    Predicate<String> expIdPredicate() {
        if (expFilter == null) {
            return id -> true;
        }
        Pattern p = Pattern.compile(expFilter);
        return id -> p.matcher(id).find();
    }

    /** @return the path the user gave, as a folder: the collection or the single experiment */
    String source() {
        if (singleExpId == null) {
            return directory;
        }
        return remote() ? directory + "/" + singleExpId : directoryPath().resolve(singleExpId).toString();
    }
}
