package cox.web;

import cox.store.ColumnType;
import cox.store.Schema;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tables, parameters and numeric columns of a table over many runs, in order of first
 * appearance; a column with numbers in some runs and text in others is text, INT with FLOAT is
 * FLOAT. Not thread-safe (built and read by one request).
 */
final class ColumnUnion {
    final Set<String> tables = new LinkedHashSet<>();
    final Map<String, ColumnType> params = new LinkedHashMap<>();
    final Map<String, ColumnType> metrics = new LinkedHashMap<>();
    /** The table's columns that are not numeric (text, booleans, objects): no summary of them is kept. */
    final Set<String> otherColumns = new LinkedHashSet<>();

    private ColumnUnion() {
    }

    /**
     * @param contents what the runs hold (as known; runs never read are left out)
     * @param table the table whose numeric columns are the metrics, or null
     * @return the union, in order of first appearance
     */
    static ColumnUnion of(List<RunContents> contents, String table) {
        ColumnUnion c = new ColumnUnion();
        for (RunContents info : contents) {
            c.tables.addAll(info.tables().keySet());
            for (Map.Entry<String, ColumnType> p : info.paramTypes().entrySet()) {
                c.params.merge(p.getKey(), p.getValue(), ColumnUnion::unionType);
            }
            Schema s = table == null ? null : info.tables().get(table);
            if (s != null) {
                for (Map.Entry<String, ColumnType> e : s.entrySet()) {
                    if (TableColumns.isNumeric(e.getValue())) {
                        c.metrics.merge(e.getKey(), e.getValue(), ColumnUnion::unionType);
                    } else {
                        c.otherColumns.add(e.getKey());
                    }
                }
            }
        }
        return c;
    }

    private static ColumnType unionType(ColumnType a, ColumnType b) {
        if (a == b) {
            return a;
        }
        if (TableColumns.isNumeric(a) && TableColumns.isNumeric(b)) {
            return ColumnType.FLOAT;
        }
        return ColumnType.STR;
    }
}
