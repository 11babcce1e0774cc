package cox.store.hdf5;

/**
 * How a frame-table column's cells are stored and read back: {@code INT} as int64 (read
 * {@code long[]}; tables pandas wrote may hold narrower or unsigned integers), {@code FLOAT} as
 * float64 (read {@code double[]}; float32 widens), {@code BOOL} as PyTables' 8-bit bool (read
 * {@code boolean[]}), {@code TEXT} as fixed-width UTF-8 bytes in the string block (read
 * {@code String[]}). Not part of the cox4j API.
 */
public enum ColumnKind {
    /** int64; {@code long[]} when read. */
    INT,
    /** float64; {@code double[]} when read. */
    FLOAT,
    /** PyTables bool (an 8-bit bitfield); {@code boolean[]} when read. */
    BOOL,
    /** fixed-width NUL-padded UTF-8 in the string block; {@code String[]} when read. */
    TEXT
}
