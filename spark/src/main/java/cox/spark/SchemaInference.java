package cox.spark;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
import cox.readers.ReadError;
import cox.readers.TableSchema;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark schema of a cox table across the runs, inferred on the driver from the stores'
 * schemas with {@link CollectionReader#schemas()} (cox's INT with FLOAT is FLOAT): the table's
 * columns in the order first seen, {@code exp_id}, then the metadata table's columns when a
 * metadata join is asked (a name the table also has becomes {@code METADATA.NAME}), as
 * {@link CollectionReader#df} lays them out.
 *
 * <p>Types: INT is {@code bigint}, FLOAT {@code double}, BOOL {@code boolean}; STR, OBJECT,
 * PICKLE and PYTORCH_STATE are {@code string} (the stored text: base64 pickle or UID); a column
 * whose type differs between runs in any other way than INT/FLOAT is {@code string}, each cell
 * written as Python's {@code str()} would. The parameter columns are those of every run's
 * metadata table, so a run that lacks the table read still names its parameters (null in every
 * row), where {@link CollectionReader#df} joins the parameters of the runs it reads only. Each
 * field's metadata says where its cells come from ({@link #SOURCE}), which the scan needs once
 * Spark has pruned the columns.
 */
final class SchemaInference {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaInference.class);

    /** Field metadata key: {@code table}, {@code exp_id} or {@code parameter}. */
    static final String SOURCE = "cox.source";
    /** Field metadata key: the cox column name the field is read from. */
    static final String COLUMN = "cox.column";
    static final String FROM_TABLE = "table";
    static final String FROM_EXP_ID = "exp_id";
    static final String FROM_PARAMETER = "parameter";

    private SchemaInference() {
    }

    /**
     * Opens each run that passes the options' filter once, reading schemas only.
     *
     * @throws IllegalArgumentException if no run has the table
     * @throws CoxException naming a run whose store cannot be read (unless skipErrors), or whose
     *     storage failed (whatever skipErrors says)
     */
    static StructType infer(ReadOptions o) {
        Map<String, TableSchema> schemas = schemas(o);
        TableSchema main = schemas.get(o.table());
        if (main == null) {
            throw new IllegalArgumentException("no experiment in " + o.source() + " has a table '" + o.table()
                    + "'" + (schemas.isEmpty() ? " (no readable experiment there)" : "; the tables are " + schemas.keySet()));
        }
        List<StructField> fields = new ArrayList<>();
        Set<String> tableColumns = new LinkedHashSet<>(main.schema().keySet());
        tableColumns.remove(CollectionReader.EXP_ID); // replaced by the experiment id, as cox does
        for (String c : tableColumns) {
            fields.add(field(c, typeOf(main, c), FROM_TABLE, c));
        }
        fields.add(new StructField(CollectionReader.EXP_ID, DataTypes.StringType, false,
                meta(FROM_EXP_ID, CollectionReader.EXP_ID)));
        TableSchema meta = o.metadata() == null ? null : schemas.get(o.metadata());
        if (meta != null) {
            for (String p : meta.schema().keySet()) {
                if (p.equals(CollectionReader.EXP_ID)) {
                    continue;
                }
                String name = tableColumns.contains(p) ? o.metadata() + "." + p : p;
                fields.add(field(name, typeOf(meta, p), FROM_PARAMETER, p));
            }
        }
        return new StructType(fields.toArray(new StructField[0]));
    }

    private static Map<String, TableSchema> schemas(ReadOptions o) {
        if (o.singleExpId() != null) {
            Map<String, TableSchema> out = new java.util.LinkedHashMap<>();
            try (Store s = Store.open(o.directoryPath(), o.singleExpId(), Mode.READ)) {
                for (String t : s.keys()) {
                    Schema schema = s.table(t).schema();
                    out.put(t, new TableSchema(t, schema, 1, schema, Map.of()));
                }
            } catch (CoxException e) {
                throw e.withContext("experiment " + o.source());
            }
            return out;
        }
        try (CollectionReader reader = CollectionReader.builder(o.directoryPath())
                .expFilter(o.expIdPredicate()).skipErrors(o.skipErrors()).build()) {
            Map<String, TableSchema> out = reader.schemas();
            RunErrors.rethrowStorageFailures(reader);
            for (ReadError e : reader.errors()) {
                LOG.warn("cox: skipping experiment {} while inferring the schema: {}", e.expId(), e.reason());
            }
            return out;
        }
    }

    /** The Spark type of column {@code c}: the merged cox type, or string if the runs disagree otherwise. */
    static DataType typeOf(TableSchema ts, String c) {
        ColumnType merged = ts.schema().get(c);
        List<Schema> seen = new ArrayList<>(ts.differing().values());
        seen.add(ts.common());
        for (Schema s : seen) {
            ColumnType t = s.get(c);
            if (t != null && t != merged && !(merged == ColumnType.FLOAT && t == ColumnType.INT)) {
                return DataTypes.StringType;
            }
        }
        return sparkType(merged);
    }

    static DataType sparkType(ColumnType t) {
        return switch (t) {
            case INT -> DataTypes.LongType;
            case FLOAT -> DataTypes.DoubleType;
            case BOOL -> DataTypes.BooleanType;
            default -> DataTypes.StringType;
        };
    }

    private static StructField field(String name, DataType type, String source, String column) {
        return new StructField(name, type, true, meta(source, column));
    }

    private static Metadata meta(String source, String column) {
        return new MetadataBuilder().putString(SOURCE, source).putString(COLUMN, column).build();
    }
}
