package cox.store;

/**
 * The type of a table column, mirroring the types a Python cox schema may name: the builtin
 * classes {@code int}, {@code float}, {@code str}, {@code bool} and the markers
 * {@code Store.OBJECT}, {@code Store.PICKLE}, {@code Store.PYTORCH_STATE}.
 *
 * <p>In {@code store.h5} an {@code INT} column is int64, {@code FLOAT} float64, {@code BOOL} an
 * 8-bit bitfield, and {@code STR} and the three object types are UTF-8 text in a fixed-width
 * string block (docs/format.md).
 */
public enum ColumnType {
    // The second argument is the type's code in the journal's table records: written to disk, so
    // a code never changes and is never reused, whatever the order of the constants.

    /** int64; takes {@code Byte}, {@code Short}, {@code Integer}, {@code Long}. Python {@code int}. */
    INT("int", 0),
    /** float64; takes any {@code Number} that converts without loss. Python {@code float}. */
    FLOAT("float", 1),
    /** UTF-8 text of any length. Python {@code str}. */
    STR("str", 2),
    /** {@code true}/{@code false}. Python {@code bool}. */
    BOOL("bool", 3),
    /** A value pickled and stored inline as base64 text. Python cox's {@code Store.OBJECT}. */
    OBJECT("__object__", 4),
    /** A value pickled into {@code .table_objects/UID}; the cell holds the UID. Python cox's {@code Store.PICKLE}. */
    PICKLE("__pickle__", 5),
    /** A state dict saved as a torch.save file in {@code .table_objects/UID}. Python cox's {@code Store.PYTORCH_STATE}. */
    PYTORCH_STATE("__pytorch_state__", 6);

    private final String pythonName;
    private final int journalCode;

    ColumnType(String pythonName, int journalCode) {
        this.pythonName = pythonName;
        this.journalCode = journalCode;
    }

    /** The types, in order (values() copies its array at each call). */
    private static final ColumnType[] ALL = values();

    /** The type named {@code pythonName} as {@link #ofPythonName} has it, or null for any other name. */
    static ColumnType known(String pythonName) {
        for (ColumnType t : ALL) {
            if (t.pythonName.equals(pythonName)) {
                return t;
            }
        }
        return null;
    }

    /** The type's code in the journal (pinned: see the constants). */
    int journalCode() {
        return journalCode;
    }

    /** The type with journal code {@code code}, or null if no type has it. */
    static ColumnType ofJournalCode(int code) {
        for (ColumnType t : ALL) {
            if (t.journalCode == code) {
                return t;
            }
        }
        return null;
    }

    /**
     * The name Python cox uses for this type: the builtin class name ({@code "int"}, {@code "float"},
     * {@code "str"}, {@code "bool"}) or the marker string ({@code "__object__"} etc.).
     *
     * @return the Python spelling of this type
     */
    public String pythonName() {
        return pythonName;
    }

    /**
     * Whether cells of this type are stored as text in {@code store.h5} (STR and the object types).
     *
     * @return true for STR, OBJECT, PICKLE and PYTORCH_STATE
     */
    public boolean isText() {
        return this == STR || isObject();
    }

    /**
     * Whether this is one of cox's three serialized-object types.
     *
     * @return true for OBJECT, PICKLE and PYTORCH_STATE
     */
    public boolean isObject() {
        return this == OBJECT || this == PICKLE || this == PYTORCH_STATE;
    }

    /**
     * The type whose Python name is {@code pythonName}.
     *
     * @param pythonName {@code "int"}, {@code "float"}, {@code "str"}, {@code "bool"},
     *     {@code "__object__"}, {@code "__pickle__"} or {@code "__pytorch_state__"}
     * @return the matching type
     * @throws IllegalArgumentException for any other name
     */
    public static ColumnType ofPythonName(String pythonName) {
        ColumnType t = known(pythonName);
        if (t != null) {
            return t;
        }
        throw new IllegalArgumentException("unknown cox column type '" + pythonName
                + "': expected one of int, float, str, bool, __object__, __pickle__, __pytorch_state__");
    }
}
