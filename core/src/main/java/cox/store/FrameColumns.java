package cox.store;

import cox.exceptions.StoreFormatException;
import cox.store.hdf5.ColumnKind;
import cox.store.hdf5.FrameColumn;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between a {@link Schema} and the columns of a pandas frame table in
 * {@code store.h5}: how each type is stored, and which type a stored column is read as.
 */
final class FrameColumns {
    private FrameColumns() {
    }

    /** The frame-table columns cox4j writes for {@code schema}, each with its COX_DATA type name. */
    static List<FrameColumn> of(Schema schema) {
        List<FrameColumn> out = new ArrayList<>(schema.size());
        schema.forEach((name, type) -> out.add(new FrameColumn(name, kindOf(type), type.pythonName())));
        return out;
    }

    static ColumnKind kindOf(ColumnType type) {
        switch (type) {
            case INT:
                return ColumnKind.INT;
            case FLOAT:
                return ColumnKind.FLOAT;
            case BOOL:
                return ColumnKind.BOOL;
            default:
                return ColumnKind.TEXT;
        }
    }

    /**
     * The schema of table {@code table} read from {@code file}, whose frame columns are
     * {@code columns}: each column's COX_DATA type when it names one
     * cox4j knows and fits how the column is stored, else the type its storage reads as (a table
     * pandas wrote has no COX_DATA; an int column holding NaN is stored as float64).
     *
     * @throws StoreFormatException if COX_DATA calls a column text that is stored as numbers, or
     *     the other way round, names a marker type ({@code __...__}) cox does not have, or lists
     *     some columns and not others, or a
     *     column name is empty, repeated or holds control characters
     */
    static Schema schemaOf(String table, List<FrameColumn> columns, Path file) {
        Schema.Builder sb = Schema.builder();
        boolean anyTyped = columns.stream().anyMatch(c -> c.coxType() != null);
        for (FrameColumn c : columns) {
            if (anyTyped && c.coxType() == null) {
                // cox lists every column in COX_DATA; pandas writes no COX_DATA at all
                throw new StoreFormatException("table '" + table + "' in " + file + ": COX_DATA lists no type for column '"
                        + c.name() + "', though it lists others");
            }
            ColumnType stored = storedType(c.kind());
            ColumnType named = known(c.coxType());
            if (named == null && c.coxType() != null && c.coxType().startsWith("__") && c.coxType().endsWith("__")) {
                // cox marks its object types so; a marker it does not have is damage, not a type to guess
                throw new StoreFormatException("table '" + table + "' in " + file + ": column '" + c.name() + "' has the"
                        + " type '" + c.coxType() + "' in COX_DATA, which is none of cox's ('__object__', '__pickle__',"
                        + " '__pytorch_state__')");
            }
            ColumnType type = stored;
            if (named != null) {
                if (named.isText() != (c.kind() == ColumnKind.TEXT)) {
                    throw new StoreFormatException("table '" + table + "' in " + file + ": column '" + c.name()
                            + "' is " + named.pythonName() + " in COX_DATA but stored as " + c.kind());
                }
                if (named.isText() || named == stored) {
                    type = named;
                }
            }
            try {
                sb.add(c.name(), type);
            } catch (IllegalArgumentException e) {
                throw new StoreFormatException("table '" + table + "' in " + file + ": " + e.getMessage(), e);
            }
        }
        return sb.build();
    }

    private static ColumnType storedType(ColumnKind kind) {
        switch (kind) {
            case INT:
                return ColumnType.INT;
            case FLOAT:
                return ColumnType.FLOAT;
            case BOOL:
                return ColumnType.BOOL;
            default:
                return ColumnType.STR;
        }
    }

    private static ColumnType known(String coxType) {
        if (coxType == null) {
            return null;
        }
        return ColumnType.known(coxType); // null: a type cox4j does not know (a numpy class, say): the stored dtype decides
    }
}
