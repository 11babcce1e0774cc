package cox.store.hdf5;

import java.util.Objects;

/**
 * One column of a pandas frame table as {@code store.h5} describes it: its name, how its cells
 * are stored, and the type Python cox recorded for it in the table's {@code COX_DATA} attribute
 * ({@code "int"}, {@code "float"}, {@code "str"}, {@code "bool"}, {@code "__object__"},
 * {@code "__pickle__"}, {@code "__pytorch_state__"}), or null when the table has no such entry
 * (pandas wrote it). Not part of the cox4j API.
 *
 * @param name the column name
 * @param kind how its cells are stored
 * @param coxType the COX_DATA type name, or null
 */
public record FrameColumn(String name, ColumnKind kind, String coxType) {
    /** Checks the name and kind. */
    public FrameColumn {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
    }
}
