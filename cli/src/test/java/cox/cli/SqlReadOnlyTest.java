package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 8: {@code cox sql} ran unrestricted DuckDB ({@code COPY ... TO} overwrote a
 * run's {@code store.h5} with CSV, {@code ATTACH} created files, {@code read_text} read any file,
 * {@code INSTALL} reached the network). It is read-only unless {@code --allow-writes}: each such
 * statement is refused with exit status 1 (as any SQL error) and a message saying how to lift it,
 * and no file is changed or made.
 */
class SqlReadOnlyTest {
    private static final String HINT = "(cox sql reads no file and writes none but its output; --allow-writes lifts this)";

    @TempDir
    static Path work;
    static Path runs;
    static Path storeH5;
    static byte[] storeBytes;

    @BeforeAll
    static void collection() throws IOException {
        runs = Files.createDirectories(work.resolve("runs"));
        SweepRuns.COMMAND_LINE.writeRun(runs, "run-00", 0);
        storeH5 = runs.resolve("run-00").resolve("store.h5");
        storeBytes = Files.readAllBytes(storeH5);
    }

    private static void assertRefused(CliProcess.Result r, String query) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(2); // a statement refused is the query's fault: a usage error
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).as(r.toString()).startsWith("cox sql: ").contains(HINT)
                .endsWith("(query: " + query + ")\nTry 'cox sql --help' for more information.\n").hasLineCount(2);
    }

    @Test
    void copyTo_aRunsStoreH5_isRefused_andTheFileIsUnchanged() throws IOException {
        String query = "COPY results TO '" + storeH5 + "' (FORMAT csv)";
        CliProcess.Result r = cox(work, "sql", "runs", query);
        assertRefused(r, query);
        assertThat(r.err()).contains("Permission Error");
        assertThat(Files.readAllBytes(storeH5)).isEqualTo(storeBytes);
    }

    @Test
    void attach_aNewFile_isRefused_andNoFileIsMade() {
        Path db = runs.resolve("new.duckdb");
        String query = "ATTACH '" + db + "' AS other";
        assertRefused(cox(work, "sql", "runs", query), query);
        assertThat(db).doesNotExist();
        assertThat(runs.resolve("new.duckdb.wal")).doesNotExist();
    }

    @Test
    void readText_ofAFileOutside_isRefused() throws IOException {
        Path secret = Files.writeString(work.resolve("secret.txt"), "not for cox sql");
        String query = "SELECT content FROM read_text('" + secret + "')";
        CliProcess.Result r = cox(work, "sql", "runs", query);
        assertRefused(r, query);
        assertThat(r.err()).doesNotContain("not for cox sql");
        String csv = "SELECT * FROM read_csv('" + secret + "')";
        assertRefused(cox(work, "sql", "runs", csv), csv);
    }

    @Test
    void installAndLoad_areRefused_beforeAnyDownload() {
        String install = "INSTALL httpfs";
        assertRefused(cox(work, "sql", "runs", install), install);
        String load = "LOAD httpfs";
        assertRefused(cox(work, "sql", "runs", load), load);
    }

    @Test
    void theRestrictions_cannotBeLiftedFromSql() {
        String query = "SET enable_external_access = true";
        CliProcess.Result r = cox(work, "sql", "runs", query);
        assertRefused(r, query);
        assertThat(r.err()).contains("the configuration has been locked");
    }

    @Test
    void tablesMadeInMemory_areAllowed_andTouchNoFile() throws IOException {
        CliProcess.Result r = cox(work, "sql", "runs",
                "CREATE TABLE scratch AS SELECT epoch FROM results; INSERT INTO scratch VALUES (99); "
                        + "SELECT count(*) AS n FROM scratch", "--format", "csv");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo("n\n4\n");
        assertThat(Files.readAllBytes(storeH5)).isEqualTo(storeBytes);
    }

    @Test
    void allowWrites_letsCopyToWrite() throws IOException {
        Path out = work.resolve("results.csv");
        CliProcess.Result r = cox(work, "sql", "runs", "COPY results TO '" + out + "' (FORMAT csv)", "--allow-writes");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readAllLines(out)).hasSize(4).first().asString().startsWith("epoch,");
    }
}
