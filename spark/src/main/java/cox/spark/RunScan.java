package cox.spark;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.filter.RunFilter;
import cox.readers.query.QueryException;
import cox.readers.query.RunSelection;
import cox.readers.summary.RunMetadata;
import cox.store.Mode;
import cox.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.internal.SQLConf;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.dflib.DataFrame;

/**
 * A planned read of a cox table: lists the runs on the driver (folder names only; the options'
 * {@code expFilter} and the pushed {@code exp_id} filters applied, so a pruned run's store is
 * never opened), and groups them, in id order, into input partitions of about the same size in
 * bytes, as Spark splits files: at most {@code spark.sql.files.maxPartitionBytes}, each store
 * costing {@code spark.sql.files.openCostInBytes} on top of its size, and at least as many
 * partitions as the default parallelism when the runs allow. Each partition's runs are read by
 * one task, so executors read different stores in parallel; each run is handed to Spark as one
 * column batch (or row by row when the session sets {@value #COLUMNAR_READS} to false).
 */
final class RunScan implements Scan, Batch {
    /**
     * Session setting: whether runs are handed to Spark as column batches (true, the default: the
     * vectors are read in place) or row by row ({@code PartitionReader<InternalRow>}).
     */
    static final String COLUMNAR_READS = "spark.cox.columnarReads";

    private final ReadOptions options;
    private final StructType fullSchema;
    private final StructType readSchema;
    private final Filter[] pushed;
    private List<String> expIds;
    /** For a remote folder: each listed run's store size, from the listing. */
    private Map<String, Long> listedSizes;

    RunScan(ReadOptions options, StructType fullSchema, StructType readSchema, Filter[] pushed) {
        this.options = options;
        this.fullSchema = fullSchema;
        this.readSchema = readSchema;
        this.pushed = pushed.clone();
    }

    @Override
    public StructType readSchema() {
        return readSchema;
    }

    @Override
    public String description() {
        return "cox table=" + options.table() + (options.metadata() == null ? "" : " metadata=" + options.metadata())
                + " path=" + options.source() + (options.expFilter() == null ? "" : " expFilter=" + options.expFilter())
                + " pushedFilters=" + Arrays.toString(pushed);
    }

    @Override
    public Batch toBatch() {
        return this;
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
        return ReadMetrics.supported();
    }

    @Override
    public InputPartition[] planInputPartitions() {
        List<String> ids = expIds();
        long openCost = SQLConf.get().filesOpenCostInBytes();
        long maxBytes = SQLConf.get().filesMaxPartitionBytes();
        long[] sizes = new long[ids.size()];
        long total = 0;
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = storeSize(ids.get(i)) + openCost;
            total += sizes[i];
        }
        int minPartitions = minPartitions();
        long split = Math.min(maxBytes, Math.max(openCost, total / Math.max(1, minPartitions)));
        List<InputPartition> out = new ArrayList<>();
        List<String> group = new ArrayList<>();
        long groupBytes = 0;
        for (int i = 0; i < sizes.length; i++) {
            if (!group.isEmpty() && groupBytes + sizes[i] > split) {
                out.add(new RunGroup(group, groupBytes));
                group = new ArrayList<>();
                groupBytes = 0;
            }
            group.add(ids.get(i));
            groupBytes += sizes[i];
        }
        if (!group.isEmpty()) {
            out.add(new RunGroup(group, groupBytes));
        }
        return out.toArray(new InputPartition[0]);
    }

    private static int minPartitions() {
        scala.Option<Object> configured = SQLConf.get().filesMinPartitionNum();
        if (configured.isDefined()) {
            return (Integer) configured.get();
        }
        return SparkSession.active().sparkContext().defaultParallelism();
    }

    private long storeSize(String expId) {
        if (listedSizes != null) {
            return listedSizes.getOrDefault(expId, 0L);
        }
        Path h5 = options.directoryPath().resolve(expId).resolve("store.h5");
        try {
            return Files.isRegularFile(h5) ? Files.size(h5) : 0;
        } catch (IOException e) {
            return 0; // a size is only a hint for planning; reading the run reports the real problem
        }
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
        StructField[] wanted = readSchema.fields();
        FieldSource[] fields = new FieldSource[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            StructField full = fullSchema.getFieldIndex(wanted[i].name()).isDefined()
                    ? fullSchema.apply(wanted[i].name()) : wanted[i];
            fields[i] = FieldSource.of(full, options.metadata());
        }
        String first = null;
        Set<String> expected = null;
        if (!options.unionSchemas()) {
            for (String id : expIds()) {
                Set<String> columns = tableColumns(id);
                if (columns != null) {
                    first = id;
                    expected = columns;
                    break;
                }
            }
        }
        boolean columnar = Boolean.parseBoolean(SQLConf.get().getConfString(COLUMNAR_READS, "true"));
        return new RunReaderFactory(options, fields, first, expected, columnar);
    }

    /** The columns of run {@code id}'s table, or null if it has none (or, skipping errors, cannot be read). */
    private Set<String> tableColumns(String id) {
        try (Store s = Store.open(options.directoryPath(), id, Mode.READ)) {
            if (!s.keys().contains(options.table())) {
                return null;
            }
            return new LinkedHashSet<>(s.table(options.table()).schema().keySet());
        } catch (CoxException e) {
            if (options.skipErrors() && !RunErrors.isStorageFailure(e)) {
                return null;
            }
            throw e.withContext("cannot read table '" + options.table() + "' of experiment " + id + " in "
                    + options.directory());
        }
    }

    /** The runs of {@code ids} that option {@code where} chooses, by exp_id, status and parameters. */
    private List<String> chosen(CollectionReader reader, List<String> ids) {
        Set<String> wanted = new HashSet<>(ids);
        DataFrame parameters = options.metadata() == null ? DataFrame.empty(CollectionReader.EXP_ID)
                : reader.df(options.metadata(), DfOptions.defaults().expFilter(wanted::contains));
        RunMetadata meta = RunMetadata.of(options.metadata() == null ? "metadata" : options.metadata(), parameters);
        try {
            return RunSelection.select(reader, meta, ids, RunFilter.parse(options.where()));
        } catch (QueryException e) {
            throw new IllegalArgumentException("option where: " + e.getMessage(), e);
        }
    }

    /** The runs to read, in id order: listed once per scan. */
    private List<String> expIds() {
        if (expIds == null) {
            Predicate<String> keep = options.expIdPredicate();
            for (Filter f : pushed) {
                keep = keep.and(id -> ExpIdFilters.test(f, id));
            }
            if (options.remote()) {
                expIds = remoteExpIds(keep);
                return expIds;
            }
            try (CollectionReader reader = CollectionReader.builder(options.directoryPath()).expFilter(keep)
                    .skipErrors(options.skipErrors()).build()) {
                List<String> ids = options.singleExpId() != null
                        ? (keep.test(options.singleExpId()) ? List.of(options.singleExpId()) : List.of())
                        : reader.expIds();
                expIds = options.where() == null ? ids : chosen(reader, ids);
                RunErrors.rethrowStorageFailures(reader);
            }
        }
        return expIds;
    }

    /**
     * The runs of a remote folder, from listings that carry the sizes planning needs: listing them
     * opens no store, except with option {@code where} (the runs' parameters are read). Other steps
     * on the driver do open stores: inferring the schema (every run's schemas, unless the read
     * gives {@code .schema(...)}) and, with {@code unionSchemas=false}, finding the first run
     * that has the table ({@link #createReaderFactory}).
     */
    private List<String> remoteExpIds(Predicate<String> keep) {
        Path dir = options.directoryPath();
        listedSizes = RunListing.runs(dir, keep, options.singleExpId(), options.skipErrors());
        List<String> ids = List.copyOf(listedSizes.keySet());
        if (options.where() == null) {
            return ids;
        }
        try (CollectionReader reader = CollectionReader.builder(dir).expFilter(keep).skipErrors(options.skipErrors())
                .build()) {
            List<String> chosen = chosen(reader, ids);
            RunErrors.rethrowStorageFailures(reader);
            return chosen;
        }
    }
}
