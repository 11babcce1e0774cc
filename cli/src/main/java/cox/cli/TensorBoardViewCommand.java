package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.text.CellText;
import cox.readers.text.RunNameFormat;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cox tensorboard-view}: Python cox's {@code python -m cox.tensorboard_view}, with the
 * same options and the same {@code --logdir_spec}: one {@code NAME---EXP_ID:LOGDIR/EXP_ID,} entry
 * per run that has a {@code tensorboard/} folder, NAME being {@code --format-str} filled with the
 * run's parameters (the first row of its metadata table, every column and {@code exp_id}; list
 * values joined with {@code .}), runs whose parameter does not match a {@code --filter-param}
 * regex (Python's {@code re.match}: anchored at the start) left out.
 *
 * <p>Where it differs from cox, on purpose: runs are listed sorted by exp_id (cox: in
 * {@code os.listdir} order); a run with no metadata row is skipped with cox's own warning (cox
 * means to, but its {@code except IndexError} misses pandas' {@code KeyError} and it stops);
 * a {@code --format-str} naming a missing parameter is a usage error (cox: a {@code KeyError});
 * {@code tensorboard} gets its arguments as a list, not through a shell, so a name with spaces
 * stays one argument.
 */
@Command(name = "tensorboard-view", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start TensorBoard on the runs in --logdir, each named by --format-str filled with its parameters "
                + "(Python cox's tensorboard_view).",
            "Runs tensorboard --logdir_spec NAME---EXP_ID:LOGDIR/EXP_ID,... --port PORT when tensorboard is on PATH; "
                + "otherwise prints that command and how to install TensorBoard."},
        footer = {"", "Examples:",
            "  cox tensorboard-view --logdir runs --format-str 'lr-{lr}-{optimizer}'",
            "  cox tensorboard-view --logdir runs --format-str 'ss-{step_size:.0e}' --filter-param optimizer 'adam$' --dry-run"})
final class TensorBoardViewCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--logdir", required = true, paramLabel = "DIR", description = "The folder of runs (as tensorboard's --logdir).")
    String logdir;

    @Option(names = "--format-str", required = true, paramLabel = "FORMAT",
            description = "How to name each run, a Python format string over its parameters, e.g. 'lr-{lr}'; "
                    + "---EXP_ID is appended.")
    String formatStr;

    @Option(names = "--filter-param", arity = "2", paramLabel = "NAME REGEX",
            description = "Show only runs whose parameter NAME matches REGEX at its start (repeatable).")
    List<String> filterParam = new ArrayList<>();

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Option(names = "--port", defaultValue = "6006", description = "TensorBoard's port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--dry-run", description = "Print the tensorboard command without running it.")
    boolean dryRun;

    @Override
    public Integer call() throws IOException, InterruptedException {
        RunNameFormat format;
        try {
            format = RunNameFormat.of(formatStr);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--format-str: " + e.getMessage());
        }
        Map<String, Pattern> filters = new LinkedHashMap<>();
        for (int i = 0; i + 1 < filterParam.size(); i += 2) {
            try {
                filters.put(filterParam.get(i), Pattern.compile(filterParam.get(i + 1)));
            } catch (PatternSyntaxException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--filter-param " + filterParam.get(i) + ": "
                        + e.getDescription() + " in regex '" + filterParam.get(i + 1) + "'");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String logdirSpec;
        try (ReaderSession session = new ReaderSession(spec, Path.of(logdir), false)) {
            CollectionReader reader = session.reader;
            if (!reader.tables().contains(metadataTable.name)) {
                throw new UsageException(UsageException.noTable(reader.directory(), metadataTable.name, reader.tables())
                        .getMessage() + " (choose one with --metadata-table)");
            }
            DataFrame metadata = reader.df(metadataTable.name);
            List<String> params = Arrays.asList(metadata.getColumnsIndex().toArray());
            for (String f : format.fields()) {
                if (!params.contains(f)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--format-str names {" + f + "}, which is not "
                            + "a column of table '" + metadataTable.name + "'; the columns are " + String.join(", ", params));
                }
            }
            for (String f : filters.keySet()) {
                if (!params.contains(f)) {
                    session.warn("--filter-param " + f + " is not a column of table '" + metadataTable.name
                            + "' and filters nothing (as in cox)");
                }
            }
            Map<String, Map<String, Object>> firstRows = firstRows(metadata, params);
            StringBuilder sb = new StringBuilder();
            for (String expId : runsWithTensorBoard(reader.directory())) {
                Map<String, Object> row = firstRows.get(expId);
                if (row == null) {
                    out.println("Warning: Skipping experiment " + expId);
                    continue;
                }
                if (!passes(row, filters)) {
                    continue;
                }
                String name;
                try {
                    name = format.format(row);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "--format-str for run " + expId + ": "
                            + e.getMessage());
                }
                sb.append(name).append("---").append(expId).append(':').append(join(logdir, expId)).append(',');
            }
            logdirSpec = sb.toString();
        }
        if (logdirSpec.isEmpty()) {
            throw new IllegalArgumentException("no run in " + logdir + " has a tensorboard folder and passes the filters");
        }
        List<String> command = List.of("tensorboard", "--logdir_spec", logdirSpec, "--port", Integer.toString(port));
        out.println("Running '" + String.join(" ", command) + "'");
        out.flush();
        if (dryRun) {
            return 0;
        }
        Path tensorboard = onPath("tensorboard");
        if (tensorboard == null) {
            err.println(spec.qualifiedName() + ": tensorboard is not on PATH, so the command above did not run; install "
                    + "TensorBoard (pip install tensorboard), then run it again or run the command above yourself");
            err.flush();
            return 1;
        }
        List<String> run = new ArrayList<>(command);
        run.set(0, tensorboard.toString());
        Process p = new ProcessBuilder(run).inheritIO().start();
        return p.waitFor() == 0 ? 0 : 1;
    }

    /** Python's {@code re.match(regex, str(value))} for each filtered parameter. */
    private static boolean passes(Map<String, Object> row, Map<String, Pattern> filters) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            Pattern p = filters.get(e.getKey());
            if (p != null && !p.matcher(pythonStr(e.getValue())).lookingAt()) {
                return false;
            }
        }
        return true;
    }

    private static String pythonStr(Object v) {
        return v == null ? "None" : CellText.of(v);
    }

    /**
     * Each run's first metadata row (cox reads {@code metadata_df[...][p][0]}, the row labelled 0),
     * with pandas' types: a numeric column some runs lack is float there (NaN), so its integers
     * print as {@code 3.0}.
     */
    static Map<String, Map<String, Object>> firstRows(DataFrame metadata, List<String> params) {
        Series<?> ids = metadata.getColumn(CollectionReader.EXP_ID);
        Map<String, Integer> first = new LinkedHashMap<>();
        for (int i = 0; i < metadata.height(); i++) {
            first.putIfAbsent((String) ids.get(i), i);
        }
        Map<String, Boolean> upcast = new HashMap<>();
        for (String p : params) {
            Series<?> s = metadata.getColumn(p);
            boolean hasNull = false;
            boolean allLong = true;
            for (int i = 0; i < s.size(); i++) {
                Object v = s.get(i);
                hasNull |= v == null;
                allLong &= v == null || v instanceof Long || v instanceof Double;
            }
            upcast.put(p, hasNull && allLong);
        }
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        first.forEach((expId, i) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            for (String p : params) {
                Object v = metadata.getColumn(p).get(i);
                if (v == null) {
                    v = Double.NaN; // pandas fills a missing cell with NaN
                } else if (upcast.get(p) && v instanceof Long l) {
                    v = (double) l;
                }
                row.put(p, v);
            }
            out.put(expId, row);
        });
        return out;
    }

    /** cox's {@code has_tensorboard}: the entries of {@code dir} that are folders holding a {@code tensorboard} entry. */
    static List<String> runsWithTensorBoard(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> Files.isDirectory(p) && Files.exists(p.resolve("tensorboard")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Python's {@code os.path.join(logdir, exp_id)}. */
    static String join(String logdir, String expId) {
        return logdir.isEmpty() || logdir.endsWith("/") ? logdir + expId : logdir + "/" + expId;
    }

    static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
