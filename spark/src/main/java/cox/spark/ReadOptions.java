package cox.spark;

import cox.readers.filter.RunFilter;
import cox.store.Store;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The options of {@code spark.read().format("cox")}, checked on the driver: where the runs are
 * (a storage folder of experiments, or one experiment folder), which table, and how to read it.
 * Immutable; serialized to the executors with each partition.
 *
 * @param directory the storage folder, absolute
 * @param singleExpId the experiment when the path is one experiment folder, else null
 * @param table the cox table to read
 * @param metadata the metadata table whose last row is joined to each run's rows, or null
 * @param expFilter a regular expression an experiment id must contain (find semantics), or null
 * @param unionSchemas whether runs whose table has other columns are joined on column names
 * @param skipErrors whether a run that cannot be read is left out (and counted) instead of failing the query
 * @param where a filter choosing whole runs by exp_id, status and parameters, as {@code cox export
 *     --where} ({@link cox.readers.query.RunSelection}), or null
 */
record ReadOptions(String directory, String singleExpId, String table, String metadata, String expFilter,
        boolean unionSchemas, boolean skipErrors, String where) implements Serializable {
    private static final long serialVersionUID = 1L;

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
        Path p = Path.of(path).toAbsolutePath().normalize();
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("not a folder: " + p + " (format(\"cox\") reads a folder of experiments,"
                    + " or one experiment folder)");
        }
        if (Store.isExperiment(p) && p.getParent() != null) {
            return new ReadOptions(p.getParent().toString(), p.getFileName().toString(), table, metadata, expFilter,
                    union, skip, where);
        }
        return new ReadOptions(p.toString(), null, table, metadata, expFilter, union, skip, where);
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

    /** @return the storage folder */
    Path directoryPath() {
        return Path.of(directory);
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
        return singleExpId == null ? directory : directoryPath().resolve(singleExpId).toString();
    }
}
