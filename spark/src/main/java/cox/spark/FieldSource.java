package cox.spark;

import cox.readers.CollectionReader;
import java.io.Serializable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * Where the cells of one output field come from in each run: a column of the table, the run's
 * id, or a column of the run's metadata row; or, for a field of a schema the user gave (no cox
 * metadata on it), the table's column of that name if the run's table has one, else the
 * parameter of that name ({@code METADATA.NAME} always the parameter).
 *
 * @param name the field's name
 * @param source {@link SchemaInference#FROM_TABLE}, {@link SchemaInference#FROM_EXP_ID},
 *     {@link SchemaInference#FROM_PARAMETER}, or null for a user's field
 * @param column the cox column name
 * @param type the field's Spark type
 */
record FieldSource(String name, String source, String column, DataType type) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads the field's cox metadata, or guesses from the name for a field of the user's schema. */
    static FieldSource of(StructField f, String metadataTable) {
        if (f.metadata().contains(SchemaInference.SOURCE)) {
            return new FieldSource(f.name(), f.metadata().getString(SchemaInference.SOURCE),
                    f.metadata().getString(SchemaInference.COLUMN), f.dataType());
        }
        if (f.name().equals(CollectionReader.EXP_ID)) {
            return new FieldSource(f.name(), SchemaInference.FROM_EXP_ID, f.name(), f.dataType());
        }
        if (metadataTable != null && f.name().startsWith(metadataTable + ".")) {
            return new FieldSource(f.name(), SchemaInference.FROM_PARAMETER,
                    f.name().substring(metadataTable.length() + 1), f.dataType());
        }
        return new FieldSource(f.name(), null, f.name(), f.dataType());
    }
}
