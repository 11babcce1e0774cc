package cox.readers;

import cox.store.ColumnType;
import cox.store.Schema;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The schema of one table across the experiments of a collection, as
 * {@link CollectionReader#schemas()} reports it.
 *
 * @param table the table name
 * @param schema the merged schema: every column any experiment has, in the order first seen
 *     (experiments in id order), a column that is INT in some experiments and FLOAT in others
 *     FLOAT (cox's merge); for other conflicts the type of {@code common}, or of the first
 *     experiment that has the column
 * @param experiments how many experiments have the table
 * @param common the schema most experiments have (ties: the one seen first)
 * @param differing the experiments whose schema is not {@code common} (other columns, types or
 *     order), each with its own schema, in id order
 */
public record TableSchema(String table, Schema schema, int experiments, Schema common, Map<String, Schema> differing) {
    /**
     * Checks the components.
     *
     * @param table the table name
     * @param schema the merged schema
     * @param experiments how many experiments have the table
     * @param common the schema most experiments have
     * @param differing the experiments whose schema is not {@code common}
     * @throws NullPointerException for a required component that is null
     */
    public TableSchema {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(schema, "schema");
        Objects.requireNonNull(common, "common");
        differing = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(differing));
    }

    /**
     * One line per differing experiment saying how its schema differs from {@link #common()}:
     * {@code "run-7: extra column x (int); no column acc; lr is int, not float"}. Python cox prints
     * {@code "new schema missing keys: ..., new keys: ..."} while it reads.
     *
     * @return the lines, empty when every experiment has the common schema
     */
    public List<String> describeDifferences() {
        List<String> out = new ArrayList<>();
        differing.forEach((expId, own) -> {
            List<String> parts = new ArrayList<>();
            own.forEach((c, t) -> {
                ColumnType usual = common.get(c);
                if (usual == null) {
                    parts.add("extra column " + c + " (" + t.pythonName() + ")");
                } else if (usual != t) {
                    parts.add(c + " is " + t.pythonName() + ", not " + usual.pythonName());
                }
            });
            common.keySet().forEach(c -> {
                if (!own.containsKey(c)) {
                    parts.add("no column " + c);
                }
            });
            if (parts.isEmpty()) {
                parts.add("columns in another order: " + String.join(", ", own.keySet()));
            }
            out.add(expId + ": " + String.join("; ", parts));
        });
        return out;
    }

    /**
     * Merges the schemas the experiments give one table, as described above: the merged schema,
     * the schema most have, and the experiments that differ from it.
     *
     * @param table the table name
     * @param schemas experiment id to its schema of the table, in id order; not empty
     */
    static TableSchema merge(String table, Map<String, Schema> schemas) {
        List<Schema> distinct = new ArrayList<>();
        List<Integer> counts = new ArrayList<>();
        for (Schema s : schemas.values()) {
            int i = indexOfLayout(distinct, s);
            if (i < 0) {
                distinct.add(s);
                counts.add(1);
            } else {
                counts.set(i, counts.get(i) + 1);
            }
        }
        int best = 0;
        for (int i = 1; i < counts.size(); i++) {
            if (counts.get(i) > counts.get(best)) {
                best = i;
            }
        }
        Schema common = distinct.get(best);
        Map<String, ColumnType> merged = new LinkedHashMap<>();
        Map<String, Schema> differing = new LinkedHashMap<>();
        schemas.forEach((expId, s) -> {
            if (!s.sameLayout(common)) {
                differing.put(expId, s);
            }
            s.forEach((c, t) -> {
                ColumnType before = merged.get(c);
                if (before == null) {
                    merged.put(c, common.containsKey(c) ? common.get(c) : t);
                } else if (before != t && isNumber(before) && isNumber(t)) {
                    merged.put(c, ColumnType.FLOAT);
                }
            });
        });
        return new TableSchema(table, Schema.copyOf(merged), schemas.size(), common, differing);
    }

    private static boolean isNumber(ColumnType t) {
        return t == ColumnType.INT || t == ColumnType.FLOAT;
    }

    private static int indexOfLayout(List<Schema> list, Schema s) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).sameLayout(s)) {
                return i;
            }
        }
        return -1;
    }
}
