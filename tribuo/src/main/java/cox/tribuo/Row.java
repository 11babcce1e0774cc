package cox.tribuo;

import cox.store.ColumnType;
import cox.store.Schema;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** One row to log: its columns' types and values, in column order. */
record Row(Schema schema, Map<String, Object> values) {

    /** Collects a row column by column; a name given twice is an error naming it. */
    static final class Builder {
        private final Schema.Builder schema = Schema.builder();
        private final Map<String, Object> values = new LinkedHashMap<>();
        private final String what;

        /** @param what the row, for messages: "the metadata row", "evaluation 'test'" */
        Builder(String what) {
            this.what = what;
        }

        Builder add(String name, ColumnType type, Object value) {
            if (values.containsKey(name)) {
                throw new IllegalArgumentException(what + " names column '" + name + "' twice");
            }
            try {
                schema.add(name, type);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(what + ": '" + name + "' cannot be a cox column name: " + e.getMessage(), e);
            }
            values.put(name, value);
            return this;
        }

        /** Adds a value of a type {@link Schema#fromExample} would infer for it. */
        Builder addInferred(String name, Object value) {
            if (value == null) {
                throw new IllegalArgumentException(what + ": column '" + name + "' has no value (null)");
            }
            return add(name, Schema.fromExample(Map.of("v", value)).get("v"), value);
        }

        Row build() {
            return new Row(schema.build(), Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
