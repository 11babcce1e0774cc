package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.store.hdf5.PandasStoreFile;
import cox.store.journal.CellEncoding;
import cox.store.journal.RowJournal;
import cox.testing.H5Damage;
import cox.testing.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, findings 1 and 4: store.h5 changed beside an intact journal and checkpoint, field by
 * field through the HDF Group's library. Rows store.h5 has beyond the checkpoint are imported
 * into the journal only when their number is plausible; READ answers from the journal whenever
 * store.h5 disagrees with it, and APPEND rebuilds store.h5, setting the old one aside when it may
 * hold rows the journal does not.
 */
class StoreH5TrustTest {
    @TempDir
    Path dir;

    private static final Schema RESULTS = Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "note",
            ColumnType.STR, "obj", ColumnType.OBJECT);

    private Path exp;

    /** 10 results rows and 3 meta rows, closed: store.h5, checkpoint and journal complete. */
    private Path completeStore() {
        try (Store s = Store.open(dir, "exp")) {
            Table results = s.addTable("results", RESULTS);
            Table meta = s.addTable("meta", Schema.of("key", ColumnType.STR));
            for (int i = 0; i < 10; i++) {
                results.appendRow(Map.of("epoch", i, "loss", i * 0.5, "note", "n" + i, "obj", List.of(i)));
            }
            for (int i = 0; i < 3; i++) {
                meta.appendRow(Map.of("key", "k" + i));
            }
            exp = s.path();
        }
        return exp.resolve("store.h5");
    }

    private void assertIntact(Store s) {
        assertThat(new ArrayList<>(s.keys())).containsExactly("results", "meta");
        Table results = s.table("results");
        assertThat(results.schema().sameLayout(RESULTS)).isTrue();
        DataFrame df = results.df();
        assertThat(df.height()).isEqualTo(10);
        assertThat(results.nrows()).isEqualTo(10);
        for (int i = 0; i < 10; i++) {
            assertThat(df.getColumn("epoch").get(i)).isEqualTo((long) i);
            assertThat(df.getColumn("loss").get(i)).isEqualTo(i * 0.5);
            assertThat(df.getColumn("note").get(i)).isEqualTo("n" + i);
            assertThat(results.getObject((String) df.getColumn("obj").get(i))).isEqualTo(List.of((long) i));
        }
        assertThat(s.table("meta").df().getColumn("key").toList()).containsExactly("k0", "k1", "k2");
    }

    private void assertReadIntact() {
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertIntact(s);
        }
    }

    private void assertAppendIntact() {
        try (Store s = Store.open(dir, "exp")) {
            assertIntact(s);
        }
    }

    private static long h5Rows(Path h5, String table) {
        try (PandasStoreFile f = PandasStoreFile.open(h5, false)) {
            return f.table(table) == null ? -1 : f.table(table).nrows();
        }
    }

    @Test
    void extentClaiming53906Rows_isNotImported_readAnswersTheJournal_appendSetsAsideAndRebuilds() throws IOException {
        Path h5 = completeStore();
        long journal = Files.size(exp.resolve(".cox.journal"));
        H5Damage.setExtent(h5, "results", 53_906);
        try (LogCapture log = new LogCapture()) {
            assertReadIntact();
            // the engine refuses the file outright: the extent disagrees with PyTables' NROWS
            assertThat(log.text()).contains("cannot read " + h5 + " (cannot read HDF5 file " + h5 + " as a pandas store:"
                    + " table 'results' (dataset /results/table): attribute NROWS says 10 rows but the dataset's extent"
                    + " is 53906); answering from the journal " + exp.resolve(".cox.journal"));
            assertAppendIntact();
            assertThat(log.text()).contains(h5 + " may hold rows the journal " + exp.resolve(".cox.journal") + " does not; it is kept as "
                            + exp.resolve("store.h5.set-aside"));
        }
        assertThat(Files.size(exp.resolve(".cox.journal"))).as("nothing imported").isEqualTo(journal);
        assertThat(h5Rows(h5, "results")).isEqualTo(10);
        assertThat(Files.size(exp.resolve("store.h5.set-aside"))).as("set aside as it was").isPositive();
        assertAppendIntact();
        assertThat(exp.resolve("store.h5.set-aside-2")).doesNotExist();
    }

    @Test
    void extentClaiming487BillionRows_isRefusedAtOnce_andTheJournalDoesNotGrow() throws IOException {
        Path h5 = completeStore();
        long journal = Files.size(exp.resolve(".cox.journal"));
        H5Damage.setExtent(h5, "results", 487_260_684_291L);
        Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (LogCapture log = new LogCapture()) {
                assertReadIntact();
                assertAppendIntact();
                assertThat(log.text()).contains("attribute NROWS says 10 rows but the dataset's extent is"
                        + " 487260684291");
            }
        });
        assertThat(Files.size(exp.resolve(".cox.journal"))).isEqualTo(journal);
        assertThat(h5Rows(h5, "results")).isEqualTo(10);
    }

    @Test
    void rowsAnotherProgramAppended_plausibly_areReadAndImported() throws IOException {
        Path h5 = completeStore();
        try (PandasStoreFile f = PandasStoreFile.open(h5, true)) {
            List<Object[]> rows = new ArrayList<>();
            for (int i = 10; i < 15; i++) {
                rows.add(new Object[] {(long) i, i * 0.5, "n" + i, "x"});
            }
            f.table("results").append(rows);
        }
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("results").df().getColumn("epoch").toList())
                    .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L);
            assertThat(s.table("results").nrows()).isEqualTo(15);
        }
        long journal = Files.size(exp.resolve(".cox.journal"));
        try (Store s = Store.open(dir, "exp")) {
            assertThat(s.table("results").nrows()).isEqualTo(15);
            s.table("results").appendRow(Map.of("epoch", 15, "loss", 7.5, "note", "n15", "obj", List.of(15)));
        }
        assertThat(Files.size(exp.resolve(".cox.journal"))).isGreaterThan(journal);
        assertThat(exp.resolve("store.h5.set-aside")).doesNotExist();
        // the journal now has them: store.h5 gone, they are still there
        Files.delete(h5);
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("results").df().getColumn("epoch").toList()).hasSize(16).endsWith(13L, 14L, 15L);
        }
    }

    @Test
    void rowsAppendedBesideAJournalTail_cannotBeOrdered_soStoreH5IsSetAsideAndRebuilt() throws IOException {
        Path h5 = completeStore();
        // a writer killed before its flusher ran: one more row in the journal, past the checkpoint
        Path journal = exp.resolve(".cox.journal");
        try (RowJournal j = RowJournal.openForAppend(journal, false, Files.size(journal))) {
            CellEncoding[] enc = {CellEncoding.INT64, CellEncoding.FLOAT64, CellEncoding.TEXT, CellEncoding.TEXT};
            j.append(RowJournal.encodeRow(null, 0, enc, new Object[] {10L, 5.0, "n10", "x"}));
        }
        // and another program appended two rows to store.h5 meanwhile
        try (PandasStoreFile f = PandasStoreFile.open(h5, true)) {
            f.table("results").append(List.of(new Object[] {100L, 0.0, "p", "x"}, new Object[] {101L, 0.0, "q", "x"}));
        }
        try (LogCapture log = new LogCapture()) {
            try (Store s = Store.open(dir, "exp", Mode.READ)) {
                assertThat(s.table("results").df().getColumn("epoch").toList()).hasSize(11).endsWith(9L, 10L);
            }
            assertThat(log.text()).contains("which are not read: the journal also has rows of it past the checkpoint");
            try (Store s = Store.open(dir, "exp")) {
                assertThat(s.table("results").df().getColumn("epoch").toList()).hasSize(11).endsWith(9L, 10L);
            }
            assertThat(log.text()).contains("2 rows of table 'results' in store.h5 are past the 10 the checkpoint records,"
                    + " but the journal also has 1 rows of it past the checkpoint: which came first cannot be told");
        }
        assertThat(h5Rows(exp.resolve("store.h5.set-aside"), "results")).isEqualTo(12);
        assertThat(h5Rows(h5, "results")).isEqualTo(11);
    }

    @Test
    void renamedTable_readAnswersFromTheJournal_appendRebuilds() throws IOException {
        Path h5 = completeStore();
        H5Damage.renameTable(h5, "results", "resulte");
        try (LogCapture log = new LogCapture()) {
            assertReadIntact();
            assertThat(log.text()).contains("cannot read " + h5 + " (cannot read HDF5 file " + h5 + " as a pandas store:"
                    + " table 'resulte': attribute COX_DATA names the table 'results'); answering from the journal "
                    + exp.resolve(".cox.journal"));
        }
        assertAppendIntact();
        assertThat(h5Rows(h5, "resulte")).isEqualTo(-1);
        assertThat(h5Rows(h5, "results")).isEqualTo(10);
    }

    @Test
    void droppedTable_readAnswersFromTheJournal_appendRebuilds() throws IOException {
        Path h5 = completeStore();
        H5Damage.dropTable(h5, "meta");
        assertReadIntact();
        assertAppendIntact();
        assertThat(h5Rows(h5, "meta")).isEqualTo(3);
        assertThat(exp.resolve("store.h5.set-aside")).doesNotExist();
    }

    @Test
    void objectColumnTurnedIntoStrInCoxData_theJournalWins() throws IOException {
        Path h5 = completeStore();
        H5Damage.setCoxData(h5, "results", Map.of("epoch", "int", "loss", "float", "note", "str", "obj", "str"));
        try (LogCapture log = new LogCapture()) {
            assertReadIntact();
            assertThat(log.text()).contains("(table 'results' has the columns {epoch: int, loss: float, note: str, obj: str}"
                    + " where the journal has {epoch: int, loss: float, note: str, obj: __object__})");
        }
        assertAppendIntact();
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("results").schema().get("obj")).isEqualTo(ColumnType.OBJECT);
        }
    }

    @Test
    void aValueChangedInStoreH5_isAnsweredFromTheJournal_andTheNextWriterRebuilds() throws IOException {
        Path h5 = completeStore();
        H5Damage.flipRowByte(h5, "results", 3, 8, 0x40); // the low byte of row 3's first int64 column: epoch
        try (LogCapture log = new LogCapture()) {
            assertReadIntact();
            assertThat(log.text()).contains("table 'results' in " + h5 + " does not hold the rows the checkpoint "
                    + exp.resolve(".cox.checkpoint") + " records (row digest); answering from the journal");
            assertAppendIntact();
            assertThat(log.text()).contains("table 'results' in " + h5 + " is not as it was written: its rows differ from"
                    + " those written to it (row digest); answering from the journal");
        }
        assertAppendIntact(); // rebuilds: that writer found store.h5 not as written
        try (PandasStoreFile f = PandasStoreFile.open(h5, false)) {
            assertThat((long[]) f.table("results").read(0, 10)[0]).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }
}
