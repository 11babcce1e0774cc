package cox.cli;

import cox.readers.filter.FilterBudgetException;
import cox.readers.filter.FilterSyntaxException;
import cox.readers.filter.RunFilter;
import cox.readers.query.QueryException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cox export DIR -o OUT}: every table of the runs (or those named) as one Parquet, CSV or
 * JSON-lines file each, with an {@code exp_id} column, plus {@code runs}: one row per run with its
 * parameters and a summary of each table (MLflow's runs table beside the full history). Written
 * by DuckDB's {@code COPY} from the tables {@link RunLoader} fills, one table at a time; each file
 * appears whole (written beside, then renamed).
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Write the tables of the runs in DIR as files pandas, DuckDB and Spark read: OUT/TABLE.parquet "
                + "(or .csv, .jsonl) with all runs' rows and an exp_id column, and OUT/runs.parquet with one row per run: "
                + "exp_id, status (as cox ls says it), running, last_write, its parameters (last metadata row) and, per "
                + "table, TABLE.rows, TABLE.short and the first/last/min/max/mean/best/count of each numeric column, named "
                + "like results.loss.last.",
            "",
            "OBJECT/PICKLE cells are written as JSON (--keep-serialized keeps the stored text); PYTORCH_STATE cells are "
                + "the UID of the file in the run's .table_objects/. In CSV NaN and infinities are NaN, Inf, -Inf; in JSON lines null.",
            "--where selects runs by exp_id, parameters and status, with cox df's grammar."},
        footer = {"", "Examples:",
            "  cox export runs -o runs-export",
            "  cox export runs --format csv -o csv --table results --where 'optimizer == adam'",
            "  python3 -c \"import pandas as pd; print(pd.read_parquet('runs-export/runs.parquet'))\""})
final class ExportCommand implements Callable<Integer> {
    /** The file formats. */
    enum FileFormat {
        PARQUET("parquet", "(FORMAT PARQUET, COMPRESSION ZSTD)"),
        CSV("csv", "(FORMAT CSV, HEADER TRUE)"),
        JSONL("jsonl", null);

        final String extension;
        final String copyOptions;

        FileFormat(String extension, String copyOptions) {
            this.extension = extension;
            this.copyOptions = copyOptions;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", required = true, converter = RunsLocation.LocalOnly.class,
            description = "The folder to write into: made if missing, but its parent folder must exist; files of the "
                    + "same names are replaced.")
    Path out;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "parquet",
            description = "parquet, csv or jsonl (default: ${DEFAULT-VALUE}).")
    FileFormat format;

    @Option(names = "--table", paramLabel = "TABLE", description = "Export this table (repeat for several; default: all).")
    List<String> tables = new ArrayList<>();

    @Option(names = "--where", paramLabel = "EXPR",
            description = "Export only the runs for which EXPR holds (exp_id and parameters); repeat to require several.")
    List<String> where = new ArrayList<>();

    @Option(names = "--no-runs", description = "Do not write the runs file.")
    boolean noRuns;

    @CommandLine.Mixin
    RunLoaderOptions load = new RunLoaderOptions();

    @Override
    public Integer call() throws SQLException {
        RunFilter filter = null;
        for (String w : where) {
            try {
                RunFilter f = RunFilter.parse(w);
                filter = filter == null ? f : filter.and(f);
            } catch (FilterSyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--where: " + e.getMessage());
            }
        }
        checkFolder(out);
        String name = spec.qualifiedName();
        PrintWriter stdout = spec.commandLine().getOut();
        try (RunLoader loader = load.open(runsDir.folderOfRuns(spec), spec);
                RunDatabase db = RunDatabase.inMemory()) {
            Set<String> all = loader.reader().tables();
            loader.report();
            Set<String> chosen = new LinkedHashSet<>(tables.isEmpty() ? all : tables);
            for (String t : chosen) {
                if (!all.contains(t)) {
                    throw UsageException.noTable(loader.reader().directory(), t, all);
                }
            }
            String meta = all.contains(load.metadataTable.name) ? load.metadataTable.name : null;
            List<String> ids;
            try {
                ids = loader.selectRuns(filter);
            } catch (FilterBudgetException | QueryException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--where: " + e.getMessage());
            }
            String runsName = all.contains(SqlCommand.RUNS) ? "cox_runs" : SqlCommand.RUNS;
            createFolder(out);
            long start = System.nanoTime();
            long totalRows = 0;
            for (String t : chosen) {
                long rows = loader.load(db, t, ids, !noRuns && !t.equals(meta));
                Path file = write(db, t, t);
                drop(db, t);
                totalRows += rows;
                stdout.println(file + "  " + rows + (rows == 1 ? " row" : " rows"));
                stdout.flush();
            }
            if (!noRuns) {
                if (!tables.isEmpty()) { // the runs' other tables still go into the summaries
                    for (String t : all) {
                        if (!chosen.contains(t) && !t.equals(meta)) {
                            loader.load(null, t, ids, true);
                        }
                    }
                }
                loader.appendRuns(db, runsName, ids);
                Path file = write(db, runsName, runsName);
                long n = ids.size() - loader.skipped().size();
                stdout.println(file + "  " + n + (n == 1 ? " run" : " runs"));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            spec.commandLine().getErr().printf(Locale.ROOT, "%s: %d rows of %d runs in %.1f s (%.0f rows/s)%n", name,
                    totalRows, ids.size() - loader.skipped().size(), seconds, totalRows / Math.max(seconds, 1e-9));
            spec.commandLine().getErr().flush();
            return 0;
        }
    }

    /** Copies {@code table} to {@code OUT/FILE.EXT}: written beside under a temporary name, then moved over. */
    private Path write(RunDatabase db, String table, String file) throws SQLException {
        Path target = out.resolve(file + "." + format.extension);
        Path partial = out.resolve("." + file + "." + format.extension + ".partial");
        String select = select(db, table);
        if (format == FileFormat.JSONL) {
            JsonLines.write(db.connection(), select, partial);
        } else {
            try (Statement st = db.connection().createStatement()) {
                st.execute("COPY (" + select + ") TO " + RunDatabase.literal(partial.toString()) + " " + format.copyOptions);
            }
        }
        try {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + partial + " to " + target + ": " + ErrorText.reason(e), e);
        }
        return target;
    }

    /**
     * The table's columns; in CSV a DOUBLE is written as DuckDB's text of it (the shortest digits
     * that read back as the same double: DuckDB's CSV writer keeps only 15), NaN and infinities as
     * {@code NaN}, {@code Inf}, {@code -Inf}, which pandas and Spark's CSV reader both take.
     */
    private String select(RunDatabase db, String table) throws SQLException {
        if (format != FileFormat.CSV) {
            return db.selectAll(table);
        }
        java.util.Map<String, String> types = new java.util.HashMap<>();
        try (Statement st = db.connection().createStatement();
                var rs = st.executeQuery("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                        + RunDatabase.literal(table))) {
            while (rs.next()) {
                types.put(rs.getString(1), rs.getString(2));
            }
        }
        List<String> cols = new ArrayList<>();
        for (String name : db.columns(table)) {
            String c = RunDatabase.quote(name);
            cols.add("DOUBLE".equals(types.get(name)) ? "CASE WHEN isnan(" + c + ") THEN 'NaN' WHEN " + c
                    + " = 'inf'::DOUBLE THEN 'Inf' WHEN " + c + " = '-inf'::DOUBLE THEN '-Inf' ELSE CAST(" + c
                    + " AS VARCHAR) END AS " + c : c);
        }
        return "SELECT " + String.join(", ", cols) + " FROM " + RunDatabase.quote(table);
    }

    private static void drop(RunDatabase db, String table) throws SQLException {
        try (Statement st = db.connection().createStatement()) {
            st.execute("DROP TABLE " + RunDatabase.quote(table));
        }
        db.forget(table);
    }

    /** The output folder's parent must exist (a typo there must not make a tree of folders), and OUT be a folder if it exists. */
    private static void checkFolder(Path folder) {
        Path parent = folder.toAbsolutePath().normalize().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("-o " + folder + ": the folder " + parent + (Files.exists(parent) ? " is not a folder"
                    : " does not exist") + " (cox export makes OUT, not its parents)");
        }
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw new UsageException("-o " + folder + ": not a folder");
        }
    }

    private static void createFolder(Path folder) {
        try {
            if (!Files.isDirectory(folder)) {
                Files.createDirectory(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the output folder " + folder + ": " + ErrorText.reason(e), e);
        }
    }
}
