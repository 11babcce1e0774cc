package cox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import cox.testing.Interop;
import cox.testing.Python;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 19, item 7: {@code cox df} answers as {@code docs/querying.md} says, checked against an
 * independent implementation of that page in pandas and {@code scipy.stats}
 * ({@code src/test/resources/python/df_reference.py}). For each seed the script writes a random
 * collection of runs as Python cox writes them (pandas' HDFStore, format 'table'; parameters lr,
 * optimizer, seed and on some runs momentum; results epoch, loss, val_acc with NaN, a unicode note
 * on some runs; short runs; groups of 1 to 5 seeds), makes up {@value #QUERIES} random queries
 * (filters, {@code --last/--best/--summary}, {@code --group-by}, {@code --baseline},
 * {@code --columns}, {@code --sort}, and a few usage errors) and answers them; every query is then
 * run here as {@code cox df DIR results --metadata-table metadata ... --format csv} in this JVM,
 * and its CSV compared cell by cell: the same column names in the same order, the same rows in the
 * same order, numbers equal within a relative 1e-9 or an absolute 1e-12 (NaN equals NaN and an
 * empty cell), text exactly; and exit status 2 where the query is a usage error.
 */
@Interop
class DfDifferentialTest {
    static final int QUERIES = 90;
    static final double REL = 1e-9;
    static final double ABS = 1e-12;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    private static final Map<String, Integer> KINDS = new TreeMap<>();
    private static int total;

    @TempDir
    Path work;

    @AfterAll
    static void report() {
        System.out.println("DfDifferentialTest: " + total + " queries compared; by kind " + KINDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4})
    void coxDf_answersAsPandasAndScipy(long seed) throws IOException {
        Path runs = Files.createDirectories(work.resolve("runs"));
        Path script = Path.of("src/test/resources/python/df_reference.py").toAbsolutePath();
        CliProcess.Result py = CliProcess.run(work, Map.of(),
                List.of(Python.PYTHON, script.toString(), Long.toString(seed), runs.toString(), Integer.toString(QUERIES)));
        assertThat(py.exit()).as(py.toString()).isZero();
        JsonNode reference = JSON.readTree(py.out());
        List<String> failures = new ArrayList<>();
        int n = 0;
        for (JsonNode q : reference.get("queries")) {
            n++;
            List<String> args = new ArrayList<>(List.of("df", runs.toString(), "results", "--metadata-table", "metadata"));
            q.get("args").forEach(a -> args.add(a.asText()));
            args.addAll(List.of("--format", "csv"));
            synchronized (KINDS) {
                q.get("kind").forEach(k -> KINDS.merge(k.asText(), 1, Integer::sum));
                total++;
            }
            String problem = compare(q, CoxRun.cox(args));
            if (problem != null) {
                failures.add("seed " + seed + ", query " + n + ": cox " + quoted(args) + "\n  " + problem);
            }
        }
        assertThat(n).isEqualTo(QUERIES);
        assertThat(failures).as(failures.size() + " of " + n + " queries answered unlike pandas/scipy; the first:\n"
                + String.join("\n", failures.subList(0, Math.min(5, failures.size())))).isEmpty();
    }



    /** @return null if {@code got} is the reference's answer, else what differs first */
    static String compare(JsonNode q, CoxRun got) throws IOException {
        int exit = q.get("exit").asInt();
        if (got.exit() != exit) {
            return "exit " + got.exit() + ", expected " + exit + "; stderr: " + got.err().strip();
        }
        if (exit != 0) {
            return null;
        }
        List<List<String>> csv = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(got.out())) {
            while (it.hasNext()) {
                csv.add(it.next());
            }
        }
        List<String> expectedColumns = new ArrayList<>();
        q.get("columns").forEach(c -> expectedColumns.add(c.asText()));
        List<String> columns = csv.isEmpty() ? List.of() : csv.get(0);
        if (!columns.equals(expectedColumns)) {
            return "columns " + columns + ",\n  expected " + expectedColumns;
        }
        JsonNode rows = q.get("rows");
        if (csv.size() - 1 != rows.size()) {
            return (csv.size() - 1) + " rows, expected " + rows.size() + "; first column " + column(csv, 0) + ", expected "
                    + expectedColumn(rows, 0);
        }
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < columns.size(); c++) {
                String cell = csv.get(r + 1).get(c);
                JsonNode want = rows.get(r).get(c);
                if (!same(cell, want)) {
                    return "row " + r + ", column " + columns.get(c) + ": '" + cell + "', expected " + want
                            + (columns.get(0).equals("exp_id") ? " (run " + csv.get(r + 1).get(0) + ")" : "");
                }
            }
        }
        return null;
    }

    private static List<String> column(List<List<String>> csv, int c) {
        List<String> out = new ArrayList<>();
        for (int r = 1; r < csv.size(); r++) {
            out.add(csv.get(r).get(c));
        }
        return out;
    }

    private static List<String> expectedColumn(JsonNode rows, int c) {
        List<String> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get(c).toString()));
        return out;
    }

    /** A CSV cell against a reference cell: null, a boolean, a number, {"f": nan|inf|-inf}, or text. */
    static boolean same(String cell, JsonNode want) {
        if (want.isNull()) {
            return cell.isEmpty();
        }
        if (want.isBoolean()) {
            return cell.equals(want.asBoolean() ? "True" : "False");
        }
        if (want.isNumber() || want.isObject()) {
            double expected = want.isObject() ? Double.parseDouble(want.get("f").asText().replace("nan", "NaN")
                    .replace("inf", "Infinity")) : want.asDouble();
            double actual;
            if (cell.isEmpty() || cell.equals("nan")) {
                actual = Double.NaN;
            } else if (cell.equals("inf") || cell.equals("-inf")) {
                actual = cell.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            } else {
                try {
                    actual = Double.parseDouble(cell);
                } catch (NumberFormatException e) {
                    return false;
                }
            }
            if (Double.isNaN(expected) || Double.isNaN(actual)) {
                return Double.isNaN(expected) && Double.isNaN(actual);
            }
            if (expected == actual) {
                return true;
            }
            double diff = Math.abs(expected - actual);
            return diff <= ABS || diff <= REL * Math.max(Math.abs(expected), Math.abs(actual));
        }
        return cell.equals(want.asText());
    }

    private static String quoted(List<String> args) {
        StringBuilder b = new StringBuilder();
        for (String a : args) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append(a.matches("[A-Za-z0-9_.,:/=+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return b.toString();
    }
}
