package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreRecoveryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9, finding 9, with a disk that really fills up: a tmpfs of a few megabytes (mounting one
 * needs root, as in CI; elsewhere the test reports itself skipped). Rows are refused once the
 * journal cannot take them, every acknowledged row survives, a failed rebuild leaves no
 * {@code .store.h5.rebuild} and no {@code .cox.checkpoint.tmp} behind, and {@code close()}
 * reports the store's own error first, the TensorBoard writer's as a suppressed one.
 */
class DiskFullIT {
    @TempDir
    Path dir;

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) ? p.exitValue() : -1;
    }

    private static List<String> leftovers(Path exp) throws IOException {
        try (Stream<Path> files = Files.list(exp)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.equals(".store.h5.rebuild") || n.startsWith(".cox.checkpoint.tmp")
                            || n.equals(".cox.journal.new"))
                    .toList();
        }
    }

    @Test
    void aFullDisk_refusesRowsButLosesNone_leavesNoHalfFiles_andCloseReportsTheStoreFirst() throws Exception {
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt.toString()) == 0,
                "mounting a 3 MB tmpfs needs root");
        try {
            Store s = Store.open(mnt, "exp");
            Path exp = s.path();
            Table t = s.addTable("rows", Schema.of("seq", ColumnType.INT, "text", ColumnType.STR));
            CoxException refused = null;
            long acknowledged = 0;
            for (long i = 0; refused == null && i < 1_000_000; i++) {
                try {
                    t.appendRow(Map.of("seq", i, "text", "row " + i + " " + "x".repeat(200)));
                    acknowledged++;
                    if (i % 100 == 0) {
                        s.tensorboard().addScalar("rows/seq", i, i);
                    }
                } catch (CoxIOException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("a row is refused once the disk is full").isNotNull();
            assertThat(refused.getMessage()).contains("No space left on device");
            // the rows acknowledged so far are all there, disk full or not
            assertThat(t.nrows()).isEqualTo(acknowledged);
            Throwable closed = catchThrowable(s::close);
            assertThat(closed).as("close() reports that store.h5 could not take every row").isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("store.h5 of " + exp + " does not hold every flushed row");
            // what else failed to close (store.h5 itself, the TensorBoard writer) comes after, suppressed
            for (Throwable suppressed : closed.getSuppressed()) {
                assertThat(suppressed).isInstanceOf(CoxException.class).hasMessageContaining(exp.toString());
            }
            assertThat(leftovers(exp)).isEmpty();

            // opening it again while the disk is still full: bringing store.h5 up to the journal (or
            // rebuilding it) fails, naming the files, and leaves nothing behind
            Throwable reopened = catchThrowable(() -> Store.open(mnt, "exp").close());
            assertThat(reopened).isInstanceOf(StoreRecoveryException.class)
                    .hasMessageContaining(exp.resolve("store.h5").toString())
                    .hasMessageContaining("from the journal " + exp.resolve(".cox.journal"))
                    .hasMessageContaining("No space left on device");
            assertThat(leftovers(exp)).isEmpty();

            // with room again, every acknowledged row is there, once
            assertThat(run("mount", "-o", "remount,size=64m", mnt.toString())).isZero();
            try (Store again = Store.open(mnt, "exp")) {
                List<Object> seq = new ArrayList<>(again.table("rows").df().getColumn("seq").toList());
                assertThat(seq).hasSize((int) acknowledged);
                for (int i = 0; i < seq.size(); i++) {
                    assertThat(seq.get(i)).isEqualTo((long) i);
                }
                again.table("rows").appendRow(Map.of("seq", acknowledged, "text", "after"));
            }
            try (Store read = Store.open(mnt, "exp", Mode.READ)) {
                assertThat(read.table("rows").nrows()).isEqualTo(acknowledged + 1);
            }
            assertThat(leftovers(exp)).isEmpty();
        } finally {
            run("umount", mnt.toString());
        }
    }
}
