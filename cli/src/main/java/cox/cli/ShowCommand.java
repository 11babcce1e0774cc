package cox.cli;

import cox.exceptions.CoxException;
import cox.io.Locations;
import cox.readers.RunStatus;
import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cox show DIR/EXP [TABLE]}: one run's status, then its tables, each with its schema and
 * rows; object cells (OBJECT, PICKLE, PYTORCH_STATE) shown by type and size rather than dumped. A
 * run that cannot be read fails with the reason ({@code cox ls} only says {@code unreadable}).
 */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Show one run's tables: schema and rows. Object cells are shown by type and size.",
        footer = {"", "Examples:", "  cox show runs/5e8e89ce-15ab-453f-b7d4-b24b63ec425c",
            "  cox show runs/5e8e results --rows 5      the run whose exp_id starts with 5e8e"})
final class ShowCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR/EXP", converter = RunsLocation.class,
            description = "A run's folder (a cox store); its name may be cut to a start of the exp_id that names one run in DIR.")
    Path run;

    @Parameters(index = "1", arity = "0..1", paramLabel = "TABLE", description = "Only this table.")
    String table;

    @Option(names = "--rows", paramLabel = "N", defaultValue = "10",
            description = "Rows to show of each table: the first N/2 and the last N/2 (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--all", description = "Show every row.")
    boolean all;

    @Override
    public Integer call() throws IOException {
        Path folder = folder(run.toAbsolutePath().normalize());
        Writer out = spec.commandLine().getOut();
        try (Store store = Store.open(folder.getParent(), Locations.name(folder), Mode.READ)) {
            List<String> names = new ArrayList<>(store.keys());
            if (table != null) {
                if (!names.contains(table)) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "run " + store.expId() + " has no table '"
                            + table + "'; its tables are " + names);
                }
                names = List.of(table);
            }
            out.write("run " + store.expId() + " (" + Locations.text(folder) + "), " + RunStatus.of(folder, Instant.now()).label() + "\n");
            for (String name : names) {
                Table t = store.table(name);
                DataFrame df = t.df();
                out.write("\ntable " + name + ": " + df.height() + (df.height() == 1 ? " row" : " rows") + "\n");
                out.write("schema: " + schemaText(t.schema()) + "\n");
                DataFrame shown = sample(df);
                FrameWriter.table(described(t, shown, store.path().resolve(".table_objects")), out, CellText::of);
                if (shown.height() < df.height()) {
                    out.write("(" + (df.height() - shown.height()) + " rows not shown; --all shows them)\n");
                }
            }
        } catch (CoxException e) {
            throw e.withContext("run " + Locations.name(folder)); // the folder's path is in the message already
        }
        out.flush();
        return 0;
    }

    /**
     * The run's folder: {@code path} if it is a store, else the one run of its parent folder
     * whose exp_id starts with its name ({@code runs/5e8e} for {@code runs/5e8e89ce-...}).
     */
    private Path folder(Path path) {
        if (path.getFileName() != null && Store.isExperiment(path)) {
            return path;
        }
        Path parent = path.getParent();
        boolean folder = isFolder(path);
        if (path.getFileName() == null || folder || parent == null || !Files.isDirectory(parent)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "not a cox store: " + Locations.text(run)
                    + " (a run's folder holds store.h5 or .cox.journal" + (folder ? "; give one of the runs in it)" : ")"));
        }
        try (ReaderSession session = new ReaderSession(spec, parent, false)) {
            return parent.resolve(session.expId(Locations.name(path)));
        }
    }

    /**
     * Whether {@code path} is a folder: on an object store, whose provider calls every path that
     * ends in a slash a folder, one that holds something.
     */
    private static boolean isFolder(Path path) {
        if (path.getFileSystem() == FileSystems.getDefault()) {
            return Files.isDirectory(path);
        }
        try (Stream<Path> children = Files.list(path)) {
            return children.findAny().isPresent();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String schemaText(Schema schema) {
        List<String> parts = new ArrayList<>();
        schema.forEach((c, type) -> parts.add(c + " " + type.pythonName()));
        return String.join(", ", parts);
    }

    private DataFrame sample(DataFrame df) {
        if (all || df.height() <= rows) {
            return df;
        }
        int head = (rows + 1) / 2;
        int tail = rows / 2;
        int[] pick = new int[head + tail];
        for (int i = 0; i < head; i++) {
            pick[i] = i;
        }
        for (int i = 0; i < tail; i++) {
            pick[head + i] = df.height() - tail + i;
        }
        return df.rows(pick).select();
    }

    /** The frame with object columns replaced by a description of each cell. */
    private DataFrame described(Table t, DataFrame df, Path objects) {
        Schema schema = t.schema();
        String[] names = df.getColumnsIndex().toArray();
        Series<?>[] columns = new Series<?>[names.length];
        for (int c = 0; c < names.length; c++) {
            ColumnType type = schema.get(names[c]);
            Series<?> s = df.getColumn(c);
            if (type != null && type.isObject()) {
                String[] text = new String[s.size()];
                for (int r = 0; r < text.length; r++) {
                    text[r] = describeCell(t, type, (String) s.get(r), objects);
                }
                s = Series.of(text);
            }
            columns[c] = s;
        }
        return DataFrame.byColumn(names).of(columns);
    }

    private String describeCell(Table t, ColumnType type, String cell, Path objects) {
        try {
            switch (type) {
                case OBJECT:
                    return cell.isEmpty() ? "None" : CellText.describe(t.getObject(cell));
                case PICKLE:
                    return CellText.describe(t.getPickle(cell)) + ", pickle of " + size(objects, cell);
                default:
                    return "state dict, " + size(objects, cell);
            }
        } catch (RuntimeException e) {
            return "unreadable: " + ErrorText.oneLine(e, DebugOption.isOn(spec));
        }
    }

    private static String size(Path objects, String uid) {
        // PICKLE and PYTORCH_STATE cells name a file in the run's .table_objects folder
        try {
            return bytes(Files.size(objects.resolve(uid)));
        } catch (IOException | RuntimeException e) {
            return "a missing file";
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(java.util.Locale.ROOT, "%.1f kB", n / 1024.0);
        }
        return String.format(java.util.Locale.ROOT, "%.1f MB", n / 1024.0 / 1024.0);
    }
}
