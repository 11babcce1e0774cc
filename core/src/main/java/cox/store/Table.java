package cox.store;

import cox.store.journal.CellEncoding;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.dflib.DataFrame;

/**
 * One table of a {@link Store}: an append-only sequence of rows with a fixed {@link Schema}.
 * Mirrors Python cox's {@code cox.store.Table}.
 *
 * <p>Rows are built with {@link #updateRow} (any subset of columns, as often as needed) and
 * written with {@link #flushRow()}, or given whole to {@link #appendRow}. A flushed row is in the
 * store's journal when {@code flushRow()} returns, so a killed process does not lose it; it
 * reaches {@code store.h5} within about 200 ms, and at once on {@link Store#sync()} and
 * {@link Store#close()}.
 *
 * <p>Thread-safe: each method is atomic; threads that build rows piecewise with
 * {@code updateRow}/{@code flushRow} on one table share one staged row, as in cox.
 */
public final class Table {
    private final Store store;
    private final TableDefinition definition;
    private final ColumnType[] types;
    private final CellEncoding[] encodings;
    private final String[] names;
    private final Map<String, Integer> positions = new HashMap<>();
    private final String where;
    private final Object[] staged;
    private ByteBuffer buffer = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

    Table(Store store, TableDefinition definition) {
        this.store = store;
        this.definition = definition;
        this.types = definition.schema().values().toArray(new ColumnType[0]);
        this.encodings = JournalTables.encodings(definition.schema());
        this.names = definition.schema().keySet().toArray(new String[0]);
        for (int i = 0; i < names.length; i++) {
            positions.put(names[i], i);
        }
        this.where = "table '" + definition.name() + "' of store " + store.path();
        this.staged = new Object[types.length];
    }

    /**
     * @return the table's name. Python: {@code Table._name}.
     */
    public String name() {
        return definition.name();
    }

    /**
     * @return the table's columns, in order. Python: {@code Table.schema}.
     */
    public Schema schema() {
        return definition.schema();
    }

    int id() {
        return definition.id();
    }

    /**
     * Stages values for the current row; columns not named keep what was staged before. Every
     * value is checked first, so a bad value stages nothing. Python: {@code Table.update_row(data)}.
     *
     * @param data column names to values
     * @throws IllegalArgumentException for an unknown column or a value of the wrong type (the
     *     message names table, column, value and expected type)
     * @throws IllegalStateException if the store is read-only or closed
     */
    public synchronized void updateRow(Map<String, ?> data) {
        Objects.requireNonNull(data, "data");
        store.checkWritable("update a row of table '" + name() + "'");
        Object[] values = new Object[types.length];
        boolean[] given = new boolean[types.length];
        for (Map.Entry<String, ?> e : data.entrySet()) {
            Integer i = positions.get(e.getKey());
            if (i == null) {
                throw new IllegalArgumentException(where + " has no column '" + e.getKey() + "': its columns are "
                        + Arrays.toString(names));
            }
            values[i] = store.toCell(this, types[i], e.getValue(), e.getKey());
            given[i] = true;
        }
        for (int i = 0; i < types.length; i++) {
            if (given[i]) {
                staged[i] = values[i];
            }
        }
    }

    /**
     * Writes the staged row and starts a new, empty one. Returns once the row is in the
     * store's journal. Python: {@code Table.flush_row()}.
     *
     * @throws IllegalStateException if a column has no value (the message names it; the staged
     *     values are kept), or the store is read-only or closed
     */
    public synchronized void flushRow() {
        store.checkWritable("flush a row of table '" + name() + "'");
        List<String> missing = null;
        for (int i = 0; i < types.length; i++) {
            if (staged[i] == null) {
                if (missing == null) {
                    missing = new ArrayList<>();
                }
                missing.add(names[i]);
            }
        }
        if (missing != null) {
            throw new IllegalStateException(where + ": cannot flush the row, it has no value for column"
                    + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing.stream().map(m -> "'" + m + "'").toList())
                    + "; the values staged so far are kept");
        }
        buffer = StoreWriter.encodeRow(buffer, definition.id(), encodings, staged);
        store.writer().append(buffer, definition.id());
        Arrays.fill(staged, null);
    }

    /**
     * Stages {@code data} and flushes the row: {@code updateRow(data)} then {@code flushRow()}.
     * Python: {@code Table.append_row(data)}.
     *
     * @param data column names to values; with what was staged, every column must have one
     */
    public synchronized void appendRow(Map<String, ?> data) {
        updateRow(data);
        flushRow();
    }

    /**
     * @return how many rows the table has, flushed rows included. Python: {@code Table.nrows}.
     */
    public long nrows() {
        return store.rowCount(this);
    }

    /**
     * The table's rows as a data frame: columns in schema order, {@code Long} for INT,
     * {@code Double} for FLOAT, {@code Boolean} for BOOL, {@code String} for STR and for the
     * object types (the stored text, as cox's {@code Table.df} does). Python: {@code Table.df}.
     *
     * @return a new data frame of every row flushed so far
     */
    public DataFrame df() {
        return store.readColumns(this).toDataFrame();
    }

    /**
     * Unpickles the text of an OBJECT cell (base64 of a pickle). Loading never runs code: only
     * plain data is built (see {@link cox.torch.NumpyPickles}). Python: {@code Table.get_object(s)}.
     *
     * @param cell the cell's text, as {@link #df()} returns it
     * @return the value: Map, List, Object[] (tuple), Set, String, byte[], Long/BigInteger, Double, Boolean, null or Tensor
     */
    public Object getObject(String cell) {
        Objects.requireNonNull(cell, "cell");
        return ObjectCells.getObject(cell);
    }

    /**
     * Loads the object a PICKLE cell names from {@code .table_objects/UID}. Python: {@code Table.get_pickle(uid)}.
     *
     * @param uid the cell's text, a UUID
     * @return the unpickled value (plain data only)
     * @throws IllegalArgumentException if {@code uid} is not a UUID (no other path is ever opened)
     */
    public Object getPickle(String uid) {
        return ObjectCells.getPickle(store.objectDir(), uid);
    }

    /**
     * Loads the state dict a PYTORCH_STATE cell names from {@code .table_objects/UID}, a
     * {@code torch.save} file. Python: {@code Table.get_state_dict(uid)}.
     *
     * @param uid the cell's text, a UUID
     * @return the state dict
     * @throws IllegalArgumentException if {@code uid} is not a UUID
     */
    public cox.torch.StateDict getStateDict(String uid) {
        return ObjectCells.getStateDict(store.objectDir(), uid);
    }

    /**
     * The table's first rows, then "... (N rows hidden)".
     */
    @Override
    public String toString() {
        DataFrame df = df();
        int shown = Math.min(df.height(), 5);
        StringBuilder sb = new StringBuilder();
        sb.append("Table '").append(name()).append("' ").append(schema()).append(", ").append(df.height())
                .append(df.height() == 1 ? " row" : " rows").append('\n');
        // a table as pandas prints one; DFLib's own "N rows x M columns" footer gives way to ours
        String tabular = org.dflib.Printers.tabular(shown + 1, 40).toString(df.head(shown));
        sb.append(tabular.replaceFirst("^\\n", "").replaceFirst("\\n?\\d+ rows? x \\d+ columns?\\s*$", ""));
        if (df.height() > shown) {
            sb.append("\n... (").append(df.height() - shown).append(" rows hidden)");
        }
        return sb.toString();
    }
}
