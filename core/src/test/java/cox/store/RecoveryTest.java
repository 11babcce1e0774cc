package cox.store;

import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.testing.JournalRecords;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** store.h5, journal and checkpoint damaged or missing in the ways a crash or a user can leave them. */
class RecoveryTest {
    @TempDir
    Path dir;

    private Path writeRows(int n) {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("i", ColumnType.INT, "s", ColumnType.STR));
            for (int i = 0; i < n; i++) {
                t.appendRow(Map.of("i", i, "s", "row " + i));
            }
            return s.path();
        }
    }

    private long rowsAfterReopen() {
        try (Store s = Store.open(dir, "exp")) {
            return s.table("t").df().height();
        }
    }

    @Test
    void missingStoreH5_isRebuiltFromTheJournal() throws Exception {
        Path exp = writeRows(100);
        Files.delete(exp.resolve("store.h5"));
        assertThat(rowsAfterReopen()).isEqualTo(100);
        assertThat(exp.resolve("store.h5")).isRegularFile();
    }

    @Test
    void garbageStoreH5_isRebuiltFromTheJournal() throws Exception {
        Path exp = writeRows(100);
        Files.write(exp.resolve("store.h5"), new byte[] {1, 2, 3, 4});
        assertThat(rowsAfterReopen()).isEqualTo(100);
    }

    @Test
    void readMode_overGarbageStoreH5_answersFromTheJournal_andWritesNothing() throws Exception {
        Path exp = writeRows(10);
        Files.write(exp.resolve("store.h5"), new byte[] {1, 2, 3, 4});
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("t").df().getColumn("s").get(9)).isEqualTo("row 9");
        }
        assertThat(Files.size(exp.resolve("store.h5"))).isEqualTo(4);
    }

    @Test
    void missingCheckpoint_rebuilds() throws Exception {
        Path exp = writeRows(50);
        Files.delete(exp.resolve(".cox.checkpoint"));
        assertThat(rowsAfterReopen()).isEqualTo(50);
    }

    @Test
    void tornLastJournalRecord_isCutOff() throws Exception {
        Path exp = writeRows(20);
        Path journal = exp.resolve(".cox.journal");
        long size = Files.size(journal);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3); // the last row's record loses its tail, as if killed mid-write
        }
        // as a writer killed before its flusher ran leaves it: neither store.h5 nor a checkpoint
        Files.delete(exp.resolve("store.h5"));
        Files.delete(exp.resolve(".cox.checkpoint"));
        assertThat(rowsAfterReopen()).isEqualTo(19);
        try (Store s = Store.open(dir, "exp")) {
            s.table("t").appendRow(Map.of("i", 19, "s", "again"));
        }
        assertThat(rowsAfterReopen()).isEqualTo(20);
    }

    @Test
    void journalShorterThanTheCheckpointSays_isRefused_withWhatToDo() throws Exception {
        Path exp = writeRows(20);
        Path journal = exp.resolve(".cox.journal");
        JournalRecords.Record last = JournalRecords.rows(journal, 0).get(19);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(last.offset() + 5);
        }
        assertThatThrownBy(() -> Store.open(dir, "exp"))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessage("cannot open store " + exp + " for writing (its journal is left as it is: no record is cut off"
                        + " a damaged journal): journal " + journal + " is " + (last.offset() + 5) + " bytes long, but the"
                        + " checkpoint " + exp.resolve(".cox.checkpoint") + " records that store.h5 holds its records up to"
                        + " offset " + last.end() + ": the journal has lost records (if that is known and accepted, delete"
                        + " the checkpoint to open the store with the journal's records alone)");
        assertThat(Files.size(journal)).isEqualTo(last.offset() + 5);
        // store.h5 still holds every row: READ answers them
        try (Store s = Store.open(dir, "exp", Mode.READ)) {
            assertThat(s.table("t").df().height()).isEqualTo(20);
        }
    }

    @Test
    void damagedJournalRecordInTheMiddle_isAnErrorNamingFileAndOffset() throws Exception {
        Path exp = writeRows(20);
        Path journal = exp.resolve(".cox.journal");
        JournalRecords.Record fifth = JournalRecords.rows(journal, 0).get(4);
        JournalRecords.flip(journal, fifth.payload() + 5, 0x40);
        byte[] damaged = Files.readAllBytes(journal);
        Files.delete(exp.resolve(".cox.checkpoint"));
        assertThatThrownBy(() -> Store.open(dir, "exp"))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageMatching("cannot open store .*exp for writing \\(its journal is left as it is: no record is cut"
                        + " off a damaged journal\\): journal .*\\.cox\\.journal is damaged at offset " + fifth.offset()
                        + ": crc32c actual 0x[0-9a-f]{8} != expected 0x[0-9a-f]{8}; a whole record follows at offset "
                        + fifth.end() + ", so it is not a torn last record");
        assertThat(Files.readAllBytes(journal)).isEqualTo(damaged);
    }

    @Test
    void damagedStoreH5_withoutJournal_namesFileAndWhatWasTried() throws Exception {
        Path exp = dir.resolve("py");
        Files.createDirectories(exp);
        Files.write(exp.resolve("store.h5"), "not an HDF5 file".getBytes());
        assertThatThrownBy(() -> Store.open(dir, "py"))
                .isInstanceOf(StoreRecoveryException.class)
                .hasMessageStartingWith("cannot open " + exp.toAbsolutePath().resolve("store.h5") + " and there is no journal "
                        + exp.toAbsolutePath().resolve(".cox.journal") + " to rebuild it from: cannot read HDF5 file");
        assertThat(exp.resolve(".cox.journal")).doesNotExist();
        assertThatThrownBy(() -> Store.open(dir, "py", Mode.READ))
                .isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("cannot read HDF5 file " + exp.toAbsolutePath().resolve("store.h5"));
    }

    @Test
    void flushedRows_reachStoreH5_within200ms_withoutClose() throws Exception {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("i", ColumnType.INT));
            t.appendRow(Map.of("i", 1));
            long deadline = System.nanoTime() + 5_000_000_000L;
            long inH5 = 0;
            while (inH5 == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
                try (var f = cox.store.hdf5.PandasStoreFile.open(s.path().resolve("store.h5"), false)) {
                    inH5 = f.table("t") == null ? 0 : f.table("t").nrows();
                }
            }
            assertThat(inH5).isEqualTo(1);
        }
    }
}
