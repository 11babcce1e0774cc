package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.hdf5.ColumnKind;
import cox.store.hdf5.FrameColumn;
import cox.store.hdf5.PandasStoreFile;
import cox.testing.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store opened with {@link Mode#READ} keeps its parsed store.h5 from one look to the next: every
 * look still answers from the file as it is then, whether it was rewritten, appended to or changed
 * in place without changing its size.
 */
class StoreReaderReuseTest {
    @TempDir
    Path dir;

    private static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "phase",
            ColumnType.STR);

    private void append(int from, int to) {
        try (Store s = Store.open(dir, "exp", Mode.APPEND)) {
            Table t = s.keys().contains("results") ? s.table("results") : s.addTable("results", RESULTS);
            for (int i = from; i < to; i++) {
                t.appendRow(Map.of("epoch", i, "loss", i * 0.5, "phase", "p" + i));
            }
        }
    }

    @Test
    void rowsWrittenWhileOpen_areRead() {
        append(0, 3);
        try (Store r = Store.open(dir, "exp", Mode.READ)) {
            Table t = r.table("results");
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(0L, 1L, 2L);
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(0L, 1L, 2L);
            append(3, 5);
            assertThat(t.df().getColumn("epoch").toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
            assertThat(t.nrows()).isEqualTo(5);
            append(5, 6);
            assertThat(t.nrows()).isEqualTo(6);
            assertThat(t.df().getColumn("loss").toList()).containsExactly(0.0, 0.5, 1.0, 1.5, 2.0, 2.5);
        }
    }

    @Test
    void storeH5Alone_changedInPlaceWithItsSize_isReadAsItIsNow() throws Exception {
        Path file = dir.resolve("py").resolve("store.h5");
        Files.createDirectories(file.getParent());
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rows.add(new Object[] {(long) i, 100.0 + i});
            }
            f.createTable("results", List.of(new FrameColumn("epoch", ColumnKind.INT, "int"),
                    new FrameColumn("loss", ColumnKind.FLOAT, "float")), 1).append(rows);
        }
        byte[] original = Files.readAllBytes(file);
        int at = Bytes.indexOf(original, le(102.0));
        assertThat(at).isPositive();
        try (Store r = Store.open(dir, "py", Mode.READ)) {
            Table t = r.table("results");
            assertThat(t.df().getColumn("loss").toList()).containsExactly(100.0, 101.0, 102.0, 103.0);
            byte[] changed = original.clone();
            ByteBuffer.wrap(changed).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, -7.0);
            Files.write(file, changed);
            assertThat(t.df().getColumn("loss").toList()).containsExactly(100.0, 101.0, -7.0, 103.0);
            Files.write(file, original);
            assertThat(t.df().getColumn("loss").toList()).containsExactly(100.0, 101.0, 102.0, 103.0);
            assertThat(t.nrows()).isEqualTo(4);
        }
    }

    private static byte[] le(double d) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(d).array();
    }
}
