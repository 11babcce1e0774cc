package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ParseCache}: stores laid out alike share one parse of their attributes, row types and
 * table descriptions, and what a file reads as never depends on what was read before it: every
 * mutation of a store reads the same with the caches warm as with them empty.
 */
class ParseCacheTest {
    @TempDir
    Path dir;

    @BeforeEach
    void emptyCaches() {
        clearAll();
    }

    private static void clearAll() {
        ParseCache.ATTRIBUTES.clear();
        ParseCache.ROW_TYPES.clear();
        ParseCache.TABLES.clear();
    }

    private Path store(String name, int rows, List<FrameColumn> columns) {
        Path file = dir.resolve(name + ".h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("results", columns, 8);
            List<Object[]> r = new ArrayList<>();
            for (int i = 0; i < rows; i++) {
                r.add(new Object[] {(long) i, i * 0.25, "p" + i, i % 2 == 0, 1.0 + i});
            }
            t.append(r);
            f.createTable("metadata", List.of(new FrameColumn("lr", ColumnKind.FLOAT, "float"),
                    new FrameColumn("name", ColumnKind.TEXT, "str")), 4)
                    .append(List.<Object[]>of(new Object[] {0.1, name}));
        }
        return file;
    }

    /** What reading {@code file} gives: each table's columns and cells, or the error. */
    private static String outcome(Path file) {
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            StringBuilder out = new StringBuilder();
            for (String name : f.tableNames()) {
                PandasTable t = f.table(name);
                out.append(name).append(' ').append(t.columns()).append(' ').append(t.nrows()).append(' ');
                out.append(Arrays.deepToString(t.read(0, (int) Math.min(t.nrows(), 1000)))).append('\n');
            }
            return out.toString();
        } catch (RuntimeException e) {
            return "error " + e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    @Test
    void storesLaidOutAlike_shareOneDescription() {
        Path a = store("a", 5, PandasStoreFileTest.SCHEMA);
        Path b = store("b", 9, PandasStoreFileTest.SCHEMA);
        try (PandasStoreFile fa = PandasStoreFile.open(a, false)) {
            int tables = ParseCache.TABLES.size();
            int attributes = ParseCache.ATTRIBUTES.size();
            assertThat(tables).isEqualTo(2);
            try (PandasStoreFile fb = PandasStoreFile.open(b, false)) {
                assertThat(fb.table("results").columns()).isSameAs(fa.table("results").columns());
                assertThat(ParseCache.TABLES.size()).isEqualTo(tables);
                // NROWS and the metadata row's 'name' differ: nothing else is new
                assertThat(ParseCache.ATTRIBUTES.size()).isLessThanOrEqualTo(attributes + 2);
                assertThat(fa.table("results").nrows()).isEqualTo(5);
                assertThat(fb.table("results").nrows()).isEqualTo(9);
                assertThat((long[]) fb.table("results").read(0, 9)[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
            }
        }
    }

    @Test
    void otherColumns_areDescribedAfresh() {
        Path a = store("a", 3, PandasStoreFileTest.SCHEMA);
        List<FrameColumn> renamed = new ArrayList<>(PandasStoreFileTest.SCHEMA);
        renamed.set(4, new FrameColumn("acd", ColumnKind.FLOAT, "float"));
        Path b = store("b", 3, renamed);
        assertThat(outcome(a)).contains("acc");
        assertThat(outcome(b)).contains("acd").doesNotContain("acc");
        try (PandasStoreFile fb = PandasStoreFile.open(b, false)) {
            assertThat(fb.table("results").columns()).isEqualTo(renamed);
        }
    }

    @Test
    void everyMutation_readsTheSameWarmAsCold() throws Exception {
        Path original = store("orig", 20, PandasStoreFileTest.SCHEMA);
        byte[] bytes = Files.readAllBytes(original);
        Random random = new Random(20261207L);
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                positions.add(i); // the objects' bytes: headers, attributes, nodes, rows
            }
        }
        Path file = dir.resolve("mutated.h5");
        String intact = outcome(original);
        int differing = 0;
        for (int trial = 0; trial < 1500; trial++) {
            byte[] m = bytes.clone();
            int flips = 1 + random.nextInt(3);
            for (int k = 0; k < flips; k++) {
                int at = trial % 3 == 0 ? random.nextInt(m.length) : positions.get(random.nextInt(positions.size()));
                m[at] = (byte) (trial % 2 == 0 ? m[at] ^ (1 << random.nextInt(8)) : random.nextInt(256));
            }
            Files.write(file, m);
            outcome(original); // the intact layout stays cached
            String warm = outcome(file);
            clearAll();
            String cold = outcome(file);
            assertThat(warm).as("trial %d", trial).isEqualTo(cold);
            if (!cold.equals(intact)) {
                differing++;
            }
        }
        assertThat(differing).isGreaterThan(300); // the mutations reached what is parsed
    }

    @Test
    void emptyingTheAttributeCache_emptiesTheTableCache_soNoDeadKeyPinsOldAttributes() {
        // a table key holds the attributes the attribute cache returned: once those are dropped, no
        // later parse can match it, and keeping it would pin a wide table's attributes for nothing
        List<FrameColumn> cols = new ArrayList<>();
        for (int c = 0; c < 400; c++) {
            cols.add(new FrameColumn("metric_with_a_long_name_" + c, ColumnKind.FLOAT, "float"));
        }
        Path file = dir.resolve("wide.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            Object[] row = new Object[cols.size()];
            Arrays.fill(row, 1.0);
            f.createTable("results", cols, 8).append(List.<Object[]>of(row));
        }
        for (int i = 0; i < 20; i++) {
            try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
                assertThat(f.table("results").nrows()).isEqualTo(1);
            }
            assertThat(ParseCache.TABLES.size()).isEqualTo(1);
            ParseCache.ATTRIBUTES.clear(); // as more than 4,096 distinct messages or 2 MiB of them would
            assertThat(ParseCache.TABLES.size()).isZero();
        }
    }
}
