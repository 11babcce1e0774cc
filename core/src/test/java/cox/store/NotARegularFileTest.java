package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.exceptions.CoxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 7, in the store layer: a FIFO where a store's file should be blocked every
 * reader that opened it (an open of a FIFO for reading waits for a writer). Each file is checked
 * to be a regular file before it is opened. The FIFOs are real ({@code mkfifo}); the timeouts
 * only guard against a hang.
 */
class NotARegularFileTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Path exp;
    String uid;

    @BeforeEach
    void store() {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("t", Schema.of("x", ColumnType.INT, "pick", Store.PICKLE));
            t.appendRow(Map.of("x", 1, "pick", Map.of("epochs", 90L)));
            uid = (String) t.df().getColumn("pick").get(0);
            exp = s.path();
        }
    }

    @Test
    void aFifoCheckpoint_isIgnoredAsDamaged() throws Exception {
        fifo(exp.resolve(".cox.checkpoint"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                assertThat(r.table("t").nrows()).isEqualTo(1);
            }
        });
    }

    @Test
    void aFifoJournal_isANamedError() throws Exception {
        fifo(exp.resolve(".cox.journal"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                r.table("t").nrows(); // store.h5 may answer; the journal is never opened
            } catch (CoxException e) {
                assertThat(e.getMessage()).contains(exp.toString());
            }
            assertThatThrownBy(() -> Store.open(dir, "exp").close()).isInstanceOf(CoxException.class)
                    .hasMessageContaining(exp.toString());
        });
    }

    @Test
    void aFifoStoreH5_isNotOpened_theJournalAnswers() throws Exception {
        fifo(exp.resolve("store.h5"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                assertThat(r.table("t").nrows()).isEqualTo(1);
            }
            try (Store w = Store.open(dir, "exp")) { // rebuilt from the journal beside the FIFO set aside
                assertThat(w.table("t").nrows()).isEqualTo(1);
            }
        });
        assertThat(Files.isRegularFile(exp.resolve("store.h5"))).isTrue();
    }

    @Test
    void aFifoStoreH5_withoutAJournal_isANamedError() throws Exception {
        Files.delete(exp.resolve(".cox.journal"));
        Files.delete(exp.resolve(".cox.checkpoint"));
        fifo(exp.resolve("store.h5"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThatThrownBy(() -> Store.open(dir, "exp", Mode.READ).close()).isInstanceOf(CoxException.class)
                    .hasMessageContaining(exp.toString());
        });
    }

    @Test
    void aFifoObjectFile_isANamedError() throws Exception {
        fifo(exp.resolve(".table_objects").resolve(uid));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store r = Store.open(dir, "exp", Mode.READ)) {
                assertThatThrownBy(() -> r.table("t").getPickle(uid)).isInstanceOf(CoxException.class)
                        .hasMessageContaining(exp.resolve(".table_objects").resolve(uid) + " is not a regular file");
            }
        });
    }

    /** Replaces {@code file} with a FIFO of the same name. */
    /**
     * Issue 20: the run summary is read by every listing (run index) and by a writer opening the
     * store; a FIFO there, or a link to a device that never ends (/dev/zero), is no summary.
     */
    @Test
    void aFifoOrDeviceRunSummary_isIgnored_andTheStoreOpensForWriting() throws Exception {
        Path summary = exp.resolve(RunSummary.FILE_NAME);
        fifo(summary);
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            assertThat(RunSummary.written(exp)).isNull();
            try (Store s = Store.open(dir, "exp")) {
                s.table("t").appendRow(Map.of("x", 2, "pick", Map.of("epochs", 91L)));
            }
        });
        assertThat(Files.isRegularFile(summary)).as("the writer replaced it").isTrue();
        Path zero = Path.of("/dev/zero");
        assumeTrue(Files.isReadable(zero), "/dev/zero is needed");
        Files.delete(summary);
        Files.createSymbolicLink(summary, zero);
        assertTimeoutPreemptively(HANG_GUARD, () -> assertThat(RunSummary.written(exp)).isNull());
    }

    @Test
    void aFifoWhereTheRunSummaryIsWrittenFirst_doesNotBlockTheWriter() throws Exception {
        fifo(exp.resolve(RunSummary.FILE_NAME + ".tmp"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store s = Store.open(dir, "exp")) {
                s.table("t").appendRow(Map.of("x", 2, "pick", Map.of("epochs", 91L)));
            }
        });
        assertThat(RunSummary.written(exp)).isNotNull();
    }

    @Test
    void aFifoWhereTheCheckpointIsWrittenFirst_doesNotBlockTheWriter() throws Exception {
        fifo(exp.resolve(".cox.checkpoint.tmp"));
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try (Store s = Store.open(dir, "exp")) {
                s.table("t").appendRow(Map.of("x", 2, "pick", Map.of("epochs", 91L)));
            }
        });
        assertThat(Store.isClosedCleanly(exp)).as("the closed checkpoint was written").isTrue();
    }

    static void fifo(Path file) throws Exception {
        Files.deleteIfExists(file);
        Process p = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
        assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo is needed");
        assertThat(Files.isRegularFile(file)).isFalse();
        assertThat(Files.exists(file)).isTrue();
    }
}
