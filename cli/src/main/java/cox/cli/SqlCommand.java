package cox.cli;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.dflib.DataFrame;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cox sql DIR QUERY}: SQL over the runs of a folder, in an embedded DuckDB. Each table of
 * the runs is a table of the same name holding every run's rows with an {@code exp_id} column;
 * {@code runs} has one row per run (its parameters and a summary of each table, as
 * {@code cox export} writes it). Only the tables the query names are read. Read-only unless
 * {@code --allow-writes}: once loaded, the database reads and writes no file
 * ({@link RunDatabase#restrictToItself}).
 */
@Command(name = "sql", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run an SQL query (DuckDB's dialect) over the runs in DIR and print the result.",
            "",
            "Every table of the runs is a table of that name with all runs' rows and an exp_id column "
                + "(the metadata table too: join it on exp_id). The table runs has one row per run: exp_id, status "
                + "(running, interrupted, closed, active or idle; see cox ls --help), running, last_write, the parameters "
                + "(last metadata row) and, per table, TABLE.rows, TABLE.short and the first/last/min/max/mean/best/count "
                + "(of numbers, NaN left out) of each numeric column, named like results.loss.last (quote such names: "
                + "\"results.loss.last\"). OBJECT/PICKLE cells are JSON "
                + "(use --keep-serialized for the stored text). Only the tables the query names are read; a query "
                + "naming none (SHOW TABLES) reads them all.",
            "",
            "Read-only: the query reads no file and writes none (COPY ... TO, ATTACH, read_csv, read_text, INSTALL and "
                + "LOAD are refused, and SET cannot lift it); tables it makes live in memory and are gone when it ends. "
                + "--allow-writes lifts this.",
            "",
            "An error in the query (syntax, an unknown table or column, a statement refused as read-only) is a usage error "
                + "(exit 2); DuckDB failing to run it (out of memory, a file it cannot write) exits 1."},
        footer = {"", "Examples:",
            "  cox sql runs \"SELECT optimizer, avg(loss) FROM results JOIN metadata USING (exp_id) GROUP BY optimizer\"",
            "  cox sql runs \"SELECT exp_id, status, lr, \\\"results.loss.min\\\" FROM runs ORDER BY 4 LIMIT 5\"",
            "  cox sql runs \"SELECT * FROM results WHERE loss = 'NaN'::DOUBLE\" --format csv -o diverged.csv",
            "  cox sql runs \"COPY results TO 'results.csv'\" --allow-writes"})
final class SqlCommand implements Callable<Integer> {
    /** The name of the one-row-per-run table (unless the runs have a table of that name). */
    static final String RUNS = "runs";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Parameters(index = "1", paramLabel = "QUERY", description = "The SQL query, e.g. \"SELECT count(*) FROM results\".")
    String query;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv, json or markdown (default: ${DEFAULT-VALUE}).")
    FrameWriter.Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = RunsLocation.LocalOnly.class, description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--allow-writes",
            description = "Let the query read and write files and load extensions (COPY ... TO, ATTACH, read_csv, INSTALL): "
                    + "DuckDB unrestricted. Without it the query sees only the runs' tables.")
    boolean allowWrites;

    @CommandLine.Mixin
    RunLoaderOptions load = new RunLoaderOptions();

    @Override
    public Integer call() throws SQLException {
        OutputTarget.check(output);
        try (RunLoader loader = load.open(runsDir.folderOfRuns(spec), spec);
                RunDatabase db = RunDatabase.inMemory()) {
            Set<String> tables = loader.reader().tables();
            loader.report();
            boolean runsTable = !tables.contains(RUNS);
            Set<String> named = new LinkedHashSet<>();
            for (String t : tables) {
                if (names(query, t)) {
                    named.add(t);
                }
            }
            boolean runs = runsTable && names(query, RUNS);
            if (named.isEmpty() && !runs) {
                named.addAll(tables);
                runs = runsTable;
            }
            List<String> ids = loader.selectRuns(null);
            String meta = tables.contains(load.metadataTable.name) ? load.metadataTable.name : null;
            for (String t : tables) {
                boolean summarize = runs && !t.equals(meta);
                if (named.contains(t)) {
                    loader.load(db, t, ids, summarize);
                } else if (summarize && !loader.summarizeFromIndex(t, ids)) {
                    // the runs table needs its statistics, which the rows summaries keep cannot give: read
                    // them, but load no table the query does not name (as when the summaries answer)
                    loader.load(null, t, ids, true);
                } else if (runs && t.equals(meta)) {
                    loader.load(db, t, ids, false);
                }
            }
            if (runs) {
                loader.appendRuns(db, RUNS, ids);
            }
            for (String t : List.copyOf(db.tables())) {
                db.finish(t);
            }
            if (!allowWrites) {
                db.restrictToItself();
            }
            DataFrame result;
            try (Statement st = db.connection().createStatement()) {
                if (!st.execute(query)) {
                    return 0; // a statement without a result (SET, CREATE VIEW ...)
                }
                try (ResultSet rs = st.getResultSet()) {
                    result = SqlResults.frame(rs);
                }
            } catch (SQLException e) {
                String refused = !allowWrites && refusedAsReadOnly(e) ? " " + READ_ONLY : "";
                String text = message(e) + refused + " (query: " + oneLine(query) + ")";
                if (failedRunning(e)) {
                    throw new IllegalStateException(text, e);
                }
                throw new UsageException(text); // the query is wrong: unknown table or column, syntax, refused, ...
            }
            DataFrame out = result;
            OutputTarget.write(output, spec.commandLine().getOut(), w -> FrameWriter.write(out, format, w));
            return 0;
        }
    }

    /** Whether {@code query} mentions {@code table} as a word (any case), quoted or not. */
    static boolean names(String query, String table) {
        return Pattern.compile("(?<![\\w$])" + Pattern.quote(table) + "(?![\\w$])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE).matcher(query).find();
    }

    /** What a refused statement's message adds. */
    static final String READ_ONLY = "(cox sql reads no file and writes none but its output; --allow-writes lifts this)";

    /** Whether DuckDB refused a statement because of {@link RunDatabase#restrictToItself}. */
    static boolean refusedAsReadOnly(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("Permission Error") || m.contains("the configuration has been locked");
    }

    /** DuckDB's kinds of error that are no fault of the query's text (exit 1, not 2). */
    private static final List<String> FAILURES = List.of("IO Error", "Out of Memory Error", "INTERNAL Error", "FATAL Error",
            "Interrupt Error", "Connection Error");

    /**
     * Whether DuckDB failed running a query rather than refusing it: out of memory, a file it
     * could not read or write, an internal error. Every other error (Parser, Catalog, Binder,
     * Conversion, Permission...) is the query's: a usage error.
     */
    static boolean failedRunning(SQLException e) {
        String m = String.valueOf(e.getMessage());
        return FAILURES.stream().anyMatch(m::contains);
    }

    /** The first line of DuckDB's message ({@code Parser Error: syntax error at or near "x"}). */
    static String message(SQLException e) {
        String m = e.getMessage() == null ? "SQL error" : e.getMessage();
        String first = m.strip().lines().findFirst().orElse(m).strip();
        return first.toLowerCase(Locale.ROOT).contains("error") ? first : "SQL error: " + first;
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s+", " ");
    }
}
