package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import cox.exceptions.CoxException;
import cox.store.Mode;
import cox.store.Store;
import cox.testing.H5Damage;
import cox.testing.H5Superblock;
import cox.testing.Interop;
import cox.testing.Python;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 3: a compressed table whose claims jHDF would have allocated. The finding's file:
 * one gzip chunk declared (in the layout message) as 10,000,000 rows of 88 bytes under an extent of
 * 25,000 rows, its data 880 MB of zeros deflated to under 1 MB; READ, APPEND and every tool above
 * died of OutOfMemoryError. Built here by field from a compressed table (pandas', and, so that the
 * test runs without Python, one the HDF Group's library compresses), with variants: the chunk shape
 * alone, a chunk inflating beyond its declared shape, a chunk address beyond the file. Each is read
 * in a child JVM with a 256 MB heap through the engine, READ and APPEND: the outcome is a cox
 * exception naming the file, the table and the claim, never an OutOfMemoryError.
 */
class HostileChunksTest {
    static final int ROWS = 25_000;
    /** Ten float columns and the index: 88-byte rows, as in the finding. */
    static final int COLUMNS = 10;

    @TempDir
    Path dir;

    // ------------------------------------------------------------------ the compressed tables

    /** A store.h5 with table 'results' of 25,000 rows of 88 bytes, compressed by the HDF Group's library. */
    private Path javaCompressed(String name) {
        Path file = dir.resolve(name);
        List<FrameColumn> columns = new ArrayList<>();
        for (int c = 0; c < COLUMNS; c++) {
            columns.add(new FrameColumn("c" + c, ColumnKind.FLOAT, "float"));
        }
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("results", columns, 1, ROWS);
            List<Object[]> rows = new ArrayList<>();
            for (int r = 0; r < ROWS; r++) {
                Object[] row = new Object[COLUMNS];
                for (int c = 0; c < COLUMNS; c++) {
                    row[c] = r * (c + 0.5);
                }
                rows.add(row);
            }
            t.append(rows);
        }
        H5Damage.compressTable(file, "results", 744, 9);
        return file;
    }

    /** The same table as pandas writes it with complib='zlib', complevel=9. */
    private Path pandasCompressed(String name) {
        Path file = dir.resolve(name);
        Python.run(String.join("\n", "import sys, numpy as np, pandas as pd",
                "n = " + ROWS,
                "df = pd.DataFrame({'c%d' % i: np.arange(n) * (i + 0.5) for i in range(" + COLUMNS + ")})",
                "df.to_hdf(sys.argv[1], key='results', format='table', complib='zlib', complevel=9)"), file.toString());
        return file;
    }

    // ------------------------------------------------------------------ fields, found by parsing

    private static TableDataset dataset(Path file, String table) {
        try (FileBytes f = FileBytes.openForReading(file)) {
            return FileStructure.read(f, false).tables.get(table).dataset;
        }
    }

    /** Address of the layout message's data: version, class, dimensionality, index address, dimensions. */
    private static long layout(Path file, String table) {
        ObjectHeader.Message m = dataset(file, table).objectHeader.first(ObjectHeader.LAYOUT);
        assertThat(m.buffer().get(0) & 0xff).as("layout version").isEqualTo(3);
        assertThat(m.buffer().get(1) & 0xff).as("chunked layout").isEqualTo(2);
        return m.dataAddress();
    }

    static long chunkRowsField(Path file, String table) {
        return layout(file, table) + 3 + 8;
    }

    /** The chunk index's root, which for these tables (34 chunks, up to 64 per node) is its only leaf. */
    private static long indexLeaf(Path file, String table) {
        try (FileBytes f = FileBytes.openForReading(file)) {
            long root = f.read(layout(file, table) + 3, 8, "layout").getLong(0);
            ByteBuffer node = f.read(root, ChunkIndex.HEADER_SIZE, "node");
            assertThat(node.get(5)).as("a leaf").isEqualTo((byte) 0);
            return root;
        }
    }

    private static void writeInt(Path file, long address, int value) throws IOException {
        write(file, address, ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(0, value));
    }

    private static void writeLong(Path file, long address, long value) throws IOException {
        write(file, address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value));
    }

    private static void write(Path file, long address, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            while (b.hasRemaining()) {
                ch.write(b, address + b.position());
            }
        }
    }

    /** {@code bytes} zero bytes, deflated (shuffled zeros are zeros). */
    private static byte[] deflatedZeros(long bytes) {
        Deflater d = new Deflater(9);
        byte[] zeros = new byte[1 << 20];
        byte[] out = new byte[1 << 16];
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        long left = bytes;
        while (!d.finished()) {
            if (d.needsInput()) {
                if (left > 0) {
                    int n = (int) Math.min(zeros.length, left);
                    d.setInput(zeros, 0, n);
                    left -= n;
                } else {
                    d.finish();
                }
            }
            int got = d.deflate(out);
            all.write(out, 0, got);
        }
        d.end();
        return all.toByteArray();
    }

    /**
     * Replaces chunk 0 of {@code table} by {@code blob}, appended at the end of the file: its key's
     * size and its child pointer in the index leaf, and the superblock's end-of-file address.
     */
    private static void replaceFirstChunk(Path file, String table, byte[] blob) throws IOException {
        long leaf = indexLeaf(file, table);
        long at = Files.size(file);
        write(file, at, ByteBuffer.wrap(blob));
        writeInt(file, ChunkIndex.keyAddress(leaf, 0, 2), blob.length);
        writeLong(file, ChunkIndex.childAddress(leaf, 0, 2), at);
        H5Superblock.setEndOfFile(file, Files.size(file));
    }

    /** The hostile variants of {@code base}, by name. */
    private Map<String, Path> hostile(Path base, String prefix) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        // the finding: 10,000,000 rows of 88 bytes declared, and a chunk that inflates to all of them
        Path finding = copy(base, prefix + "-finding.h5");
        byte[] bomb880 = deflatedZeros(10_000_000L * 88);
        assertThat(bomb880.length).as("880 MB of rows in under 1 MB").isLessThan(1 << 20);
        replaceFirstChunk(finding, "results", bomb880);
        writeInt(finding, chunkRowsField(finding, "results"), 10_000_000);
        out.put("the finding", finding);
        Path shape = copy(base, prefix + "-shape.h5");
        writeInt(shape, chunkRowsField(shape, "results"), 10_000_000);
        out.put("chunk shape alone", shape);
        Path bomb = copy(base, prefix + "-bomb.h5");
        replaceFirstChunk(bomb, "results", deflatedZeros(400L << 20));
        out.put("chunk inflating to 400 MiB", bomb);
        Path beyond = copy(base, prefix + "-beyond.h5");
        writeLong(beyond, ChunkIndex.childAddress(indexLeaf(beyond, "results"), 1, 2), Files.size(beyond) + (1L << 40));
        out.put("chunk beyond the file", beyond);
        return out;
    }

    private Path copy(Path base, String name) throws IOException {
        return Files.copy(base, dir.resolve(name));
    }

    // ------------------------------------------------------------------ the tests

    @Test
    void compressedTable_readsRight() {
        Path file = javaCompressed("store.h5");
        assertThat(dataset(file, "results").unsupported).contains("deflate (zlib)");
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            Object[] cols = f.table("results").read(0, ROWS);
            assertThat(((double[]) cols[3])[ROWS - 1]).isEqualTo((ROWS - 1) * 3.5);
        }
    }

    @Test
    void compressedTable_onAnotherFileSystem_isReadWithJhdfFromItsBytes_asLocally() throws Exception {
        Path local = javaCompressed("store.h5");
        try (java.nio.file.FileSystem jimfs = com.google.common.jimfs.Jimfs.newFileSystem(
                com.google.common.jimfs.Configuration.unix())) {
            Path remote = jimfs.getPath("/runs/exp/store.h5");
            java.nio.file.Files.createDirectories(remote.getParent());
            java.nio.file.Files.copy(local, remote);
            long before = cox.io.PositionalInputs.rangeRequests();
            try (PandasStoreFile r = PandasStoreFile.open(remote, false); PandasStoreFile l = PandasStoreFile.open(local, false)) {
                for (int c = 0; c < COLUMNS; c++) {
                    assertThat((double[]) r.table("results").read(0, ROWS)[c])
                            .isEqualTo((double[]) l.table("results").read(0, ROWS)[c]);
                }
                assertThat(((double[]) r.table("results").read(ROWS - 2, 2)[3])[1]).isEqualTo((ROWS - 1) * 3.5);
            }
            // a file under 4 MiB: fetched once, and jHDF reads those bytes
            assertThat(java.nio.file.Files.size(remote)).isLessThan(cox.io.PositionalInputs.RANGE);
            assertThat(cox.io.PositionalInputs.rangeRequests() - before).isEqualTo(1);
        }
    }

    @Test
    void hostileChunks_compressedInJava_areRefusedByName_inA256MbHeap() throws Exception {
        assertNamedErrors(hostile(javaCompressed("java.h5"), "java"));
    }

    @Interop
    @Test
    void hostileChunks_compressedByPandas_areRefusedByName_inA256MbHeap() throws Exception {
        Path base = pandasCompressed("pandas.h5");
        try (PandasStoreFile f = PandasStoreFile.open(base, false)) {
            assertThat(((double[]) f.table("results").read(0, ROWS)[3])[ROWS - 1]).isEqualTo((ROWS - 1) * 3.5);
        }
        assertNamedErrors(hostile(base, "pandas"));
    }

    private void assertNamedErrors(Map<String, Path> files) throws Exception {
        List<String> args = new ArrayList<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        args.addAll(List.of(java, "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        for (Path p : files.values()) {
            args.add(p.toString());
        }
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        for (Map.Entry<String, Path> e : files.entrySet()) {
            String file = e.getValue().toString();
            List<String> lines = out.lines().filter(l -> l.contains(" " + file + " ") || l.contains(" " + file + "-storage/")).toList();
            assertThat(lines).as(e.getKey() + ":\n" + out).hasSize(4).allSatisfy(l -> {
                assertThat(l).startsWith("COX ");
                assertThat(l.substring(l.indexOf(" : ") + 3)).contains(e.getValue().getFileName().toString())
                        .contains("table 'results'");
            });
        }
        assertThat(out).contains("10000000 rows of 88 bytes").contains("inflates to more than the 65472 bytes")
                .contains("lies beyond the end of the file");
    }

    /**
     * The child JVM: for each file, reads every table through the engine read-only and for appending,
     * then as the store.h5 of a store (READ, then APPEND); prints "OK|COX|UNCHECKED mode file : message".
     */
    public static final class Child {
        public static void main(String[] args) throws IOException {
            for (String a : args) {
                Path file = Path.of(a);
                for (boolean writable : new boolean[] {false, true}) {
                    report(writable ? "engine-append" : "engine-read", file, () -> {
                        try (PandasStoreFile f = PandasStoreFile.open(file, writable)) {
                            for (String name : f.tableNames()) {
                                f.table(name).read(0, (int) f.table(name).nrows());
                            }
                        }
                    });
                }
                Path storage = Files.createDirectories(file.resolveSibling(file.getFileName() + "-storage"));
                Files.createDirectories(storage.resolve("exp"));
                Path h5 = Files.copy(file, storage.resolve("exp").resolve("store.h5"));
                for (Mode mode : new Mode[] {Mode.READ, Mode.APPEND}) {
                    report("store-" + mode, h5, () -> {
                        try (Store s = Store.open(storage, "exp", mode)) {
                            for (String name : s.keys()) {
                                s.table(name).df();
                            }
                        }
                    });
                }
            }
        }

        private static void report(String what, Path file, Runnable r) {
            String line;
            try {
                r.run();
                line = "OK " + what + " " + file + " : ";
            } catch (CoxException e) {
                line = "COX " + what + " " + file + " : " + e.getMessage();
            } catch (RuntimeException e) {
                line = "UNCHECKED " + what + " " + file + " : " + e;
            }
            System.out.println(line.replace('\n', ' '));
        }
    }
}
