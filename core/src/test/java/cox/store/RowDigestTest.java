package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The row digest is written to checkpoints, so it is pinned: these values were computed once by
 * the function docs/format.md defines, and a change to it would make every checkpoint's digest
 * disagree with its store.h5 (stores would read from the journal and be rebuilt). They were checked
 * against an independent implementation of the description in docs/format.md (Python, by hand).
 */
class RowDigestTest {
    static final Schema SCHEMA = Schema.of("i", ColumnType.INT, "f", ColumnType.FLOAT, "b", ColumnType.BOOL, "s",
            ColumnType.STR);

    static List<Object[]> rows() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {0L, 0.0, false, ""});
        rows.add(new Object[] {-1L, -0.0, true, "ünïcødé ✓ \uD83D\uDE42"});
        rows.add(new Object[] {Long.MAX_VALUE, Double.NaN, false, "x".repeat(100)});
        return rows;
    }

    @Test
    void theDigestOfKnownRows_isPinned() {
        assertThat(RowDigest.of(RowDigest.EMPTY, List.of())).isEqualTo(0L);
        assertThat(RowDigest.text("")).isEqualTo(0xcbf29ce484222325L);
        assertThat(String.format("%016x", RowDigest.text("abc"))).isEqualTo("cd633e45b8fbec8f");
        assertThat(String.format("%016x", RowDigest.of(RowDigest.EMPTY, rows()))).isEqualTo("26f72755ef6bac5d");
    }

    @Test
    void rowsAndColumns_digestAlike_andInBatches() {
        List<Object[]> rows = rows();
        Columns columns = Columns.empty(SCHEMA).append(rows);
        long whole = RowDigest.of(RowDigest.EMPTY, rows);
        assertThat(columns.digest(RowDigest.EMPTY)).isEqualTo(whole);
        long batched = RowDigest.of(RowDigest.of(RowDigest.EMPTY, rows.subList(0, 1)), rows.subList(1, 3));
        assertThat(batched).isEqualTo(whole);
    }

    @Test
    void anyOneChangedCell_orOrder_changesTheDigest() {
        long whole = RowDigest.of(RowDigest.EMPTY, rows());
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                List<Object[]> changed = rows();
                Object v = changed.get(r)[c];
                changed.get(r)[c] = v instanceof Long l ? l ^ 1 : v instanceof Double d ? -d + 1
                        : v instanceof Boolean b ? !b : v + "!";
                assertThat(RowDigest.of(RowDigest.EMPTY, changed)).as("row %d cell %d", r, c).isNotEqualTo(whole);
            }
        }
        List<Object[]> swapped = rows();
        swapped.add(0, swapped.remove(1));
        assertThat(RowDigest.of(RowDigest.EMPTY, swapped)).isNotEqualTo(whole);
    }
}
