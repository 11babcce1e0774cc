package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a killed writer leaves in and beside store.h5 (rows and chunks not yet published, space no
 * object uses, a half-written rewrite) does not trip the next one, and is gone once it closes.
 */
class LeftoversTest {
    @TempDir
    Path dir;

    private static List<Object[]> rows(long from, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (long i = from; i < from + n; i++) {
            rows.add(new Object[] {i, "r" + (i % 10)});
        }
        return rows;
    }

    static long[] seq(PandasTable t) {
        return (long[]) t.read(0, (int) t.nrows())[0];
    }

    @Test
    void reopen_afterAKilledWriter_keepsPublishedRows_reusesItsChunks_andClosesCompactly() throws Exception {
        Path file = dir.resolve("store.h5");
        Path crashed = dir.resolve("crashed.h5");
        List<FrameColumn> cols = List.of(new FrameColumn("seq", ColumnKind.INT, "int"),
                new FrameColumn("s", ColumnKind.TEXT, "str"));
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            f.createTable("t", cols, 2, 10);
            f.table("t").append(rows(0, 10));
            f.flush(); // a rewrite: the table and its 10 rows are published at once
            // rows spilling into new chunks: written and indexed, not yet covered by the extent
            f.table("t").append(rows(10, 20_000));
            f.flush();
            Files.copy(file, crashed); // the file as a writer killed now leaves it
            Files.writeString(dir.resolve(PandasStoreFile.REWRITE_PREFIX + "crashed.h5"), "half a rewrite");
        }
        try (PandasStoreFile f = PandasStoreFile.open(crashed, false)) {
            // readers see the rows published before the kill, a consistent prefix
            long[] seq = seq(f.table("t"));
            assertThat(seq.length).isGreaterThanOrEqualTo(10).isLessThan(20_010);
            for (int i = 0; i < seq.length; i++) {
                assertThat(seq[i]).isEqualTo(i);
            }
        }
        long visible;
        try (PandasStoreFile f = PandasStoreFile.open(crashed, true)) {
            assertThat(dir.resolve(PandasStoreFile.REWRITE_PREFIX + "crashed.h5")).doesNotExist();
            PandasTable t = f.table("t");
            visible = t.nrows();
            t.append(rows(visible, 30_000));
        }
        try (PandasStoreFile f = PandasStoreFile.open(crashed, false)) {
            long[] seq = seq(f.table("t"));
            assertThat(seq).hasSize((int) visible + 30_000);
            for (int i = 0; i < seq.length; i++) {
                assertThat(seq[i]).isEqualTo(i);
            }
        }
        assertThat(H5Tools.unaccountedSpace(crashed)).isZero();
    }
}
