package cox.cli;

import static cox.cli.CoxRun.cox;
import static org.assertj.core.api.Assertions.assertThat;

import cox.store.ColumnType;
import cox.store.RunSummary;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.testing.PythonCoxRuns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run index speeds up, it never changes an answer: every command that uses it prints the same
 * with {@code --no-cache} (every row read) as with a cache folder, on a collection that changes
 * between calls: runs grow, appear, disappear, lose their summary file, and Python cox's runs sit
 * beside cox4j's.
 */
class RunIndexEquivalenceTest {
    @TempDir
    Path work;

    private static Map<String, Object> row(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static void writeRun(Path dir, String id, Random random, int rows) {
        try (Store s = Store.open(dir, id)) {
            if (!s.keys().contains("metadata")) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT))
                        .appendRow(row("lr", random.nextBoolean() ? 0.1 : 0.01, "optimizer", random.nextBoolean() ? "sgd" : "adam",
                                "seed", (long) random.nextInt(2)));
                s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "val_acc", ColumnType.FLOAT,
                        "phase", ColumnType.STR));
            }
            Table t = s.table("results");
            long start = t.nrows();
            for (int r = 0; r < rows; r++) {
                double loss = random.nextInt(6) == 0 ? Double.NaN : random.nextInt(8) / 4.0;
                t.appendRow(row("epoch", start + r, "loss", loss, "val_acc", random.nextInt(9) / 8.0, "phase",
                        random.nextBoolean() ? "train" : "é"));
            }
        }
    }

    private static List<List<String>> commands(Path dir, Path python) {
        String d = dir.toString();
        List<List<String>> out = new ArrayList<>();
        out.add(List.of("ls", d));
        out.add(List.of("ls", d, "--json"));
        out.add(List.of("ls", python.toString(), "--json"));
        for (String format : List.of("csv", "json")) {
            out.add(List.of("df", d, "results", "--last", "--format", format));
            out.add(List.of("df", d, "results", "--best", "val_acc", "--format", format));
            out.add(List.of("df", d, "results", "--best", "loss:max", "--format", format));
            out.add(List.of("df", d, "results", "--summary", "--format", format));
            out.add(List.of("df", d, "results", "--last", "--group-by", "lr,optimizer", "--format", format));
            out.add(List.of("df", d, "results", "--best", "val_acc", "--group-by", "optimizer", "--baseline",
                    "optimizer == sgd", "--format", format));
            out.add(List.of("df", d, "results", "--last", "--where", "loss.mean < 1 and rows > 2", "--format", format));
            out.add(List.of("df", d, "results", "--last", "--where", "short == false", "--columns",
                    "exp_id,rows,loss.count,val_acc.max,short", "--format", format));
            out.add(List.of("df", d, "metadata", "--last", "--format", format));
        }
        out.add(List.of("df", python.toString(), "results", "--last", "--format", "csv"));
        out.add(List.of("df", python.toString(), "results", "--summary", "--format", "csv"));
        out.add(List.of("df", d, "results", "--format", "csv"));
        out.add(List.of("sql", d, "select * from runs order by exp_id", "--format", "csv"));
        out.add(List.of("sql", python.toString(), "select * from runs order by exp_id", "--format", "csv"));
        out.add(List.of("sql", d, "select r.exp_id, count(*) as n, max(loss) as worst from results r join runs using (exp_id)"
                + " group by r.exp_id order by r.exp_id", "--format", "csv"));
        out.add(List.of("sql", d, "select table_name from information_schema.tables where table_name <> 'runs'"
                + " order by table_name", "--format", "csv"));
        return out;
    }

    private void assertSameAnswers(Path dir, Path python, Path cache, String when) {
        for (List<String> c : commands(dir, python)) {
            List<String> noCache = plus(c, "--no-cache");
            List<String> cached = plus(c, "--cache-dir", cache.toString());
            CoxRun exact = cox(noCache);
            CoxRun fast = cox(cached);
            CoxRun again = cox(cached); // answered from the cache file the first call saved
            assertThat(exact.exit()).as(when + ": " + c + "\n" + exact.err()).isZero();
            assertThat(fast.out()).as(when + ": " + c).isEqualTo(exact.out());
            assertThat(again.out()).as(when + ", again: " + c).isEqualTo(exact.out());
            assertThat(fast.exit()).isEqualTo(exact.exit());
        }
    }

    @Test
    void everyCommand_printsTheSameWithAndWithoutTheIndex_asTheCollectionChanges() throws IOException {
        Path dir = Files.createDirectories(work.resolve("runs"));
        Path python = PythonCoxRuns.copyAll(work.resolve("python"));
        Path cache = work.resolve("cache");
        Random random = new Random(20);
        for (int i = 0; i < 12; i++) {
            writeRun(dir, "run-" + i, random, 1 + random.nextInt(12));
        }
        assertSameAnswers(dir, python, cache, "at first");
        assertThat(Files.list(cache).filter(p -> p.getFileName().toString().endsWith(".idx")).count())
                .as("one index file per folder").isEqualTo(2);

        writeRun(dir, "run-3", random, 5); // grows
        writeRun(dir, "run-new", random, 4); // appears
        try (Stream<Path> files = Files.walk(dir.resolve("run-7"))) { // disappears
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        Files.delete(dir.resolve("run-5").resolve(RunSummary.FILE_NAME)); // its summary is made from its store
        assertSameAnswers(dir, python, cache, "after changes");

        Path index = Files.list(cache).filter(p -> p.getFileName().toString().endsWith(".idx")).findFirst().orElseThrow();
        byte[] bytes = Files.readAllBytes(index);
        bytes[bytes.length / 2] ^= 0x55; // a damaged cache file is ignored
        Files.write(index, bytes);
        assertSameAnswers(dir, python, cache, "with a damaged index file");
    }

    /**
     * Runs of 50 numeric columns, whose summaries keep few of their columns' least and greatest
     * rows: every command still prints the same with and without the index ({@code --best} reads
     * the runs whose best row is not kept).
     */
    @Test
    void wideTables_printTheSameWithAndWithoutTheIndex() throws IOException {
        Path dir = Files.createDirectories(work.resolve("wide"));
        Path cache = work.resolve("wide-cache");
        Random random = new Random(50);
        for (int i = 0; i < 6; i++) {
            try (Store s = Store.open(dir, "wide-" + i)) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR))
                        .appendRow(row("lr", random.nextBoolean() ? 0.1 : 0.01, "optimizer", random.nextBoolean() ? "sgd" : "adam"));
                Schema.Builder schema = Schema.builder().add("epoch", ColumnType.INT);
                for (int m = 0; m < 50; m++) {
                    schema.add("m" + m + (m % 5 == 0 ? "_acc" : "_loss"), m % 9 == 4 ? ColumnType.INT : ColumnType.FLOAT);
                }
                Table t = s.addTable("results", schema.build());
                int rows = 1 + random.nextInt(40);
                for (int r = 0; r < rows; r++) {
                    Map<String, Object> cells = new LinkedHashMap<>();
                    cells.put("epoch", (long) r);
                    for (int m = 0; m < 50; m++) {
                        cells.put("m" + m + (m % 5 == 0 ? "_acc" : "_loss"), m % 9 == 4 ? (Object) (long) random.nextInt(1000)
                                : (Object) (random.nextInt(15) == 0 ? Double.NaN : random.nextInt(64) / 16.0));
                    }
                    t.appendRow(cells);
                }
            }
        }
        String d = dir.toString();
        List<List<String>> commands = new ArrayList<>();
        commands.add(List.of("ls", d));
        for (String best : List.of("m0_acc", "m1_loss", "m4_loss", "m13_loss:max", "m49_loss", "m45_acc")) {
            commands.add(List.of("df", d, "results", "--best", best, "--format", "csv"));
        }
        commands.add(List.of("df", d, "results", "--last", "--format", "csv"));
        commands.add(List.of("df", d, "results", "--summary", "--format", "csv"));
        commands.add(List.of("df", d, "results", "--last", "--group-by", "optimizer", "--format", "csv"));
        commands.add(List.of("df", d, "results", "--last", "--where", "m2_loss.min < 1 and m22_loss.max > 3", "--columns",
                "exp_id,rows,m2_loss.min,m22_loss.max,m31_loss.best,m40_acc.best", "--format", "csv"));
        commands.add(List.of("sql", d, "select * from runs order by exp_id", "--format", "csv"));
        for (List<String> c : commands) {
            List<String> noCache = plus(c, "--no-cache");
            List<String> cached = plus(c, "--cache-dir", cache.toString());
            CoxRun exact = cox(noCache);
            assertThat(exact.exit()).as(c + "\n" + exact.err()).isZero();
            assertThat(cox(cached).out()).as(c.toString()).isEqualTo(exact.out());
            assertThat(cox(cached).out()).as("again: " + c).isEqualTo(exact.out());
        }
    }

    /** {@code command} with {@code more} arguments after it. */
    private static List<String> plus(List<String> command, String... more) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(more));
        return all;
    }
}
