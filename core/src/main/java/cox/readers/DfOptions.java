package cox.readers;

import cox.readers.filter.RunFilter;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * How {@link CollectionReader#df(String, DfOptions)} gathers a table: the keyword arguments of
 * Python cox's {@code CollectionReader.df(key, append_exp_id=True, keep_serialized=[],
 * union_schemas=False, exp_filter=None, skip_errors=False)}, plus a metadata join and a row
 * filter.
 *
 * <pre>{@code
 * DfOptions o = DfOptions.defaults().metadataTable("metadata").where(RunFilter.parse("lr < 0.1"));
 * }</pre>
 *
 * <p>Immutable and thread-safe: each method returns a new instance.
 */
public final class DfOptions {
    private static final DfOptions DEFAULTS = new DfOptions(true, Set.of(), true, null, null, null, null);

    private final boolean appendExpId;
    private final Set<String> keepSerialized;
    private final boolean unionSchemas;
    private final Predicate<String> expFilter;
    private final Boolean skipErrors;
    private final String metadataTable;
    private final RunFilter where;

    private DfOptions(boolean appendExpId, Set<String> keepSerialized, boolean unionSchemas, Predicate<String> expFilter,
            Boolean skipErrors, String metadataTable, RunFilter where) {
        this.appendExpId = appendExpId;
        this.keepSerialized = keepSerialized;
        this.unionSchemas = unionSchemas;
        this.expFilter = expFilter;
        this.skipErrors = skipErrors;
        this.metadataTable = metadataTable;
        this.where = where;
    }

    /**
     * @return the defaults: {@code exp_id} appended, objects decoded, schemas unioned, no extra
     *     filter, the reader's {@code skipErrors}, no metadata join
     */
    public static DfOptions defaults() {
        return DEFAULTS;
    }

    /**
     * Whether to add the {@value CollectionReader#EXP_ID} column (default true). Python:
     * {@code append_exp_id}. A metadata join or a filter that reads {@code exp_id} still uses it;
     * it is dropped at the end.
     *
     * @param append whether to add it
     * @return new options
     */
    public DfOptions appendExpId(boolean append) {
        return new DfOptions(append, keepSerialized, unionSchemas, expFilter, skipErrors, metadataTable, where);
    }

    /**
     * OBJECT and PICKLE columns to leave as their stored text (the base64 pickle, or the
     * {@code .table_objects} UID) instead of decoding them into Java values. Python:
     * {@code keep_serialized}. PYTORCH_STATE cells are never decoded (as in cox): load one with
     * {@code reader.store(expId).table(t).getStateDict(uid)}.
     *
     * @param columns column names (replacing those given before)
     * @return new options
     */
    public DfOptions keepSerialized(String... columns) {
        Set<String> set = new LinkedHashSet<>();
        for (String c : columns) {
            set.add(Objects.requireNonNull(c, "column"));
        }
        return new DfOptions(appendExpId, Collections.unmodifiableSet(set), unionSchemas, expFilter, skipErrors,
                metadataTable, where);
    }

    /**
     * Whether experiments whose table has other columns than the first experiment's are joined on
     * column names, cells they lack being null (true, the default), or are errors (false: without
     * {@code skipErrors} the call fails naming the experiment and the columns; with it the
     * experiment is skipped and reported). Python: {@code union_schemas}; note that Python cox's
     * {@code pd.concat} unions the columns whatever the flag says, so true is what cox users get.
     *
     * @param union whether to union the columns
     * @return new options
     */
    public DfOptions unionSchemas(boolean union) {
        return new DfOptions(appendExpId, keepSerialized, union, expFilter, skipErrors, metadataTable, where);
    }

    /**
     * Reads only the experiments whose id passes, besides the reader's own filter. Python:
     * {@code exp_filter}.
     *
     * @param filter a predicate on the experiment id, or null for none
     * @return new options
     */
    public DfOptions expFilter(Predicate<String> filter) {
        return new DfOptions(appendExpId, keepSerialized, unionSchemas, filter, skipErrors, metadataTable, where);
    }

    /**
     * Whether an experiment that cannot be read is skipped (and reported by
     * {@link CollectionReader#errors()}) rather than failing the call; overrides the reader's
     * setting for this call. Python: {@code skip_errors}.
     *
     * @param skip whether to skip unreadable experiments
     * @return new options
     */
    public DfOptions skipErrors(boolean skip) {
        return new DfOptions(appendExpId, keepSerialized, unionSchemas, expFilter, skip, metadataTable, where);
    }

    /**
     * Joins each row with its run's parameters: the last row of table {@code table} of the same
     * experiment, its columns appended after the table's (see {@link cox.readers.summary.RunMetadata#join}; a run
     * without that table gets nulls). Both tables are read in one opening of each store. Not in
     * Python cox, where every user merges by hand.
     *
     * @param table the metadata table, usually {@code "metadata"}, or null for no join
     * @return new options
     */
    public DfOptions metadataTable(String table) {
        return new DfOptions(appendExpId, keepSerialized, unionSchemas, expFilter, skipErrors, table, where);
    }

    /**
     * Keeps only the rows that pass {@code filter}, evaluated on each row with its
     * {@value CollectionReader#EXP_ID} and (with {@link #metadataTable}) its parameters, before the
     * rows are gathered. Not in Python cox.
     *
     * @param filter a row filter, or null for none
     * @return new options
     */
    public DfOptions where(RunFilter filter) {
        return new DfOptions(appendExpId, keepSerialized, unionSchemas, expFilter, skipErrors, metadataTable, filter);
    }

    /** @return whether {@value CollectionReader#EXP_ID} is appended */
    public boolean appendExpId() {
        return appendExpId;
    }

    /** @return the columns kept serialized */
    public Set<String> keepSerialized() {
        return keepSerialized;
    }

    /** @return whether differing schemas are unioned */
    public boolean unionSchemas() {
        return unionSchemas;
    }

    /** @return the extra experiment filter, or null */
    public Predicate<String> expFilter() {
        return expFilter;
    }

    /** @return this call's skipErrors, or null to use the reader's */
    public Boolean skipErrors() {
        return skipErrors;
    }

    /** @return the metadata table to join, or null */
    public String metadataTable() {
        return metadataTable;
    }

    /** @return the row filter, or null */
    public RunFilter where() {
        return where;
    }

    @Override
    public String toString() {
        return "DfOptions{appendExpId=" + appendExpId + ", keepSerialized=" + Arrays.toString(keepSerialized.toArray())
                + ", unionSchemas=" + unionSchemas + ", expFilter=" + (expFilter != null) + ", skipErrors=" + skipErrors
                + ", metadataTable=" + metadataTable + ", where=" + where + "}";
    }
}
