package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import io.jhdf.HdfFile;
import io.jhdf.api.Dataset;
import io.jhdf.dataset.DatasetBase;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * jHDF, an independent reader, reads the files cox4j writes — a widened table, one grown in place to
 * a three-level chunk index, a store of 40 tables — and finds the same rows and attributes.
 */
class JhdfCrossCheckTest {
    @TempDir
    Path dir;

    /** Every table's row bytes as jHDF reads them, compared with the rows cox4j reads, decoded the same way. */
    private static void assertJhdfReadsTheSame(Path file) {
        try (HdfFile h = new HdfFile(file); PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat(h.getChildren().keySet()).containsExactlyInAnyOrderElementsOf(f.tableNames());
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                Dataset ds = h.getDatasetByPath("/" + name + "/table");
                assertThat(ds.getDimensions()).containsExactly((int) t.nrows());
                ByteBuffer b = ((DatasetBase) ds).getDataBuffer();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                Object[] jhdf = RowCodec.decode(t.frame().layout, t.columns(), bytes, (int) t.nrows());
                assertThat(ForeignFilesTest.describe(jhdf)).as(name)
                        .isEqualTo(ForeignFilesTest.describe(t.read(0, (int) t.nrows())));
                // typed, through jHDF's own compound reader: the index member and NROWS
                Map<?, ?> members = (Map<?, ?>) ds.getData();
                long[] index = (long[]) members.get("index");
                for (int i = 0; i < index.length; i++) {
                    assertThat(index[i]).isEqualTo(i);
                }
                assertThat(((Number) ds.getAttribute("NROWS").getData()).longValue()).isEqualTo(t.nrows());
                assertThat(h.getByPath("/" + name).getAttribute("pandas_type").getData()).isEqualTo("frame_table");
            }
        }
    }

    @Test
    void widenedTable_andTablesOfEveryType() {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            f.createTable("results", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(0, 5000));
            f.flush();
            f.table("results").append(List.<Object[]>of(new Object[] {1L, 2.0, "wider ".repeat(20), true, 0.5}));
        }
        assertJhdfReadsTheSame(file);
    }

    @Test
    void chunkIndexGrownInPlaceToThreeLevels() throws Exception {
        Path file = dir.resolve("store.h5");
        // close waits for the live-read delays: the index stays as grown in place
        PandasStoreFile.Options options = PandasStoreFile.Options.DEFAULT.withChunkRows(1)
                .withRewriteRatherThanWait(false);
        try (PandasStoreFile f = PandasStoreFile.create(file, options)) {
            f.createTable("t", List.of(new FrameColumn("i", ColumnKind.INT, "int")), 1, 1)
                    .append(List.<Object[]>of(new Object[] {0L}));
            f.flush();
            List<Object[]> rows = new ArrayList<>();
            for (long i = 1; i < 64 * 64 + 100; i++) {
                rows.add(new Object[] {i});
            }
            f.table("t").append(rows);
        }
        try (FileBytes bytes = FileBytes.openForReading(file)) {
            assertThat(FileStructure.read(bytes).tables.get("t").dataset.index.rightmost).hasSize(3);
        }
        assertJhdfReadsTheSame(file);
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    @Test
    void fortyTables() {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            for (int i = 0; i < 40; i++) {
                f.createTable("table_" + (char) ('a' + i % 26) + i, PandasStoreFileTest.SCHEMA, 4, 10)
                        .append(FormatTest.rows(i, 3 + i));
            }
        }
        assertJhdfReadsTheSame(file);
    }
}
