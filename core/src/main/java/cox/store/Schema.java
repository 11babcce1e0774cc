package cox.store;

import java.math.BigInteger;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The columns of a table, in order: an immutable, ordered {@code Map<String, ColumnType>}, like
 * the schema dict Python cox's {@code Store.add_table(name, schema)} takes.
 *
 * <pre>{@code
 * Schema s = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT);
 * Schema t = Schema.builder().add("lr", ColumnType.FLOAT).add("optimizer", ColumnType.STR).build();
 * }</pre>
 *
 * <p>Column names are non-empty and hold no control characters. Instances are immutable and
 * thread-safe; equality is that of {@link Map} (same names and types; order is not compared).
 */
public final class Schema extends AbstractMap<String, ColumnType> {
    private final Map<String, ColumnType> columns;

    private Schema(LinkedHashMap<String, ColumnType> columns) {
        this.columns = Collections.unmodifiableMap(columns);
    }

    /**
     * A schema of alternating names and types.
     *
     * @param namesAndTypes {@code name0, type0, name1, type1, ...}
     * @return the schema, columns in the order given
     * @throws IllegalArgumentException on an odd count, a non-String name, a non-ColumnType type,
     *     an invalid or repeated name
     */
    public static Schema of(Object... namesAndTypes) {
        Objects.requireNonNull(namesAndTypes, "namesAndTypes");
        if (namesAndTypes.length % 2 != 0) {
            throw new IllegalArgumentException("Schema.of takes name/type pairs: got " + namesAndTypes.length
                    + " arguments");
        }
        Builder b = builder();
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            Object name = namesAndTypes[i];
            Object type = namesAndTypes[i + 1];
            if (!(name instanceof String)) {
                throw new IllegalArgumentException("argument " + i + " of Schema.of must be a column name (String): got "
                        + describe(name));
            }
            if (!(type instanceof ColumnType)) {
                throw new IllegalArgumentException("type of column '" + name + "' must be a ColumnType: got "
                        + describe(type));
            }
            b.add((String) name, (ColumnType) type);
        }
        return b.build();
    }

    /**
     * A schema with the entries of {@code columns}, in the map's iteration order.
     *
     * @param columns column names to types
     * @return the schema
     * @throws IllegalArgumentException for an invalid name
     */
    public static Schema copyOf(Map<String, ColumnType> columns) {
        Objects.requireNonNull(columns, "columns");
        if (columns instanceof Schema) {
            return (Schema) columns;
        }
        Builder b = builder();
        columns.forEach(b::add);
        return b.build();
    }

    /**
     * The schema Python cox's {@code schema_from_dict(d)} infers: {@code Long}, {@code Integer},
     * {@code Short}, {@code Byte} and {@code BigInteger} are INT, {@code Double} and {@code Float}
     * FLOAT, {@code String} STR, {@code Boolean} BOOL, anything else OBJECT.
     *
     * @param example column names to example values
     * @return the inferred schema, in the map's order
     */
    public static Schema fromExample(Map<String, ?> example) {
        return fromExample(example, ColumnType.OBJECT);
    }

    /**
     * As {@link #fromExample(Map)}, storing values that are not plain scalars as {@code alternative};
     * mirrors {@code schema_from_dict(d, alternative)}.
     *
     * @param example column names to example values
     * @param alternative OBJECT, PICKLE or PYTORCH_STATE
     * @return the inferred schema, in the map's order
     * @throws IllegalArgumentException if {@code alternative} is not an object type or a value is null
     */
    public static Schema fromExample(Map<String, ?> example, ColumnType alternative) {
        Objects.requireNonNull(example, "example");
        Objects.requireNonNull(alternative, "alternative");
        if (!alternative.isObject()) {
            throw new IllegalArgumentException("alternative must be OBJECT, PICKLE or PYTORCH_STATE: got " + alternative);
        }
        Builder b = builder();
        example.forEach((name, value) -> {
            if (value == null) {
                throw new IllegalArgumentException("cannot infer the type of column '" + name + "' from null");
            }
            b.add(name, inferType(value, alternative));
        });
        return b.build();
    }

    private static ColumnType inferType(Object value, ColumnType alternative) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger) {
            return ColumnType.INT;
        }
        if (value instanceof Double || value instanceof Float) {
            return ColumnType.FLOAT;
        }
        if (value instanceof String) {
            return ColumnType.STR;
        }
        if (value instanceof Boolean) {
            return ColumnType.BOOL;
        }
        return alternative;
    }

    /**
     * A builder that adds columns in order.
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The type of column {@code name}.
     *
     * @param name a column name
     * @return its type
     * @throws IllegalArgumentException if there is no such column
     */
    public ColumnType type(String name) {
        ColumnType t = columns.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no column '" + name + "' in schema " + this);
        }
        return t;
    }

    /**
     * The position of column {@code name}, or -1.
     *
     * @param name a column name
     * @return its index in schema order, or -1 if absent
     */
    public int indexOf(String name) {
        int i = 0;
        for (String c : columns.keySet()) {
            if (c.equals(name)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Whether {@code other} has the same columns with the same types <em>in the same order</em>.
     * {@link #equals} compares as maps do, ignoring order; where the order decides how rows are
     * laid out (a journal's record, a table in {@code store.h5}), use this.
     *
     * @param other another schema
     * @return true if both list the same (name, type) pairs in the same order
     */
    public boolean sameLayout(Schema other) {
        return other != null && List.copyOf(columns.entrySet()).equals(List.copyOf(other.columns.entrySet()));
    }

    @Override
    public Set<Entry<String, ColumnType>> entrySet() {
        return columns.entrySet();
    }

    @Override
    public ColumnType get(Object key) {
        return columns.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.containsKey(key);
    }

    @Override
    public int size() {
        return columns.size();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        columns.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(k).append(": ").append(v.pythonName());
        });
        return sb.append('}').toString();
    }

    static void checkName(String what, String name) {
        Objects.requireNonNull(name, what);
        if (name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(what + " must not contain control characters: got '"
                        + name.replace("\0", "\\0") + "' (character " + (int) c + " at " + i + ")");
            }
        }
        int lone = CellValues.loneSurrogate(name);
        if (lone >= 0) {
            throw new IllegalArgumentException(String.format("%s must not hold a lone surrogate, which UTF-8 cannot"
                    + " store: U+%04X at index %d", what, (int) name.charAt(lone), lone));
        }
    }

    private static String describe(Object o) {
        return o == null ? "null" : o.getClass().getSimpleName() + " " + o;
    }

    /** Builds a {@link Schema} column by column; not thread-safe. */
    public static final class Builder {
        private final LinkedHashMap<String, ColumnType> columns = new LinkedHashMap<>();

        private Builder() {
        }

        /**
         * Adds a column after those added before.
         *
         * @param name the column name: non-empty, no control characters, not added before
         * @param type its type
         * @return this builder
         * @throws IllegalArgumentException for an invalid or repeated name
         */
        public Builder add(String name, ColumnType type) {
            checkName("column name", name);
            Objects.requireNonNull(type, () -> "type of column '" + name + "'");
            if (columns.putIfAbsent(name, type) != null) {
                throw new IllegalArgumentException("column '" + name + "' is named twice");
            }
            return this;
        }

        /**
         * The schema of the columns added so far.
         *
         * @return a new immutable schema
         */
        public Schema build() {
            return new Schema(new LinkedHashMap<>(columns));
        }
    }
}
