package cox.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import cox.exceptions.CoxException;
import cox.readers.text.CellText;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dflib.BooleanSeries;
import org.dflib.DataFrame;
import org.dflib.DoubleSeries;
import org.dflib.LongSeries;
import org.dflib.Series;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * An in-memory DuckDB database that tables of runs are poured into, frame after frame, through
 * DuckDB's appender (cells go straight into DuckDB's column chunks: no SQL per row). What
 * {@code cox sql} queries and {@code cox export} writes out with DuckDB's {@code COPY}.
 *
 * <p>A table's SQL types follow its cells: {@code long} cells are {@code BIGINT}, {@code double}
 * {@code DOUBLE} (NaN and infinities kept), {@code boolean} {@code BOOLEAN}, text {@code VARCHAR},
 * decoded OBJECT/PICKLE values (maps, lists, tuples) {@code JSON} (NaN inside them is null, as in
 * JSON), instants {@code TIMESTAMPTZ}. A later frame may bring new columns (added, null in the
 * rows before) or wider cells (BIGINT becomes DOUBLE; other conflicts become VARCHAR, each cell as
 * Python's {@code str()} writes it). Columns that only ever held nulls are VARCHAR.
 *
 * <p>Not thread-safe: one command uses it from one thread.
 */
final class RunDatabase implements AutoCloseable {
    /** The SQL types of columns. */
    enum SqlType {
        BIGINT, DOUBLE, BOOLEAN, VARCHAR, JSON, TIMESTAMPTZ;

        String sql() {
            return name();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXP_ID = cox.readers.CollectionReader.EXP_ID;

    private final DuckDBConnection connection;
    /** Each table's columns in order, with their type; null for a column that has held only nulls so far. */
    private final Map<String, LinkedHashMap<String, SqlType>> tables = new LinkedHashMap<>();
    /** Each table's columns in the order to show them: a column added later goes before a last {@code exp_id}. */
    private final Map<String, List<String>> order = new LinkedHashMap<>();
    private long cells;

    private RunDatabase(DuckDBConnection connection) {
        this.connection = connection;
    }

    /**
     * @return a new, empty in-memory database
     * @throws SQLException if DuckDB cannot start (its native library does not load here)
     */
    static RunDatabase inMemory() throws SQLException {
        return new RunDatabase((DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:"));
    }

    /** @return the JDBC connection, for queries */
    Connection connection() {
        return connection;
    }

    /** @return whether a table of that name was made */
    boolean has(String table) {
        return tables.containsKey(table);
    }

    /** @return the tables made so far, in order */
    Set<String> tables() {
        return tables.keySet();
    }

    /**
     * The column names of {@code table} in the order to show them: as the frames brought them,
     * but a column added by a later frame comes before a last {@code exp_id} column (as
     * {@link cox.readers.CollectionReader#df} orders them).
     */
    List<String> columns(String table) {
        return List.copyOf(order.get(table));
    }

    /** @return a query of every row of {@code table}, columns in {@link #columns} order */
    String selectAll(String table) {
        List<String> quoted = new ArrayList<>();
        for (String c : columns(table)) {
            quoted.add(quote(c));
        }
        return "SELECT " + String.join(", ", quoted) + " FROM " + quote(table);
    }

    /**
     * Makes {@code table} show its columns in {@link #columns} order for queries: when later
     * frames added columns, the data moves to {@code TABLE$rows} and {@code TABLE} becomes a view.
     */
    void finish(String table) throws SQLException {
        if (new ArrayList<>(tables.get(table).keySet()).equals(order.get(table))) {
            return;
        }
        try (Statement st = connection.createStatement()) {
            st.execute("ALTER TABLE " + quote(table) + " RENAME TO " + quote(table + "$rows"));
            List<String> quoted = new ArrayList<>();
            for (String c : columns(table)) {
                quoted.add(quote(c));
            }
            st.execute("CREATE VIEW " + quote(table) + " AS SELECT " + String.join(", ", quoted) + " FROM "
                    + quote(table + "$rows"));
        }
    }

    /**
     * Makes the database read nothing and write nothing outside itself from now on: DuckDB's
     * {@code enable_external_access=false} (no file is read, written or created: {@code COPY ... TO},
     * {@code ATTACH}, {@code EXPORT DATABASE}, {@code read_text}, {@code read_csv}, {@code glob},
     * {@code INSTALL} and {@code LOAD} fail with a Permission Error) and
     * {@code lock_configuration=true} (no {@code SET} can lift it, nor change anything else).
     * Tables made or changed in the database itself stay allowed: they live in memory only.
     * Irreversible for this database; call it once the tables are loaded.
     *
     * @throws SQLException if DuckDB refuses the settings (it should not)
     */
    void restrictToItself() throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute("SET enable_external_access = false");
            st.execute("SET lock_configuration = true");
        }
    }

    /** Forgets {@code table} after the caller dropped it. */
    void forget(String table) {
        tables.remove(table);
        order.remove(table);
    }

    /** @return how many cells were appended so far */
    long cells() {
        return cells;
    }

    /**
     * Appends the rows of {@code frame} to {@code table}, making the table or widening it first.
     *
     * @throws SQLException if DuckDB refuses (it should not)
     */
    void append(String table, DataFrame frame) throws SQLException {
        String[] names = frame.getColumnsIndex().toArray();
        SqlType[] kinds = new SqlType[names.length];
        for (int c = 0; c < names.length; c++) {
            kinds[c] = typeOf(frame.getColumn(c));
        }
        LinkedHashMap<String, SqlType> columns = tables.get(table);
        try (Statement st = connection.createStatement()) {
            if (columns == null) {
                columns = new LinkedHashMap<>();
                List<String> defs = new ArrayList<>();
                for (int c = 0; c < names.length; c++) {
                    columns.put(names[c], kinds[c]);
                    defs.add(quote(names[c]) + " " + (kinds[c] == null ? SqlType.VARCHAR : kinds[c]).sql());
                }
                st.execute("CREATE TABLE " + quote(table) + " (" + String.join(", ", defs) + ")");
                tables.put(table, columns);
                order.put(table, new ArrayList<>(List.of(names)));
            } else {
                for (int c = 0; c < names.length; c++) {
                    if (!columns.containsKey(names[c])) {
                        st.execute("ALTER TABLE " + quote(table) + " ADD COLUMN " + quote(names[c]) + " "
                                + (kinds[c] == null ? SqlType.VARCHAR : kinds[c]).sql());
                        columns.put(names[c], kinds[c]);
                        List<String> shown = order.get(table);
                        int last = shown.size() - 1;
                        shown.add(shown.get(last).equals(EXP_ID) ? last : last + 1, names[c]);
                        continue;
                    }
                    SqlType before = columns.get(names[c]);
                    SqlType after = widen(before, kinds[c]);
                    if (after != before) {
                        if (after != null && (before != null || after != SqlType.VARCHAR)) {
                            st.execute("ALTER TABLE " + quote(table) + " ALTER COLUMN " + quote(names[c]) + " SET DATA TYPE "
                                    + after.sql());
                        }
                        columns.put(names[c], after);
                    }
                }
            }
        }
        if (frame.height() == 0) {
            return;
        }
        List<String> all = new ArrayList<>(columns.keySet());
        Series<?>[] series = new Series<?>[all.size()];
        SqlType[] types = new SqlType[all.size()];
        for (int c = 0; c < series.length; c++) {
            String name = all.get(c);
            series[c] = frame.getColumnsIndex().contains(name) ? frame.getColumn(name) : null;
            types[c] = columns.get(name) == null ? SqlType.VARCHAR : columns.get(name);
        }
        int rows = frame.height();
        try (DuckDBAppender appender = connection.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
            for (int r = 0; r < rows; r++) {
                appender.beginRow();
                for (int c = 0; c < series.length; c++) {
                    try {
                        appendCell(appender, series[c], types[c], r);
                    } catch (CoxException e) { // a value too large to convert: say which cell
                        Series<?> ids = frame.getColumnsIndex().contains(EXP_ID) ? frame.getColumn(EXP_ID) : null;
                        throw e.withContext("table '" + table + "', column '" + all.get(c) + "'"
                                + (ids == null ? ", row " + r : " of experiment " + ids.get(r)));
                    }
                }
                appender.endRow();
            }
            appender.flush();
        }
        cells += (long) rows * series.length;
    }

    private static void appendCell(DuckDBAppender a, Series<?> s, SqlType type, int r) throws SQLException {
        if (s == null) {
            a.appendNull();
            return;
        }
        switch (type) {
            case BIGINT -> {
                if (s instanceof LongSeries l) {
                    a.append(l.getLong(r));
                } else {
                    Object v = s.get(r);
                    if (v == null) {
                        a.appendNull();
                    } else {
                        a.append(((Number) v).longValue());
                    }
                }
            }
            case DOUBLE -> {
                if (s instanceof DoubleSeries d) {
                    a.append(d.getDouble(r));
                } else if (s instanceof LongSeries l) {
                    a.append((double) l.getLong(r));
                } else {
                    Object v = s.get(r);
                    if (v == null) {
                        a.appendNull();
                    } else {
                        a.append(((Number) v).doubleValue());
                    }
                }
            }
            case BOOLEAN -> {
                if (s instanceof BooleanSeries b) {
                    a.append(b.getBool(r));
                } else {
                    Object v = s.get(r);
                    if (v == null) {
                        a.appendNull();
                    } else {
                        a.append((boolean) (Boolean) v);
                    }
                }
            }
            case TIMESTAMPTZ -> {
                Object v = s.get(r);
                if (v == null) {
                    a.appendNull();
                } else {
                    a.append(((Instant) v).atOffset(ZoneOffset.UTC));
                }
            }
            case JSON -> {
                Object v = s.get(r);
                if (v == null) {
                    a.appendNull();
                } else {
                    a.append(json(v));
                }
            }
            default -> {
                Object v = s.get(r);
                if (v == null) {
                    a.appendNull();
                } else {
                    a.append(text(v));
                }
            }
        }
    }

    /** A cell in a VARCHAR column: text as is, maps and lists as JSON, anything else as Python's str(). */
    private static String text(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (structured(v)) {
            return json(v);
        }
        return CellText.of(v);
    }

    static String json(Object v) {
        try {
            return JSON.writeValueAsString(FrameWriter.jsonValue(v));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a cell as JSON: " + e.getMessage(), e);
        }
    }

    private static boolean structured(Object v) {
        return v instanceof Map<?, ?> || v instanceof Iterable<?> || v instanceof Object[];
    }

    /** The SQL type that holds every cell of {@code s}; null when it has no cell but nulls. */
    static SqlType typeOf(Series<?> s) {
        if (s instanceof LongSeries) {
            return s.size() == 0 ? null : SqlType.BIGINT;
        }
        if (s instanceof DoubleSeries) {
            return s.size() == 0 ? null : SqlType.DOUBLE;
        }
        if (s instanceof BooleanSeries) {
            return s.size() == 0 ? null : SqlType.BOOLEAN;
        }
        boolean longs = false;
        boolean doubles = false;
        boolean bools = false;
        boolean strings = false;
        boolean instants = false;
        boolean structured = false;
        boolean other = false;
        for (int i = 0, n = s.size(); i < n; i++) {
            Object v = s.get(i);
            if (v == null) {
                continue;
            }
            if (v instanceof Long || v instanceof Integer) {
                longs = true;
            } else if (v instanceof Double || v instanceof Float) {
                doubles = true;
            } else if (v instanceof Boolean) {
                bools = true;
            } else if (v instanceof String) {
                strings = true;
            } else if (v instanceof Instant) {
                instants = true;
            } else if (structured(v)) {
                structured = true;
            } else {
                other = true;
            }
        }
        boolean numbers = longs || doubles;
        if (structured) {
            return strings || instants || other ? SqlType.VARCHAR : SqlType.JSON;
        }
        if (other || strings) {
            return SqlType.VARCHAR;
        }
        if (instants) {
            return numbers || bools ? SqlType.VARCHAR : SqlType.TIMESTAMPTZ;
        }
        if (bools) {
            return numbers ? SqlType.VARCHAR : SqlType.BOOLEAN;
        }
        if (doubles) {
            return SqlType.DOUBLE;
        }
        return longs ? SqlType.BIGINT : null;
    }

    /** The type that holds cells of both {@code a} and {@code b} (null: only nulls so far). */
    static SqlType widen(SqlType a, SqlType b) {
        if (a == null) {
            return b;
        }
        if (b == null || a == b) {
            return a;
        }
        if ((a == SqlType.BIGINT || a == SqlType.DOUBLE) && (b == SqlType.BIGINT || b == SqlType.DOUBLE)) {
            return SqlType.DOUBLE;
        }
        if ((a == SqlType.JSON && scalar(b)) || (b == SqlType.JSON && scalar(a))) {
            return SqlType.JSON;
        }
        return SqlType.VARCHAR;
    }

    private static boolean scalar(SqlType t) {
        return t == SqlType.BIGINT || t == SqlType.DOUBLE || t == SqlType.BOOLEAN;
    }

    /** {@code name} as a DuckDB identifier: in double quotes, quotes doubled. */
    static String quote(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** {@code s} as a SQL string literal. */
    static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
