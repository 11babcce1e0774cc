package cox.tribuo;

import cox.store.ColumnType;
import cox.store.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row to log: its columns' types and values, in column order, each value one the store takes. */
record Row(Schema schema, Map<String, Object> values) {

    /**
     * Collects a row column by column, checking each name and value as the store would when the
     * row is appended (see {@link StorableValue}), so that a row that is built can be written.
     */
    static final class Builder {
        private final Schema.Builder schema = Schema.builder();
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final String what;

        /** @param what the store and row, for messages: "store /runs/a1: evaluation 'test'" */
        Builder(String what) {
            this.what = what;
        }

        Builder add(String name, ColumnType type, Object value) {
            if (values.containsKey(name)) {
                throw new IllegalArgumentException(what + " names column '" + name + "' twice");
            }
            String problem = StorableValue.problem(type, value);
            if (problem != null) {
                throw new IllegalArgumentException(what + ": the value of column '" + name + "' " + problem);
            }
            try {
                schema.add(name, type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": '" + name + "' cannot be a cox column name: " + e.getMessage(), e);
            }
            values.put(name, value);
            return this;
        }

        /**
         * Adds a value of the type {@link Schema#fromExample} infers for it (INT, FLOAT, STR,
         * BOOL, else OBJECT); null is an OBJECT cell holding Python's None.
         */
        Builder addInferred(String name, Object value) {
            ColumnType type = value == null ? ColumnType.OBJECT : Schema.fromExample(Collections.singletonMap("v", value)).get("v");
            return add(name, type, value);
        }

        Row build() {
            return new Row(schema.build(), Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
