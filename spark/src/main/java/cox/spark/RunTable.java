package cox.spark;

import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** One cox table across the runs of a folder, readable in batch. */
final class RunTable implements SupportsRead {
    private final StructType schema;
    private final ReadOptions options;

    RunTable(StructType schema, ReadOptions options) {
        this.schema = schema;
        this.options = options;
    }

    @Override
    public String name() {
        return "cox:" + options.table() + "@" + options.source();
    }

    @Override
    public Column[] columns() {
        StructField[] fields = schema.fields();
        Column[] out = new Column[fields.length];
        for (int i = 0; i < fields.length; i++) {
            StructField f = fields[i];
            out[i] = Column.create(f.name(), f.dataType(), f.nullable(), null, f.metadata().json());
        }
        return out;
    }

    @Override
    public Set<TableCapability> capabilities() {
        return EnumSet.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap scanOptions) {
        return new RunScanBuilder(options, schema);
    }
}
