package cox.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * A query's result as a data frame the command's output formats print: integers as
 * {@code Long}, floating-point and decimal numbers as {@code Double} (a 128-bit integer stays a
 * {@code BigInteger}), text as {@code String}, JSON, lists and structs as maps and lists (so
 * {@code --format json} nests them and the table shows them as Python would), times as their ISO
 * text, SQL NULL as null. Stateless.
 */
final class SqlResults {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SqlResults() {
    }

    /** Reads every row of {@code rs}. */
    static DataFrame frame(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        int n = meta.getColumnCount();
        String[] names = new String[n];
        boolean[] json = new boolean[n];
        List<List<Object>> columns = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            names[c] = unique(meta.getColumnLabel(c + 1), names, c);
            json[c] = "JSON".equalsIgnoreCase(meta.getColumnTypeName(c + 1));
            columns.add(new ArrayList<>());
        }
        while (rs.next()) {
            for (int c = 0; c < n; c++) {
                Object v = rs.getObject(c + 1);
                columns.get(c).add(rs.wasNull() ? null : json[c] ? parseJson(v.toString()) : value(v, meta.getColumnType(c + 1)));
            }
        }
        Series<?>[] series = new Series<?>[n];
        for (int c = 0; c < n; c++) {
            series[c] = Series.of(columns.get(c).toArray());
        }
        return DataFrame.byColumn(names).of(series);
    }

    /** A name seen before in the result gets {@code _2}, {@code _3}...: a data frame needs distinct names. */
    private static String unique(String name, String[] before, int count) {
        List<String> seen = Arrays.asList(before).subList(0, count);
        if (!seen.contains(name)) {
            return name;
        }
        int k = 2;
        while (seen.contains(name + "_" + k)) {
            k++;
        }
        return name + "_" + k;
    }

    private static Object value(Object v, int sqlType) throws SQLException {
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (v instanceof Array a) {
            List<Object> out = new ArrayList<>();
            for (Object x : (Object[]) a.getArray()) {
                out.add(x == null ? null : value(x, Types.OTHER));
            }
            return out;
        }
        if (v instanceof Struct s) {
            Map<String, Object> out = new LinkedHashMap<>();
            Object[] attributes = s.getAttributes();
            for (int i = 0; i < attributes.length; i++) {
                out.put(Integer.toString(i), attributes[i] == null ? null : value(attributes[i], Types.OTHER));
            }
            return structMap(s, out);
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(e.getKey(), e.getValue() == null ? null : value(e.getValue(), Types.OTHER));
            }
            return out;
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant().toString();
        }
        if (v instanceof TemporalAccessor || v instanceof java.util.Date) {
            return v.toString();
        }
        if (v instanceof org.duckdb.JsonNode) {
            return parseJson(v.toString());
        }
        return v;
    }

    /** DuckDB's structs know their field names; other drivers' give only positions. */
    private static Object structMap(Struct s, Map<String, Object> byPosition) throws SQLException {
        if (s instanceof org.duckdb.DuckDBStruct d) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : d.getMap().entrySet()) {
                out.put(e.getKey(), e.getValue() == null ? null : value(e.getValue(), Types.OTHER));
            }
            return out;
        }
        return byPosition;
    }

    private static Object parseJson(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            return text; // not JSON after all: show the text
        }
    }
}
