package cox.store;

import cox.exceptions.CoxException;
import cox.exceptions.StoreFormatException;
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
     * @throws StoreFormatException if a cell of the table holds {@code cell} and it is not base64
     *     (the message names the store, table, column, row and the text)
     * @throws cox.exceptions.UnpicklingException if the pickle is damaged or not plain data (with
     *     the same context)
     * @throws IllegalArgumentException if {@code cell} is not base64 and no OBJECT cell of the table holds it
     */
    public Object getObject(String cell) {
        Objects.requireNonNull(cell, "cell");
        try {
            return ObjectCells.getObject(cell);
        } catch (IllegalArgumentException e) {
            throw damaged(ColumnType.OBJECT, cell, e);
        } catch (CoxException e) {
            throw e.withContext(cellAt(ColumnType.OBJECT, cell));
        }
    }

    /**
     * Loads the object a PICKLE cell names from {@code .table_objects/UID}. Python: {@code Table.get_pickle(uid)}.
     *
     * @param uid the cell's text, a UUID
     * @return the unpickled value (plain data only)
     * @throws StoreFormatException if a cell of the table holds {@code uid} and it is not a UUID
     *     (no other path is ever opened; the message names the store, table, column, row and the text)
     * @throws cox.exceptions.StoreException if the file is missing or its pickle is damaged or not
     *     plain data (an {@link cox.exceptions.UnpicklingException}), with the same context
     * @throws IllegalArgumentException if {@code uid} is not a UUID and no PICKLE cell of the table holds it
     */
    public Object getPickle(String uid) {
        Objects.requireNonNull(uid, "uid");
        try {
            return ObjectCells.getPickle(store.objectDir(), uid);
        } catch (IllegalArgumentException e) {
            throw damaged(ColumnType.PICKLE, uid, e);
        } catch (CoxException e) {
            throw e.withContext(cellAt(ColumnType.PICKLE, uid));
        }
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
     * The error for cell text that {@code ObjectCells} refuses: a damaged store if a cell of the
     * table holds it, else the caller's mistake.
     */
    private RuntimeException damaged(ColumnType type, String text, IllegalArgumentException e) {
        String at = cellAt(type, text);
        if (at.startsWith("store ")) {
            return new StoreFormatException(at + ": " + e.getMessage(), e);
        }
        return new IllegalArgumentException(at + ": " + e.getMessage(), e);
    }

    /**
     * Where {@code text} is, for a message: {@code store S, table 'T', column 'C', row R: TYPE cell
     * 'TEXT'} for the first cell of a column of {@code type} that holds it, else {@code TYPE cell
     * text 'TEXT' given for table 'T' of store S, which no cell of it holds}. Reads the table's
     * rows: only ever called on the way to an error.
     */
    private String cellAt(ColumnType type, String text) {
        String shown = "'" + (text.length() > 80 ? text.substring(0, 80) + "'... (" + text.length() + " characters)" : text + "'");
        shown = shown.replace("\n", "\\n").replace("\r", "\\r");
        try {
            DataFrame df = df();
            for (int c = 0; c < types.length; c++) {
                if (types[c] != type) {
                    continue;
                }
                org.dflib.Series<?> column = df.getColumn(c);
                for (int r = 0; r < column.size(); r++) {
                    if (text.equals(column.get(r))) {
                        return "store " + store.path() + ", table '" + name() + "', column '" + names[c] + "', row " + r
                                + ": " + type + " cell " + shown;
                    }
                }
            }
        } catch (CoxException | java.io.UncheckedIOException e) {
            // the rows cannot be read again: say what is known
        }
        return type + " cell text " + shown + " given for " + where + ", which no " + type + " cell of it holds";
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
