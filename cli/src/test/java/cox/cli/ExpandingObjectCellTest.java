package cox.cli;

import static cox.cli.CliProcess.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.testing.Interop;
import cox.testing.NestedPickles;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 4: an OBJECT cell of 791 characters, the pickle of 25 nested levels of
 * {@code [a] * 10} (shared references: plain data the allow-list accepts), expands to
 * 10<sup>25</sup> elements; {@code cox df}, {@code cox export} and {@code cox sql "select lr from
 * metadata"} ran out of memory, with or without {@code --skip-errors}. Now the run is a read error
 * naming the store, table, column, row and limit (exit status 1), or is skipped and named with
 * {@code --skip-errors}; each command runs in its own JVM.
 *
 * <p>The store is one Python cox would leave: {@code store.h5} alone, no journal. It is made
 * without Python: cox4j writes a run whose cell holds a placeholder pickle, its journal files are
 * removed, and the placeholder's text in {@code store.h5} (found by its content) is overwritten
 * with the hostile pickle's, padded after its STOP to the same length. {@link #pythonWrittenStore}
 * makes the same with pandas and Python's own pickle.
 */
class ExpandingObjectCellTest {
    static final String LIMIT = "the value expands to more than 1,000,000 elements";

    @TempDir
    static Path work;
    static Path runs;

    @BeforeAll
    static void collection() throws IOException {
        runs = Files.createDirectories(work.resolve("runs"));
        SweepRuns.COMMAND_LINE.writeRun(runs, "run-00", 0);
        SweepRuns.COMMAND_LINE.writeRun(runs, "run-01", 1);
        journalLessStoreWithObjectCell(runs, "run-bad", NestedPickles.nestedSharedLists(25, 10));
    }

    /**
     * A run whose metadata row (lr 0.5, optimizer sgd) has {@code pickle} in its OBJECT column
     * {@code config}, in {@code store.h5} alone, as Python cox leaves a store.
     */
    static void journalLessStoreWithObjectCell(Path dir, String expId, byte[] pickle) throws IOException {
        String placeholderValue = "x".repeat(pickle.length + 100);
        try (Store s = Store.open(dir, expId)) {
            s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "config", ColumnType.OBJECT))
                    .appendRow(Map.of("lr", 0.5, "optimizer", "sgd", "config", placeholderValue));
        }
        String placeholder;
        try (Store s = Store.open(dir, expId, Mode.READ)) {
            placeholder = (String) s.table("metadata").df().getColumn("config").get(0);
        }
        Path folder = dir.resolve(expId);
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.toList()) {
                if (f.getFileName().toString().startsWith(".cox.")) {
                    Files.delete(f);
                }
            }
        }
        byte[] placeholderPickle = Base64.getMimeDecoder().decode(placeholder);
        byte[] padded = Arrays.copyOf(pickle, placeholderPickle.length); // Python ignores bytes after STOP, as cox4j does
        String hostile = Base64.getMimeEncoder(76, new byte[] {'\n'}).encodeToString(padded) + "\n";
        assertThat(hostile).hasSameSizeAs(placeholder);
        Path h5 = folder.resolve("store.h5");
        byte[] file = Files.readAllBytes(h5);
        byte[] find = placeholder.getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(file, find, 0);
        assertThat(at).as("the placeholder's text in store.h5").isNotNegative();
        assertThat(indexOf(file, find, at + 1)).as("only once").isNegative();
        System.arraycopy(hostile.getBytes(StandardCharsets.US_ASCII), 0, file, at, find.length);
        Files.write(h5, file);
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void assertNamedError(CliProcess.Result r, String command, Path dir) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).startsWith(command + ": ").hasLineCount(1)
                .contains("experiment run-bad in " + dir)
                .contains("table 'metadata', column 'config', row 0: the OBJECT cell is too large to show or convert: " + LIMIT)
                .doesNotContain("OutOfMemoryError");
    }

    @Test
    void coxDf_failsNamingTheCell_orSkipsTheRun() {
        assertNamedError(cox(work, "df", "runs", "metadata"), "cox df", runs);
        CliProcess.Result skipped = cox(work, "df", "runs", "metadata", "--skip-errors", "--format", "csv");
        assertThat(skipped.exit()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).contains("run-00").contains("run-01").doesNotContain("run-bad");
        assertThat(skipped.err()).contains("run-bad").contains(LIMIT);
    }

    @Test
    void coxExport_failsNamingTheCell_orSkipsTheRun() throws IOException {
        assertNamedError(cox(work, "export", "runs", "-o", "out-failed", "--format", "jsonl"), "cox export", runs);
        CliProcess.Result skipped = cox(work, "export", "runs", "-o", "out", "--format", "jsonl", "--skip-errors");
        assertThat(skipped.exit()).as(skipped.toString()).isZero();
        assertThat(skipped.err()).contains("cox export: skipped experiment run-bad: ").contains(LIMIT);
        assertThat(Files.readAllLines(work.resolve("out").resolve("metadata.jsonl"))).hasSize(2);
    }

    @Test
    void coxSql_selectingAnotherColumn_failsNamingTheCell_orSkipsTheRun_orKeepsItSerialized() {
        String query = "SELECT lr FROM metadata ORDER BY lr";
        assertNamedError(cox(work, "sql", "runs", query), "cox sql", runs);
        CliProcess.Result skipped = cox(work, "sql", "runs", query, "--skip-errors", "--format", "csv");
        assertThat(skipped.exit()).as(skipped.toString()).isZero();
        assertThat(skipped.out()).isEqualTo("lr\n0.05\n0.1\n");
        assertThat(skipped.err()).startsWith("cox sql: skipped experiment run-bad: ").contains(LIMIT).hasLineCount(1);
        CliProcess.Result kept = cox(work, "sql", "runs", query, "--keep-serialized", "config", "--format", "csv");
        assertThat(kept.exit()).as(kept.toString()).isZero();
        assertThat(kept.out()).isEqualTo("lr\n0.05\n0.1\n0.5\n");
    }

    /** The same store made by pandas, with the pickle real Python writes. */
    @Test
    @Interop
    void pythonWrittenStore_isRefusedTheSameWay() throws IOException, InterruptedException {
        Path pyRuns = Files.createDirectories(work.resolve("py-runs"));
        SweepRuns.COMMAND_LINE.writeRun(pyRuns, "run-00", 0);
        Path script = Path.of("src/test/resources/python/expanding_object_cell.py").toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), pyRuns.resolve("py-bad").toString()));
        CliProcess.Result py = CliProcess.run(work, Map.of(), cmd);
        assertThat(py.exit()).as(py.toString()).isZero();
        assertThat(Base64.getMimeDecoder().decode(py.out().strip())).as("Python's pickle")
                .isEqualTo(NestedPickles.nestedSharedLists(25, 10));
        CliProcess.Result r = cox(work, "sql", "py-runs", "SELECT lr FROM metadata");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("experiment py-bad in " + pyRuns).contains("column 'config', row 0").contains(LIMIT);
        CliProcess.Result df = cox(work, "df", "py-runs", "metadata", "--skip-errors", "--format", "csv");
        assertThat(df.exit()).as(df.toString()).isZero();
        assertThat(df.err()).contains("skipped experiment py-bad").contains(LIMIT);
    }
}
