package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.testing.Interop;
import cox.testing.Python;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Files others wrote: the stores Python cox wrote (with pandas' PyTables index on every table), files
 * pandas appended to after us, compressed tables, HDF5's newer format. Reading matches the HDF Group's
 * library and pandas; appending keeps every other object; what cox4j cannot append to is refused, naming
 * the file, table and feature, before a byte of the file changes.
 */
class ForeignFilesTest {
    @TempDir
    Path dir;

    static Path fixture(Path dir, String name) {
        Path file = dir.resolve(name);
        try (InputStream in = ForeignFilesTest.class.getResourceAsStream("/stores/cox-python/" + name)) {
            Files.copy(in, file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return file;
    }

    /** Every table of the file as cox4j reads it, as one string per table. */
    static Map<String, String> ourRead(Path file) {
        Map<String, String> out = new java.util.TreeMap<>();
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                out.put(name, t.columns() + "\n" + describe(t.read(0, (int) t.nrows())));
            }
        }
        return out;
    }

    static String describe(Object[] columns) {
        StringBuilder sb = new StringBuilder();
        for (Object c : columns) {
            if (c instanceof long[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else if (c instanceof double[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else if (c instanceof boolean[] a) {
                sb.append(java.util.Arrays.toString(a));
            } else {
                sb.append(java.util.Arrays.toString((String[]) c));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** Every table's rows as the HDF Group's library reads them, decoded with cox4j's description of the table. */
    static Map<String, String> nativeRead(Path file) {
        NativeHdf5.Contents c = NativeHdf5.read(file);
        Map<String, String> out = new java.util.TreeMap<>();
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                NativeHdf5.Rows r = c.tables().get("/" + name + "/table");
                out.put(name, t.columns() + "\n" + describe(RowCodec.decode(t.frame().layout, t.columns(), r.bytes(),
                        (int) r.count())));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"exp-0.h5", "exp-1.h5", "exp-2.h5"})
    void coxPythonStore_readsAsTheNativeLibraryDoes(String name) {
        Path file = fixture(dir, name);
        Map<String, String> ours = ourRead(file);
        assertThat(ours).containsOnlyKeys("metadata", "objects", "results", "special");
        assertThat(ours).isEqualTo(nativeRead(file));
        assertThat(ours.get("results")).contains("validation-long-name");
        assertThat(ours.get("special")).contains("ünïcødé ✓");
    }

    @Test
    void coxPythonStore_appendingToATable_dropsOnlyItsIndex_andKeepsEverythingElse() {
        Path file = fixture(dir, "exp-0.h5");
        Map<String, String> before = ourRead(file);
        NativeHdf5.Contents original = NativeHdf5.read(file);
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            PandasTable t = f.table("results");
            assertThat(t.nrows()).isEqualTo(20);
            List<Object[]> rows = new ArrayList<>();
            for (int i = 20; i < 25; i++) {
                rows.add(new Object[] {(long) i, 0.5, 0.75, "java"});
            }
            t.append(rows);
        }
        NativeHdf5.Contents now = NativeHdf5.read(file);
        assertThat(now.tables().keySet()).doesNotContain("/results/_i_table/index/sorted")
                .contains("/metadata/_i_table/index/sorted", "/objects/_i_table/index/sorted");
        // the other tables, their indexes and attributes are as they were, byte for byte
        for (String path : original.tables().keySet()) {
            if (!path.startsWith("/results")) {
                assertThat(now.tables().get(path).bytes()).as(path).isEqualTo(original.tables().get(path).bytes());
                assertThat(now.attributes().get(path)).as(path).containsAllEntriesOf(original.attributes().get(path));
            }
        }
        Map<String, String> after = ourRead(file);
        assertThat(after.get("metadata")).isEqualTo(before.get("metadata"));
        assertThat(after.get("results")).contains("java").contains("validation-long-name");
        assertThat(after).isEqualTo(nativeRead(file));
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }

    @Test
    void tablesCoxCannotAppendTo_areRefusedBeforeAnyByteChanges() throws Exception {
        Path file = dir.resolve("store.h5");
        try (InputStream in = getClass().getResourceAsStream("/stores/pandas-written.h5")) {
            Files.copy(in, file);
        }
        byte[] before = Files.readAllBytes(file);
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            assertThatThrownBy(() -> f.table("other").append(List.<Object[]>of(new Object[] {1L, 0.5, 2L, "z"})))
                    .isInstanceOf(StoreFormatException.class)
                    .hasMessage("cannot append to table 'other' in " + file + ": member 'i32' is int32;"
                            + " cox4j appends only to int64, float64, bool and string members");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void emojiInThePath_works() {
        Path folder = dir.resolve("x🙂");
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Path file = folder.resolve("store.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            f.createTable("t", PandasStoreFileTest.text("s"), 1, 1).append(List.<Object[]>of(new Object[] {"🙂"}));
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            f.table("t").append(List.<Object[]>of(new Object[] {"b"}));
        }
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat((String[]) f.table("t").read(0, 2)[0]).containsExactly("🙂", "b");
        }
    }

    // ------------------------------------------------------------------ with pandas

    private static final String COMPRESSED = String.join("\n",
            "import sys, numpy as np, pandas as pd",
            "df = pd.DataFrame({'a': np.arange(5000, dtype='int64'), 'x': np.arange(5000) * 0.5,",
            "                   's': ['ü%d' % i for i in range(5000)], 'b': np.arange(5000) % 2 == 0})",
            "with pd.HDFStore(sys.argv[1], 'w', complib=sys.argv[2], complevel=5) as s:",
            "    s.append('t', df, format='table')",
            "with pd.HDFStore(sys.argv[1], 'a') as s:",
            "    s.append('plain', df.head(3), format='table')");

    @Interop
    @ParameterizedTest
    @ValueSource(strings = {"zlib", "blosc"})
    void compressedTable_isReadWithJhdf_andAppendingIsRefused(String complib) throws Exception {
        Path file = dir.resolve("store.h5");
        Python.run(COMPRESSED, file.toString(), complib);
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            assertThat(((String[]) f.table("plain").read(0, 3)[2])).containsExactly("ü0", "ü1", "ü2");
            if (complib.equals("zlib")) {
                Object[] cols = f.table("t").read(0, 5000);
                assertThat(((long[]) cols[0])[4999]).isEqualTo(4999);
                assertThat(((double[]) cols[1])[4999]).isEqualTo(2499.5);
                assertThat(((String[]) cols[2])[4999]).isEqualTo("ü4999");
                assertThat(((boolean[]) cols[3])[4998]).isTrue();
            } else {
                // jHDF has no blosc: reading goes as far as jHDF can, and says why it stops
                assertThatThrownBy(() -> f.table("t").read(0, 1))
                        .isInstanceOf(StoreFormatException.class)
                        .hasMessageStartingWith(file + ": table 't': jHDF cannot read its rows: ")
                        .hasMessageContaining("blosc");
            }
        }
        byte[] before = Files.readAllBytes(file);
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            assertThatThrownBy(() -> f.table("t").append(List.<Object[]>of(new Object[] {1L, 1.0, "a", true})))
                    .isInstanceOf(StoreFormatException.class)
                    .hasMessageStartingWith("cannot append to table 't' in " + file + ": filter pipeline (")
                    .hasMessageContaining(complib.equals("zlib") ? "deflate (zlib)" : "blosc");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Interop
    @Test
    void latestFormatFile_isReadWithJhdf_andRefusedForAppending() throws Exception {
        Path plain = dir.resolve("plain.h5");
        Path latest = dir.resolve("latest.h5");
        Python.run(COMPRESSED, plain.toString(), "zlib");
        H5Tools.run("h5repack", "-L", plain.toString(), latest.toString());
        try (PandasStoreFile f = PandasStoreFile.open(latest, false)) {
            assertThat(f.tableNames()).containsExactlyInAnyOrder("t", "plain");
            assertThat(((String[]) f.table("t").read(4990, 10)[2])[9]).isEqualTo("ü4999");
        }
        byte[] before = Files.readAllBytes(latest);
        assertThatThrownBy(() -> PandasStoreFile.open(latest, true))
                .isInstanceOf(StoreFormatException.class)
                .hasMessage("cannot read HDF5 file " + latest + " as a pandas store to append to: superblock version 3"
                        + " (files written with HDF5's \"latest\" format); cox4j reads and writes superblock versions"
                        + " 0 and 1");
        assertThat(Files.readAllBytes(latest)).isEqualTo(before);
    }

    @Interop
    @Test
    void pandasAppendsAfterUs_thenWeAppendAgain_andEveryoneReadsTheSameRows() {
        Path file = fixture(dir, "exp-1.h5");
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            f.table("results").append(List.<Object[]>of(new Object[] {20L, 0.5, 0.75, "java-1"}));
            f.createTable("extra", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(0, 10));
        }
        Python.run(String.join("\n",
                "import sys, pandas as pd",
                "with pd.HDFStore(sys.argv[1], 'a') as st:",
                "    for k in ['results', 'extra']:",
                "        n = st.get_storer(k).nrows",
                "        df = st.select(k, start=n - 2)",
                "        df.index = range(n, n + len(df))",
                "        st.append(k, df)"), file.toString());
        try (PandasStoreFile f = PandasStoreFile.open(file, true)) {
            assertThat(f.table("results").nrows()).isEqualTo(23);
            assertThat(f.table("extra").nrows()).isEqualTo(12);
            f.table("results").append(List.<Object[]>of(new Object[] {23L, 0.25, 1.0, "java-2, longer than before"}));
            f.table("extra").append(FormatTest.rows(12, 3));
        }
        String pandas = Python.run(String.join("\n",
                "import sys, pandas as pd",
                "for k in ['metadata', 'results', 'special', 'objects', 'extra']:",
                "    df = pd.read_hdf(sys.argv[1], k)",
                "    print(k, len(df), list(df.index)[-3:], df.iloc[-1].tolist())"), file.toString());
        assertThat(pandas).contains("results 24 [21, 22, 23] [23, 0.25, 1.0, 'java-2, longer than before']")
                .contains("extra 15 [12, 13, 14]");
        assertThat(ourRead(file)).isEqualTo(nativeRead(file));
        assertThat(H5Tools.h5statUnaccounted(file)).isZero();
    }
}
