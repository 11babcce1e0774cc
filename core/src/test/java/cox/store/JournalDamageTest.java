package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreRecoveryException;
import cox.testing.JournalRecords;
import cox.testing.JournalRecords.Record;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 2: a damaged length in the journal of a journal-only store. A record whose
 * claimed length runs past the end of the file is a torn tail only if nothing whole follows it;
 * otherwise READ and APPEND refuse the store, naming journal and offset, and APPEND cuts nothing.
 * The journals are damaged by field: the records are parsed and one record's length is changed.
 */
class JournalDamageTest {
    @TempDir
    Path dir;

    /** The store of the finding: 10 {@code results} rows and 3 {@code meta} rows, journal only. */
    private Path journalOnlyStore() throws IOException {
        Path exp;
        try (Store s = Store.open(dir, "exp")) {
            Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
            Table meta = s.addTable("meta", Schema.of("key", ColumnType.STR, "value", ColumnType.STR));
            for (int i = 0; i < 10; i++) {
                results.appendRow(Map.of("epoch", i, "loss", 1.0 / (i + 1)));
            }
            for (int i = 0; i < 3; i++) {
                meta.appendRow(Map.of("key", "k" + i, "value", "v" + i));
            }
            exp = s.path();
        }
        Files.delete(exp.resolve("store.h5"));
        Files.delete(exp.resolve(".cox.checkpoint"));
        return exp;
    }

    @Test
    void topByteOfAMiddleLengthFlipped_isRefusedInReadAndAppend_andAppendCutsNothing() throws IOException {
        Path exp = journalOnlyStore();
        Path journal = exp.resolve(".cox.journal");
        List<Record> records = JournalRecords.parse(journal);
        assertThat(records).hasSize(2 + 10 + 3);
        Record tenth = JournalRecords.rows(journal, 0).get(9); // the last results row: the meta rows follow it
        long claimed = tenth.length() | 0xFF000000L;
        JournalRecords.setLength(journal, tenth, claimed);
        byte[] damaged = Files.readAllBytes(journal);
        String why = "journal " + journal + " is damaged at offset " + tenth.offset() + ": the record there claims "
                + claimed + " bytes, more than the " + (damaged.length - tenth.payload()) + " bytes left in the file, but"
                + " a whole record follows at offset " + tenth.end() + ", so it is not a torn last record";

        assertThatThrownBy(() -> Store.open(dir, "exp", Mode.READ).close())
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("cannot read store " + exp + ": " + why);
        assertThatThrownBy(() -> Store.open(dir, "exp").close())
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("cannot open store " + exp + " for writing (its journal is left as it is: no record is cut"
                        + " off a damaged journal): " + why);
        assertThat(Files.readAllBytes(journal)).isEqualTo(damaged);
        assertThat(exp.resolve("store.h5")).doesNotExist();
    }

    @Test
    void everyMiddleLengthWithItsTopByteFlipped_isRefused_andTheLastOneIsATornTail() throws IOException {
        Path exp = journalOnlyStore();
        Path journal = exp.resolve(".cox.journal");
        byte[] intact = Files.readAllBytes(journal);
        List<Record> records = JournalRecords.parse(journal);
        for (int k = 0; k < records.size(); k++) {
            Files.write(journal, intact);
            Record r = records.get(k);
            JournalRecords.setLength(journal, r, r.length() ^ 0xFF000000L);
            byte[] damaged = Files.readAllBytes(journal);
            if (k < records.size() - 1) {
                assertThatThrownBy(() -> Store.open(dir, "exp", Mode.READ).close()).as("record %d", k)
                        .isInstanceOf(StoreRecoveryException.class)
                        .hasMessageContaining("is damaged at offset " + r.offset() + ": the record there claims");
                assertThatThrownBy(() -> Store.open(dir, "exp").close()).as("record %d", k)
                        .isInstanceOf(StoreRecoveryException.class)
                        .hasMessageContaining("is damaged at offset " + r.offset() + ": the record there claims");
                assertThat(Files.readAllBytes(journal)).as("journal after APPEND, record %d", k).isEqualTo(damaged);
            } else {
                try (Store s = Store.open(dir, "exp", Mode.READ)) {
                    assertThat(s.table("results").df().height()).isEqualTo(10);
                    assertThat(s.table("meta").df().height()).isEqualTo(2); // the torn last row is not a row
                }
                try (Store s = Store.open(dir, "exp")) {
                    assertThat(s.table("meta").nrows()).isEqualTo(2);
                }
                assertThat(Files.size(journal)).as("APPEND cuts the torn record, and only it").isEqualTo(r.offset());
            }
        }
    }

    @Test
    void theFindingInAJvmOf256Megabytes_refusesQuicklyWithoutRunningOutOfMemory() throws Exception {
        Path exp = journalOnlyStore();
        Path journal = exp.resolve(".cox.journal");
        Record tenth = JournalRecords.rows(journal, 0).get(9);
        JournalRecords.setLength(journal, tenth, tenth.length() | 0xFF000000L);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                OpenStore.class.getName(), dir.toString(), "exp")
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("the child JVM finished").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("READ: cox.exceptions.StoreRecoveryException: cannot read store " + exp)
                .contains("APPEND: cox.exceptions.StoreRecoveryException: cannot open store " + exp)
                .doesNotContain("OutOfMemoryError");
    }

    /** Opens a store in READ and then APPEND mode and prints what happened; for a child JVM with a small heap. */
    public static final class OpenStore {
        private OpenStore() {
        }

        public static void main(String[] args) {
            for (Mode mode : List.of(Mode.READ, Mode.APPEND)) {
                try (Store s = Store.open(Path.of(args[0]), args[1], mode)) {
                    System.out.println(mode + ": opened, tables " + s.keys());
                } catch (Throwable t) {
                    System.out.println(mode + ": " + t);
                }
            }
        }
    }
}
