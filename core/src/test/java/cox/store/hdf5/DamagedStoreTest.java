package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The damaged files of issue 9 (findings 1 and 4–6), each made by changing one field found with the
 * parser: the engine refuses them, naming the file and what is wrong, before allocating anything by
 * a damaged count, in read and in append mode.
 */
class DamagedStoreTest {
    @TempDir
    Path dir;

    private Path store() {
        Path file = dir.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            f.createTable("results", List.of(new FrameColumn("epoch", ColumnKind.INT, "int"),
                    new FrameColumn("obj", ColumnKind.TEXT, "__object__")), 4, 10).append(rows(10));
        }
        return file;
    }

    private static List<Object[]> rows(int n) {
        List<Object[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {(long) i, "gAR" + i});
        }
        return rows;
    }

    private static TableDataset dataset(Path file) {
        try (FileBytes f = FileBytes.openForReading(file)) {
            return FileStructure.read(f).tables.get("results").dataset;
        }
    }

    private static void writeLong(Path file, long address, long value) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(address);
            raf.writeLong(Long.reverseBytes(value));
        }
    }

    private void assertRefused(Path file, String message) {
        assertThatThrownBy(() -> PandasStoreFile.open(file, false).close())
                .isInstanceOf(StoreFormatException.class)
                .hasMessageStartingWith("cannot read HDF5 file " + file + " as a pandas store: ")
                .hasMessageContaining(message);
        assertThatThrownBy(() -> PandasStoreFile.open(file, true).close())
                .isInstanceOf(StoreFormatException.class)
                .hasMessageStartingWith("cannot read HDF5 file " + file + " as a pandas store to append to: ")
                .hasMessageContaining(message);
    }

    @Test
    void extentClaimingMoreRowsThanTheFileHolds_isRefused() throws Exception {
        for (long claimed : new long[] {53_906, 487_260_684_291L}) {
            Path file = store();
            TableDataset ds = dataset(file);
            writeLong(file, ds.extentField, claimed);
            writeLong(file, ds.nrowsField, claimed);
            assertRefused(file, "table 'results' (dataset /results/table) claims " + claimed + " rows; the file holds"
                    + " at most");
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void extentShrunk_disagreesWithNrows_andIsRefused() throws Exception {
        Path file = store();
        writeLong(file, dataset(file).extentField, 2);
        assertRefused(file, "attribute NROWS says 10 rows but the dataset's extent is 2");
    }

    @Test
    void objectColumnRetypedInCoxData_isRefused() throws Exception {
        Path file = store();
        long at;
        try (FileBytes f = FileBytes.openForReading(file)) {
            FileStructure.Table t = FileStructure.read(f).tables.get("results");
            Attribute cox = t.groupAttributes.stream().filter(a -> a.name().equals("COX_DATA")).findFirst()
                    .orElseThrow();
            at = cox.dataAddress() + new String(cox.data(), StandardCharsets.ISO_8859_1).indexOf("__object__") + 7;
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(at);
            raf.write('u'); // __object__ -> __objecu__
        }
        assertRefused(file, "attribute COX_DATA gives column 'obj' the type __objecu__");
    }

    @Test
    void chunkIndexPointingIntoAnotherObject_isRefused() throws Exception {
        Path file = store();
        TableDataset ds = dataset(file);
        // the first chunk's address moved by 104 bytes: its end now covers the metadata after it
        writeLong(file, ChunkIndex.childAddress(ds.index.root, 0, 2), ds.chunkAddress[0] + 104);
        assertRefused(file, "overlaps");
    }

    @Test
    void damagedStore_isNeverChangedByAWritableOpen() throws Exception {
        Path file = store();
        writeLong(file, dataset(file).extentField, 53_906);
        byte[] before = java.nio.file.Files.readAllBytes(file);
        assertThatThrownBy(() -> PandasStoreFile.open(file, true)).isInstanceOf(StoreFormatException.class);
        assertThat(java.nio.file.Files.readAllBytes(file)).isEqualTo(before);
    }

    /**
     * Issue 17, found by the campaign "beyond 16 KiB" of PandasStoreFileFuzzIT: a chunk index root
     * of another dataset (pandas' PyTables index of a table) whose entry count reads 0. The rewrite of
     * the first append threw IllegalArgumentException; it now writes that dataset without an index
     * (it has no chunk a reader could reach), and the table's rows and the appended one read back.
     */
    @Test
    void indexRootListingNoChunk_inAnotherDataset_isRewrittenWithoutIt() throws Exception {
        Path file = ForeignFilesTest.fixture(dir, "exp-0.h5");
        java.util.Set<Long> tableRoots = new java.util.HashSet<>();
        try (FileBytes f = FileBytes.openForReading(file)) {
            for (FileStructure.Table t : FileStructure.read(f).tables.values()) {
                tableRoots.add(t.dataset.index.root);
            }
        }
        long root = -1;
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (long[] node : StoreFuzzer.nodeRanges(file)) {
            int at = (int) node[0];
            // a root (no siblings) with entries, of a dataset that is not a frame table's rows
            if (!tableRoots.contains(node[0]) && b.getLong(at + 8) == -1 && b.getLong(at + 16) == -1
                    && b.getShort(at + 6) > 0) {
                root = node[0];
                break;
            }
        }
        assertThat(root).as("a PyTables index dataset's chunk index root").isPositive();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(root + 6);
            raf.writeShort(0);
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            f.table("results").append(List.<Object[]>of(new Object[] {20L, 0.5, 0.75, "java"}));
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            PandasTable t = f.table("results");
            assertThat(t.nrows()).isEqualTo(21);
            assertThat(((long[]) t.read(0, 21)[0])[20]).isEqualTo(20L);
            assertThat(((String[]) t.read(0, 21)[3])[20]).isEqualTo("java");
        }
    }
}
