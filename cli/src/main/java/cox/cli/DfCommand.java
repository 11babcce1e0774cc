package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.query.CellOrder;
import cox.readers.query.QueryException;
import cox.readers.query.QueryResult;
import cox.readers.query.RunQuery;
import cox.readers.summary.RunSummaries;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
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
 * row, filtered, optionally reduced to one row per run or per group, and printed as a table, CSV,
 * JSON or Markdown. The meaning of names, filters, runs and groups is {@link RunQuery}'s (see
 * {@code docs/querying.md}); this class turns options into a query and prints its answer.
 */
@Command(name = "df", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print TABLE of every run in DIR as one table: each row with its run's exp_id and parameters "
                + "(the metadata table's row), filtered with --where, optionally one row per run (--last, --best, --summary) "
                + "or per group of runs with statistics over them (--group-by).",
            "",
            "Names: a row column (epoch, val_acc), a parameter (lr), a run field (exp_id, status, rows, short) or a run "
                + "summary COLUMN.STAT with STAT one of first, last, min, max, mean, best, count (val_acc.max).",
            "",
            "--where takes conditions such as: lr < 0.1, optimizer == adam, optimizer in (adam, sgd), "
                + "0.01 <= lr <= 0.1, lr in [0.01, 0.1], exp_id ~ ^a1, loss != nan, momentum is missing, "
                + "epoch < epochs (a bare word that names a column is that column), val_acc.max > 0.9, status == interrupted; "
                + "combine them with and, or, not and parentheses; backquote odd column names: `min(loss)` < 1. "
                + "With --last, --best or --summary each run is reduced first and --where keeps runs; without them it keeps rows."},
        footer = {"", "Examples:",
            "  cox df runs results",
            "  cox df runs results --where 'optimizer == adam and lr < 0.1' --last",
            "  cox df runs results --best loss:min --only-changed --sort loss",
            "  cox df runs results --summary --columns exp_id,lr,loss.last,loss.min",
            "  cox df runs results --best val_acc:max --group-by lr,optimizer",
            "  cox df runs results --best val_acc:max --group-by lr,optimizer --baseline 'lr == 0.1 and optimizer == sgd'",
            "  cox df runs results --format csv -o results.csv"})
final class DfCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Parameters(index = "1", paramLabel = "TABLE", description = "The table to gather, e.g. results.")
    String table;

    @Option(names = "--where", paramLabel = "EXPR",
            description = "Keep rows (or, with --last/--best/--summary/--group-by, runs) for which EXPR holds; "
                    + "repeat to require several (AND).")
    List<String> where = new ArrayList<>();

    @Option(names = "--columns", split = ",", paramLabel = "COL",
            description = "Print only these columns, in this order (comma-separated); run fields and summaries may be named.")
    List<String> columns;

    @Option(names = "--sort", paramLabel = "COL[:desc]", description = "Sort rows by COL, ascending or :desc.")
    String sort;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Reduction reduction;

    static final class Reduction {
        @Option(names = "--last", description = "One row per run: its last row.")
        boolean last;

        @Option(names = "--best", paramLabel = "COL[:min|max]",
                description = "One row per run: the row with the least (:min) or greatest (:max) COL; "
                        + "without :min or :max, as COL's name suggests (acc, f1, reward... greatest; loss, error... least).")
        String best;

        @Option(names = "--summary",
                description = "One row per run: COL.first, .last, .min, .max, .mean, .best and .count of each numeric column.")
        boolean summary;
    }

    @Option(names = "--group-by", split = ",", paramLabel = "NAME",
            description = "One row per group of runs with equal NAMEs (each run's last row unless --best or --summary): "
                    + "n, and per numeric column C: C.mean, C.std, C.sem, C.ci95_low, C.ci95_high, C.min, C.max.")
    List<String> groupBy;

    @Option(names = "--baseline", paramLabel = "EXPR",
            description = "With --group-by: the runs EXPR picks are the baseline; adds C.diff (group mean minus baseline mean) "
                    + "and C.p_welch (two-sided Welch t-test) per group.")
    String baseline;

    @Option(names = "--only-changed", description = "Drop columns whose value is the same in every row.")
    boolean onlyChanged;

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @Option(names = "--no-metadata", description = "Do not join the metadata table.")
    boolean noMetadata;

    @Option(names = "--keep-serialized", split = ",", paramLabel = "COL",
            description = "Leave these OBJECT/PICKLE columns as stored text instead of decoding them.")
    List<String> keepSerialized = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table, csv, json or markdown (default: ${DEFAULT-VALUE}).")
    FrameWriter.Format format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", converter = RunsLocation.LocalOnly.class, description = "Write to FILE instead of standard output.")
    Path output;

    @Option(names = "--skip-errors", description = "Skip runs that cannot be read (each is named on standard error).")
    boolean skipErrors;

    @Override
    public Integer call() {
        RunQuery query;
        try {
            query = query();
        } catch (QueryException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--" + e.part() + ": " + e.getMessage());
        }
        OutputTarget.check(output);
        try (ReaderSession session = new ReaderSession(spec, runsDir.folderOfRuns(spec), skipErrors, cache)) {
            if (!noMetadata && spec.commandLine().getParseResult().hasMatchedOption("--metadata-table")) {
                Set<String> tables = session.reader.tables();
                if (!tables.contains(metadataTable.name)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--metadata-table: "
                            + UsageException.noTable(session.reader.directory(), metadataTable.name, tables).getMessage());
                }
            }
            QueryResult answer;
            try {
                answer = query.run(session.reader);
            } catch (QueryException e) {
                session.reportSkipped();
                throw new CommandLine.ParameterException(spec.commandLine(),
                        (e.part().equals("table") ? "" : "--" + e.part() + ": ") + e.getMessage());
            }
            session.reportSkipped();
            answer.warnings().forEach(session::warn);
            DataFrame result = answer.frame();
            if (onlyChanged) {
                result = answer.level() == QueryResult.Level.GROUPS
                        ? RunSummaries.onlyChanged(result, groupBy.toArray(new String[0]))
                        : RunSummaries.onlyChanged(result, CollectionReader.EXP_ID);
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

    private RunQuery query() {
        RunQuery q = RunQuery.of(table).metadataTable(noMetadata ? null : metadataTable.name).keepSerialized(keepSerialized);
        for (String w : where) {
            q = q.where(w);
        }
        if (reduction != null && reduction.last) {
            q = q.last();
        } else if (reduction != null && reduction.best != null) {
            q = q.best(reduction.best);
        } else if (reduction != null && reduction.summary) {
            q = q.summary();
        }
        if (groupBy != null && !groupBy.isEmpty()) {
            q = q.groupBy(groupBy);
        }
        if (baseline != null) {
            q = q.baseline(baseline);
        }
        List<String> shown = new ArrayList<>();
        if (columns != null) {
            shown.addAll(columns);
        }
        if (sort != null) {
            shown.add(splitSort(sort)[0]);
        }
        return q.show(shown);
    }

    private DataFrame sorted(DataFrame df, String spec) {
        String[] parts = splitSort(spec);
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
        Set<String> seen = new HashSet<>();
        for (String c : cols) {
            requireColumn(df, c, "--columns");
            if (!seen.add(c)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--columns names '" + c + "' twice");
            }
        }
        return df.cols(cols.toArray(new String[0])).select();
    }

    private void requireColumn(DataFrame df, String column, String option) {
        if (!df.getColumnsIndex().contains(column)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + ": no column '" + column
                    + "'; the columns are " + String.join(", ", df.getColumnsIndex().toArray()));
        }
    }

    /** {@code "loss:desc"} to {@code ["loss", "desc"]}; without an :asc or :desc suffix the value is taken whole. */
    private static String[] splitSort(String value) {
        int i = value.lastIndexOf(':');
        return i < 0 ? new String[] {value, null} : new String[] {value.substring(0, i), value.substring(i + 1)};
    }
}
