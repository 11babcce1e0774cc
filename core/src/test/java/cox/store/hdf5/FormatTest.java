package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import cox.pickle.PickleWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each structure cox4j writes, read back by its own parser and by the HDF Group's library
 * (bytedeco's build, test scope): the same rows byte for byte, every attribute, and no space
 * that no object uses.
 */
class FormatTest {
    @TempDir
    Path dir;

    static List<Object[]> rows(int from, int n) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            rows.add(new Object[] {(long) i * 7 - 3, i * 0.25, "p" + (i % 13), i % 3 == 0, -i * 1e-3});
        }
        return rows;
    }

    /** The bytes {@code rows} take in a table of {@code layout}, index numbered from {@code first}. */
    static byte[] encoded(BlockLayout layout, List<Object[]> rows, long first) {
        ByteBuffer b = ByteBuffer.allocate(rows.size() * layout.rowSize).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows.size(); r++) {
            RowCodec.encode(layout, b, r * layout.rowSize, first + r, rows.get(r));
        }
        return b.array();
    }

    @Test
    void superblock_encodesAndReadsBack() {
        Superblock sb = new Superblock(0, 4, 16, 32, 12345, 96, 136, 680);
        byte[] bytes = sb.encode();
        assertThat(bytes).hasSize(96);
        Path file = dir.resolve("sb.h5");
        try {
            java.nio.file.Files.write(file, java.util.Arrays.copyOf(bytes, 12345));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        try (FileBytes f = FileBytes.openForReading(file)) {
            assertThat(Superblock.read(f)).isEqualTo(sb);
        }
    }

    @Test
    void datatypes_encodeAndReadBack() {
        Datatype.Compound row = PandasAttributes.rowType(BlockLayout.forColumns(PandasStoreFileTest.SCHEMA, 9));
        byte[] bytes = row.encode();
        Path file = dir.resolve("x");
        try (FileBytes f = FileBytes.openForReading(write(file, bytes))) {
            Datatype back = Datatype.read(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN), f, "row type");
            assertThat(back).isEqualTo(row);
            assertThat(back.encode()).isEqualTo(bytes);
        }
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            java.nio.file.Files.write(file, bytes);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return file;
    }

    @Test
    void emptyStore_hasPyTablesRootAttributes_andNoUnusedSpace() {
        Path file = dir.resolve("store.h5");
        PandasStoreFile.create(file).close();
        NativeHdf5.Contents c = NativeHdf5.read(file);
        assertThat(c.attributes()).containsOnlyKeys("/");
        Map<String, byte[]> root = c.attributes().get("/");
        assertThat(root).containsOnlyKeys("CLASS", "PYTABLES_FORMAT_VERSION", "TITLE", "VERSION");
        assertThat(new String(root.get("CLASS"), StandardCharsets.UTF_8)).isEqualTo("GROUP");
        assertThat(new String(root.get("PYTABLES_FORMAT_VERSION"), StandardCharsets.UTF_8)).isEqualTo("2.1");
        assertThat(root.get("TITLE")).isEmpty();
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    @Test
    void table_nativeLibraryReadsOurRowBytes_andEveryAttribute() {
        Path file = dir.resolve("store.h5");
        List<Object[]> rows = rows(0, 3000);
        BlockLayout layout;
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("results", PandasStoreFileTest.SCHEMA, 4, 10);
            t.append(rows.subList(0, 1000));
            f.flush();
            t.append(rows.subList(1000, 3000)); // in place, over several chunks
            layout = t.layout();
        }
        NativeHdf5.Contents c = NativeHdf5.read(file);
        assertThat(c.tables()).containsOnlyKeys("/results/table");
        NativeHdf5.Rows native_ = c.tables().get("/results/table");
        assertThat(native_.count()).isEqualTo(3000);
        assertThat(native_.bytes()).isEqualTo(encoded(layout, rows, 0));
        Map<String, byte[]> group = c.attributes().get("/results");
        assertThat(group).containsOnlyKeys("CLASS", "COX_DATA", "TITLE", "VERSION", "data_columns", "encoding", "errors",
                "index_cols", "info", "levels", "nan_rep", "non_index_axes", "pandas_type", "pandas_version",
                "table_type", "values_cols");
        assertThat(group.get("non_index_axes")).isEqualTo(PickleWriter.dumpsProtocol0(
                List.of((Object) new Object[] {1, List.of("epoch", "loss", "phase", "best", "acc")})));
        Map<String, byte[]> ds = c.attributes().get("/results/table");
        assertThat(ByteBuffer.wrap(ds.get("NROWS")).order(ByteOrder.LITTLE_ENDIAN).getLong()).isEqualTo(3000);
        assertThat(new String(ds.get("values_block_3_dtype"), StandardCharsets.UTF_8)).isEqualTo("bytes32");
        assertThat(ds.get("FIELD_4_FILL")).containsExactly(0);
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            Object[] cols = f.table("results").read(0, 3000);
            assertThat(((long[]) cols[0])[2999]).isEqualTo(2999L * 7 - 3);
            assertThat(((String[]) cols[2])[2998]).isEqualTo("p" + (2998 % 13));
        }
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    @Test
    void manyChunks_chunkIndexGrowsNewLevels_andEveryReaderAgrees() {
        Path file = dir.resolve("store.h5");
        List<FrameColumn> cols = List.of(new FrameColumn("i", ColumnKind.INT, "int"));
        int n = 64 * 64 + 70; // one row per chunk: a third level of the chunk index
        try (PandasStoreFile f = PandasStoreFile.create(file, PandasStoreFile.Options.DEFAULT.withChunkRows(1))) {
            f.createTable("t", cols, 1, 1).append(List.<Object[]>of(new Object[] {0L}));
            f.flush();
            for (int i = 1; i < n; i += 500) {
                List<Object[]> batch = new ArrayList<>();
                for (int j = i; j < Math.min(n, i + 500); j++) {
                    batch.add(new Object[] {(long) j});
                }
                f.table("t").append(batch);
                f.flush();
            }
            // the last chunks wait for the live-read delay: close makes them visible (small file: a rewrite)
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            long[] got = (long[]) f.table("t").read(0, n)[0];
            for (int i = 0; i < n; i++) {
                assertThat(got[i]).isEqualTo(i);
            }
        }
        NativeHdf5.Rows r = NativeHdf5.read(file).tables().get("/t/table");
        assertThat(r.count()).isEqualTo(n);
        ByteBuffer b = ByteBuffer.wrap(r.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            assertThat(b.getLong(i * 16 + 8)).isEqualTo(i);
        }
    }

    @Test
    void manyChunks_appendedInPlace_growTheIndexTwoLevels_whileOpen() throws Exception {
        Path file = dir.resolve("store.h5");
        List<FrameColumn> cols = List.of(new FrameColumn("i", ColumnKind.INT, "int"));
        int n = 64 * 64 + 70;
        try (PandasStoreFile f = PandasStoreFile.create(file, PandasStoreFile.Options.DEFAULT.withChunkRows(1))) {
            f.createTable("t", cols, 1, 1).append(List.<Object[]>of(new Object[] {0L}));
            f.flush();
            List<Object[]> batch = new ArrayList<>();
            for (int j = 1; j < n; j++) {
                batch.add(new Object[] {(long) j});
            }
            f.table("t").append(batch);
            f.flush();
            // the publisher thread makes the new chunks visible after the live-read delays
            long deadline = System.nanoTime() + 8 * LivePublisher.PUBLISH_DELAY_NANOS;
            while (visibleRows(file) < n && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            // published in place: readers see every row while the writer still has the file open
            try (FileBytes bytes = FileBytes.openForReading(file)) {
                FileStructure s = FileStructure.read(bytes);
                TableDataset ds = s.tables.get("t").dataset;
                assertThat(ds.extent).isEqualTo(n);
                assertThat(ds.index.rightmost).hasSize(3);
                assertThat(ds.index.rightmost.get(0).level()).isEqualTo(2);
            }
            assertThat(NativeHdf5.read(file).tables().get("/t/table").count()).isEqualTo(n);
        }
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    private static long visibleRows(Path file) {
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            return f.table("t").nrows();
        }
    }

    @Test
    void manyTables_symbolTableSpreadsOverNodes_andEveryReaderListsThemAll() {
        Path file = dir.resolve("store.h5");
        List<FrameColumn> cols = List.of(new FrameColumn("i", ColumnKind.INT, "int"));
        List<String> names = new ArrayList<>();
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            for (int i = 299; i >= 0; i--) {
                String name = "t" + i;
                names.add(name);
                f.createTable(name, cols, 1, 1).append(List.<Object[]>of(new Object[] {(long) i}));
            }
        }
        names.sort(SymbolTable::compareNames);
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat(f.tableNames()).isEqualTo(names);
            assertThat(((long[]) f.table("t123").read(0, 1)[0])[0]).isEqualTo(123);
        }
        NativeHdf5.Contents c = NativeHdf5.read(file);
        assertThat(c.tables()).hasSize(300).containsKey("/t299/table");
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    @Test
    void widening_rewritesTheTable_andTheNativeLibraryReadsTheWideStrings() {
        Path file = dir.resolve("store.h5");
        String wide = "ü".repeat(700);
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("t", PandasStoreFileTest.text("s"), 1, 1);
            t.append(List.<Object[]>of(new Object[] {"a"}));
            f.flush();
            t.append(List.<Object[]>of(new Object[] {wide}));
            f.flush();
            assertThat(t.stringWidth()).isEqualTo(1400);
            assertThat((String[]) t.read(0, 2)[0]).containsExactly("a", wide);
        }
        NativeHdf5.Rows r = NativeHdf5.read(file).tables().get("/t/table");
        assertThat(r.rowSize()).isEqualTo(8 + 1400);
        assertThat(new String(r.bytes(), 8 + 1408, 1400, StandardCharsets.UTF_8)).isEqualTo(wide);
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }
}
