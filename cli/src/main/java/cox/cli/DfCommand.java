package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.filter.FilterBudgetException;
import cox.readers.filter.FilterSyntaxException;
import cox.readers.filter.RunFilter;
import cox.readers.summary.Goal;
import cox.readers.summary.RunSummaries;
import cox.readers.summary.Statistic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cox df DIR TABLE}: the table of every run as one frame, joined with each run's metadata
 * row, filtered, reduced to one row per run, and printed as a table, CSV, JSON or Markdown.
 */
@Command(name = "df", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print TABLE of every run in DIR as one table: each row with its run's exp_id and parameters "
                + "(the metadata table's row), filtered with --where, optionally one row per run (--last, --best, --summary).",
            "",
            "--where takes conditions such as: lr < 0.1, optimizer == adam, optimizer in (adam, sgd), "
                + "0.01 <= lr <= 0.1, lr in [0.01, 0.1], exp_id ~ ^a1, loss != nan, momentum is missing; "
                + "combine them with and, or, not and parentheses; backquote odd column names: `min(loss)` < 1."},
        footer = {"", "Examples:",
            "  cox df runs results",
            "  cox df runs results --where 'optimizer == adam and lr < 0.1' --last",
            "  cox df runs results --best loss:min --only-changed --sort loss",
            "  cox df runs results --summary --columns exp_id,lr,last(loss),min(loss)",
            "  cox df runs results --format csv -o results.csv"})
final class DfCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Parameters(index = "1", paramLabel = "TABLE", description = "The table to gather, e.g. results.")
    String table;

    @Option(names = "--where", paramLabel = "EXPR",
            description = "Keep rows for which EXPR holds; repeat to require several (AND). Parameters and exp_id can be used.")
    List<String> where = new ArrayList<>();

    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "Print only these columns, in this order (comma-separated).")
    List<String> columns;

    @Option(names = "--sort", paramLabel = "COL[:desc]", description = "Sort rows by COL, ascending or :desc.")
    String sort;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Reduction reduction;

    static final class Reduction {
        @Option(names = "--last", description = "One row per run: its last row.")
        boolean last;

        @Option(names = "--best", paramLabel = "COL[:min|max]",
                description = "One row per run: the row with the least (:min, default) or greatest (:max) COL.")
        String best;

        @Option(names = "--summary",
                description = "One row per run: first, last, min, max and mean of each numeric column (as guild compare).")
        boolean summary;
    }

    @Option(names = "--only-changed", description = "Drop columns whose value is the same in every row.")
    boolean onlyChanged;

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Option(names = "--no-metadata", description = "Do not join the metadata table.")
    boolean noMetadata;

    @Option(names = "--keep-serialized", split = ",", paramLabel = "COL",
            description = "Leave these OBJECT/PICKLE columns as stored text instead of decoding them.")
    List<String> keepSerialized = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv, json or markdown (default: ${DEFAULT-VALUE}).")
    FrameWriter.Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--skip-errors", description = "Skip runs that cannot be read (each is named on standard error).")
    boolean skipErrors;

    @Override
    public Integer call() {
        RunFilter filter = RunFilter.all();
        for (String w : where) {
            try {
                filter = filter.and(RunFilter.parse(w));
            } catch (FilterSyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--where: " + e.getMessage());
            }
        }
        try (ReaderSession session = new ReaderSession(spec, runsDir.dir, skipErrors)) {
            CollectionReader reader = session.reader;
            String meta = noMetadata || table.equals(metadataTable.name) ? null : metadataTable.name;
            DfOptions options = DfOptions.defaults().metadataTable(meta)
                    .keepSerialized(keepSerialized.toArray(new String[0]))
                    .where(filter == RunFilter.all() ? null : filter);
            DataFrame rows;
            try {
                rows = reader.df(table, options);
            } catch (FilterBudgetException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--where: " + e.getMessage());
            }
            if (rows.height() == 0) { // no run has the table, or the filter left nothing: say which
                Set<String> tables = reader.tables();
                session.reportSkipped();
                if (!tables.contains(table)) {
                    throw new IllegalArgumentException("no run in " + reader.directory() + " has a table '" + table + "'"
                            + (tables.isEmpty() ? " (it holds no runs)" : "; the tables are " + tables));
                }
            }
            session.reportSkipped();
            List<String> known = Arrays.asList(rows.getColumnsIndex().toArray());
            for (String c : filter.columns()) {
                if (!known.contains(c)) {
                    session.warn("--where names column '" + c + "', which no run has (the columns are "
                            + String.join(", ", known) + "); it is missing in every row");
                }
            }
            List<String> params = parameters(rows);
            DataFrame result = reduce(rows, params);
            result = runsFirst(result, params);
            if (onlyChanged) {
                result = RunSummaries.onlyChanged(result, CollectionReader.EXP_ID);
            }
            if (sort != null) {
                result = sorted(result, sort);
            }
            if (columns != null) {
                result = select(result, columns);
            }
            DataFrame out = result;
            OutputTarget.write(output, spec.commandLine().getOut(), w -> FrameWriter.write(out, format, w));
            return 0;
        }
    }

    /** The joined parameters: the columns after exp_id (see CollectionReader.df). */
    private static List<String> parameters(DataFrame df) {
        List<String> names = Arrays.asList(df.getColumnsIndex().toArray());
        int i = names.indexOf(CollectionReader.EXP_ID);
        return i < 0 ? List.of() : names.subList(i + 1, names.size());
    }

    private DataFrame reduce(DataFrame rows, List<String> params) {
        if (reduction == null) {
            return rows;
        }
        if (reduction.last) {
            return RunSummaries.lastRows(rows);
        }
        if (reduction.best != null) {
            String[] parts = splitSuffix(rows, reduction.best);
            Goal goal;
            try {
                goal = parts[1] == null ? Goal.MIN : Goal.of(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--best " + reduction.best + ": " + e.getMessage());
            }
            requireColumn(rows, parts[0], "--best");
            try {
                return RunSummaries.bestRows(rows, parts[0], goal);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--best: " + e.getMessage());
            }
        }
        List<String> metrics = new ArrayList<>(RunSummaries.metricColumns(rows));
        metrics.removeAll(params);
        DataFrame summary = RunSummaries.summary(rows, metrics, List.of(Statistic.values()));
        if (params.isEmpty()) {
            return summary;
        }
        // each run's parameters, in the summary's run order (both follow the order of first rows)
        DataFrame firsts = RunSummaries.firstRows(rows);
        return summary.hConcat(firsts.cols(params.toArray(new String[0])).select());
    }

    /** exp_id first, then the parameters, then the rest, as MLflow and guild list runs. */
    private static DataFrame runsFirst(DataFrame df, List<String> params) {
        Set<String> order = new LinkedHashSet<>();
        List<String> names = Arrays.asList(df.getColumnsIndex().toArray());
        if (names.contains(CollectionReader.EXP_ID)) {
            order.add(CollectionReader.EXP_ID);
        }
        for (String p : params) {
            if (names.contains(p)) {
                order.add(p);
            }
        }
        order.addAll(names);
        return df.cols(order.toArray(new String[0])).select();
    }

    private DataFrame sorted(DataFrame df, String spec) {
        String[] parts = splitSuffix(df, spec);
        boolean descending;
        if (parts[1] == null || parts[1].equalsIgnoreCase("asc")) {
            descending = false;
        } else if (parts[1].equalsIgnoreCase("desc")) {
            descending = true;
        } else {
            throw new CommandLine.ParameterException(this.spec.commandLine(), "--sort " + spec
                    + ": expected COL, COL:asc or COL:desc");
        }
        requireColumn(df, parts[0], "--sort");
        Series<?> s = df.getColumn(parts[0]);
        Integer[] order = new Integer[df.height()];
        Arrays.setAll(order, i -> i);
        Comparator<Integer> byValue = (a, b) -> CellOrder.compare(s.get(a), s.get(b), descending);
        Arrays.sort(order, byValue); // stable: ties keep the run order
        int[] pick = new int[order.length];
        for (int i = 0; i < pick.length; i++) {
            pick[i] = order[i];
        }
        return df.rows(pick).select();
    }

    private DataFrame select(DataFrame df, List<String> cols) {
        for (String c : cols) {
            requireColumn(df, c, "--columns");
        }
        return df.cols(cols.toArray(new String[0])).select();
    }

    private void requireColumn(DataFrame df, String column, String option) {
        if (!df.getColumnsIndex().contains(column)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": no column '" + column
                    + "'; the columns are " + String.join(", ", df.getColumnsIndex().toArray()));
        }
    }

    /** {@code "loss:min"} to {@code ["loss", "min"]}; a column named with a ':' is taken whole. */
    private static String[] splitSuffix(DataFrame df, String value) {
        int i = value.lastIndexOf(':');
        if (i < 0 || df.getColumnsIndex().contains(value)) {
            return new String[] {value, null};
        }
        return new String[] {value.substring(0, i), value.substring(i + 1)};
    }
}
