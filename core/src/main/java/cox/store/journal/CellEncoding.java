package cox.store.journal;

/**
 * How the journal encodes one cell of a row record: the journal's own small vocabulary, so that
 * it needs nothing from the layers above it. The store layer says which encoding each column
 * uses; a row record holds the cells one after the other, without tags.
 */
public enum CellEncoding {
    /** A {@code Long}, as 8 bytes little-endian. */
    INT64,
    /** A {@code Double}, as the 8 bytes of its IEEE 754 bits, little-endian (NaN payloads kept). */
    FLOAT64,
    /** A {@code Boolean}, as one byte: 0 or 1 (any non-zero byte reads as true). */
    BOOL,
    /** A {@code String}, as a u32 byte count and that many bytes of UTF-8. */
    TEXT
}
