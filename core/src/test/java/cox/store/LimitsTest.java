package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreException;
import cox.store.hdf5.ColumnKind;
import cox.store.hdf5.FrameColumn;
import cox.store.hdf5.PandasStoreFile;
import cox.testing.H5Damage;
import cox.testing.LogCapture;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 3: a schema store.h5 cannot hold is refused by {@code addTable}, naming the
 * limit, and the store stays writable; and, independently of that check, a table store.h5 cannot
 * take never stops the store: the other tables go on, every row is journaled and read back, and
 * the store opens again.
 */
class LimitsTest {
    @TempDir
    Path dir;

    private static Schema floats(int n) {
        Schema.Builder b = Schema.builder();
        for (int i = 0; i < n; i++) {
            b.add("c" + i, ColumnType.FLOAT);
        }
        return b.build();
    }

    private static Map<String, Object> row(Schema schema, double v) {
        Map<String, Object> row = new HashMap<>();
        for (String c : schema.keySet()) {
            row.put(c, v);
        }
        return row;
    }

    private static long h5Rows(Path exp, String table) {
        try (PandasStoreFile f = PandasStoreFile.open(exp.resolve("store.h5"), false)) {
            return f.table(table) == null ? -1 : f.table(table).nrows();
        }
    }

    @Test
    void thousandsOfFloatColumns_fitUpTo3000_areRefusedFrom5000_andTheStoreGoesOn() {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            exp = s.path();
            Table other = s.addTable("other", Schema.of("i", ColumnType.INT));
            for (int n : new int[] {1_000, 3_000}) {
                Schema schema = floats(n);
                s.addTable("wide" + n, schema).appendRow(row(schema, n));
            }
            for (int n : new int[] {5_000, 10_000}) {
                assertThatThrownBy(() -> s.addTable("wide" + n, floats(n)))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageStartingWith("table 'wide" + n + "' of store " + exp + " cannot be held by store.h5: "
                                + String.format("%,d", n) + " columns need a ")
                        .hasMessageContaining("-byte HDF5 object header message for the attribute COX_DATA, more than"
                                + " the 65,528 bytes HDF5 allows; at most its first ")
                        .hasMessageEndingWith(" columns fit (the longest column name has " + ("c" + (n - 1)).length()
                                + " characters)");
                assertThat(s.keys()).doesNotContain("wide" + n);
                other.appendRow(Map.of("i", n));
            }
            s.sync();
        }
        try (Store s = Store.open(dir, "exp")) {
            assertThat(s.table("other").nrows()).isEqualTo(2);
            assertThat(s.table("wide3000").df().getColumn("c2999").get(0)).isEqualTo(3000.0);
            s.table("other").appendRow(Map.of("i", 3));
        }
        assertThat(h5Rows(exp, "wide3000")).isEqualTo(1);
        assertThat(h5Rows(exp, "other")).isEqualTo(3);
    }

    @Test
    void theMessageSaysHowManyColumnsFit_andThatManyDo_andOneMoreDoesNot() {
        try (Store s = Store.open(dir, "exp")) {
            String message = "";
            try {
                s.addTable("wide", floats(5_000));
            } catch (IllegalArgumentException e) {
                message = e.getMessage();
            }
            int fit = Integer.parseInt(message.replaceAll(".*at most its first ([0-9,]+) columns fit.*", "$1")
                    .replace(",", ""));
            assertThat(fit).isBetween(3_900, 4_000);
            assertThatThrownBy(() -> s.addTable("wide", floats(fit + 1))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("at most its first " + String.format("%,d", fit) + " columns fit");
            Schema schema = floats(fit);
            s.addTable("wide", schema).appendRow(row(schema, 1));
            s.sync();
            assertThat(h5Rows(s.path(), "wide")).as("store.h5 holds them").isEqualTo(1);
        }
    }

    @Test
    void theLongestNameLetThrough_isHeldByStoreH5_andOneCharacterMoreIsRefused() {
        // the longest single column name whose COX_DATA message fits, found with the same computation
        int length = 65_000;
        while (FrameTableLimits.largestMessage("t", List.of(new FrameColumn("n".repeat(length + 1), ColumnKind.FLOAT,
                "float"))).bytes() <= FrameTableLimits.MAX_MESSAGE) {
            length++;
        }
        String longest = "n".repeat(length);
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("t", Schema.of(longest, ColumnType.FLOAT)).appendRow(Map.of(longest, 1.0));
            s.sync();
            assertThat(h5Rows(s.path(), "t")).as("store.h5 holds the longest name that is let through").isEqualTo(1);
            assertThatThrownBy(() -> s.addTable("u", Schema.of(longest + "n", ColumnType.FLOAT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1 columns need a 65,529-byte HDF5 object header message for the attribute"
                            + " COX_DATA, more than the 65,528 bytes HDF5 allows; not even its first column fits (the"
                            + " longest column name has " + String.format("%,d", length + 1) + " characters)");
        }
    }

    @Test
    void seventyThousandCharacterNames_areRefused() {
        try (Store s = Store.open(dir, "exp")) {
            assertThatThrownBy(() -> s.addTable("t", Schema.of("x".repeat(70_000), ColumnType.FLOAT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageEndingWith("not even its first column fits (the longest column name has 70,000"
                            + " characters)");
            assertThatThrownBy(() -> s.addTable("y".repeat(70_000), Schema.of("a", ColumnType.FLOAT)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("table '" + "y".repeat(40) + "...(70,000 characters)' of store " + s.path())
                    .hasMessageEndingWith("the table name alone (70,000 characters) is too long");
            s.addTable("t", Schema.of("a", ColumnType.FLOAT)).appendRow(Map.of("a", 1.0));
        }
        try (Store s = Store.open(dir, "exp")) {
            assertThat(s.keys()).containsExactly("t");
            assertThat(s.table("t").nrows()).isEqualTo(1);
        }
    }

    @Test
    void aTableStoreH5CannotTake_doesNotStopTheStore_andTheStoreOpensAgain() throws Exception {
        Schema wide = floats(5_000);
        Path exp;
        FrameTableLimits.enforced = false;
        try (LogCapture log = new LogCapture()) {
            Store s = Store.open(dir, "exp");
            exp = s.path();
            Table other = s.addTable("other", Schema.of("i", ColumnType.INT));
            Table t = s.addTable("wide", wide);
            t.appendRow(row(wide, 1));
            other.appendRow(Map.of("i", 0));
            for (int i = 1; i <= 3; i++) {
                t.appendRow(row(wide, i + 1));
                other.appendRow(Map.of("i", i));
            }
            assertThat(t.nrows()).isEqualTo(4);
            assertThat(t.df().getColumn("c4999").toList()).containsExactly(1.0, 2.0, 3.0, 4.0);
            assertThat(other.df().getColumn("i").toList()).containsExactly(0L, 1L, 2L, 3L);
            assertThatThrownBy(s::sync)
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store.h5 of " + exp + " does not hold every flushed row (the journal was"
                            + " forced to the device): it cannot take table 'wide' (")
                    .hasMessageEndingWith("; every row is in the journal " + exp.resolve(".cox.journal") + ", and store.h5"
                            + " is rebuilt from it when the store is next opened for writing");
            assertThatThrownBy(s::close)
                    .isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store.h5 of " + exp + " does not hold every flushed row: it cannot take"
                            + " table 'wide'");
            assertThat(log.text()).contains("store.h5 of " + exp + " cannot take table 'wide'");
        } finally {
            FrameTableLimits.enforced = true;
        }
        assertThat(h5Rows(exp, "other")).isEqualTo(4);
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("wide").nrows()).isEqualTo(4);
            assertThat(s.table("wide").df().getColumn("c0").toList()).containsExactly(1.0, 2.0, 3.0, 4.0);
            assertThat(s.table("other").df().height()).isEqualTo(4);
        }
        // the next writer opens it (store.h5 rebuilt, still without the table) and writes on
        Store s = Store.open(dir, "exp");
        s.table("other").appendRow(Map.of("i", 4));
        assertThat(s.table("wide").df().height()).isEqualTo(4);
        assertThatThrownBy(s::close).isInstanceOf(StoreException.class);
        try (Store r = Store.open(dir, "exp", Mode.READ)) {
            assertThat(r.table("other").df().height()).isEqualTo(5);
        }
    }

    @Test
    void aTableWhoseNameStoreH5HasForSomethingElse_doesNotStopTheStore() {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            s.addTable("other", Schema.of("i", ColumnType.INT)).appendRow(Map.of("i", 0));
            exp = s.path();
        }
        // another program keeps a group named "x" in store.h5 that is no frame table
        H5Damage.addGroup(exp.resolve("store.h5"), "x");
        Store s = Store.open(dir, "exp");
        Table x = s.addTable("x", Schema.of("v", ColumnType.STR));
        x.appendRow(Map.of("v", "a"));
        s.table("other").appendRow(Map.of("i", 1));
        assertThat(x.df().getColumn("v").toList()).containsExactly("a");
        x.appendRow(Map.of("v", "b"));
        assertThat(s.table("other").df().height()).isEqualTo(2);
        assertThatThrownBy(s::close).isInstanceOf(StoreException.class)
                .hasMessageContaining("it cannot take table 'x'");
        try (Store again = Store.open(dir, "exp")) {
            assertThat(again.table("x").df().getColumn("v").toList()).containsExactly("a", "b");
            assertThat(again.table("other").nrows()).isEqualTo(2);
        }
    }
}
