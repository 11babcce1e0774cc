package cox.cli;

import cox.exceptions.CoxException;
import cox.readers.query.CellOrder;
import cox.readers.text.CellText;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cox diff DIR EXP EXP [EXP...]}: two or more runs side by side, one column each: their
 * parameters (the metadata table's last row), differing ones first and marked {@code *}, then
 * the last row of each table every run has. A column is headed by the run's label: the shortest
 * start of its exp_id, of at least 8 characters, that names it alone in DIR (so any command takes
 * it back); when a label is shorter than its id, a {@code runs:} block first gives each label's
 * full id.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"Compare two or more runs, one column each: parameters side by side, differing ones first "
                + "(marked *), then the last row of each table every run has.",
            "",
            "Each column is headed by the shortest start of the run's exp_id, of at least 8 characters, that names it "
                + "alone in DIR (every command takes it in place of the whole id); a 'runs:' block first gives each "
                + "label's full exp_id when it is shorter."},
        footer = {"", "Examples:", "  cox diff runs 5e8e89ce-15ab-453f-b7d4-b24b63ec425c 8667a56b",
            "  cox diff runs 5e8e 8667 a0f3       three runs, by the start of each exp_id"})
final class DiffCommand implements Callable<Integer> {
    /** The fewest characters of an exp_id a column label has (unless the id is shorter). */
    static final int LABEL_LENGTH = 8;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Parameters(index = "1..*", arity = "2..*", paramLabel = "EXP",
            description = "Two or more runs, each its exp_id (its folder name in DIR) or a start of it that names one run.")
    List<String> exps;

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Override
    public Integer call() throws IOException {
        try (ReaderSession session = new ReaderSession(spec, runsDir.folderOfRuns(spec), false)) {
            List<String> ids = new ArrayList<>();
            for (String typed : exps) {
                String id = session.expId(typed);
                int before = ids.indexOf(id);
                if (before >= 0) {
                    throw new CommandLine.ParameterException(spec.commandLine(), "'" + exps.get(before) + "' and '" + typed
                            + "' name the same run: " + id);
                }
                ids.add(id);
            }
            List<String> labels = labels(ids, session.reader.expIds());
            List<Store> stores = new ArrayList<>();
            try {
                for (String id : ids) {
                    stores.add(session.reader.store(id));
                }
                write(spec.commandLine().getOut(), ids, labels, stores);
            } finally {
                for (Store s : stores) {
                    s.close();
                }
            }
            return 0;
        }
    }

    private void write(Writer out, List<String> ids, List<String> labels, List<Store> stores) throws IOException {
        if (!labels.equals(ids)) {
            out.write("runs:\n");
            int width = labels.stream().mapToInt(String::length).max().orElse(0);
            for (int i = 0; i < ids.size(); i++) {
                out.write("  " + labels.get(i) + " ".repeat(width - labels.get(i).length()) + "  " + ids.get(i) + "\n");
            }
            out.write("\n");
        }
        String meta = metadataTable.name;
        List<Map<String, Object>> params = new ArrayList<>();
        for (Store s : stores) {
            params.add(lastRow(s, meta));
        }
        if (params.stream().allMatch(Map::isEmpty)) {
            out.write((stores.size() == 2 ? "neither run" : "no run") + " has a table '" + meta + "'\n");
        } else {
            out.write(meta + ": differing parameters first\n");
            side(out, labels, params);
        }
        Set<String> every = new LinkedHashSet<>();
        for (Store s : stores) {
            every.addAll(s.keys());
        }
        Map<String, List<String>> partial = new LinkedHashMap<>(); // the runs having a table, to the tables only they have
        for (String t : every) {
            List<String> having = new ArrayList<>();
            for (int i = 0; i < stores.size(); i++) {
                if (stores.get(i).keys().contains(t)) {
                    having.add(labels.get(i));
                }
            }
            if (having.size() < stores.size()) {
                partial.computeIfAbsent(String.join(", ", having), k -> new ArrayList<>()).add(t);
                continue;
            }
            if (t.equals(meta)) {
                continue;
            }
            List<String> counts = new ArrayList<>();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < stores.size(); i++) {
                long n = stores.get(i).table(t).nrows();
                counts.add(labels.get(i) + ": row " + (n - 1) + " of " + n);
                rows.add(lastRow(stores.get(i), t));
            }
            out.write("\n" + t + ": last row (" + String.join(", ", counts) + ")\n");
            side(out, labels, rows);
        }
        for (Map.Entry<String, List<String>> e : partial.entrySet()) {
            out.write("\nonly in " + e.getKey() + ": " + String.join(", ", e.getValue()) + "\n");
        }
        out.flush();
    }

    /**
     * Each id's label: the shortest start of it, of at least {@value #LABEL_LENGTH} characters
     * (or the whole id), that no other run of the folder starts with.
     */
    static List<String> labels(List<String> ids, List<String> all) {
        List<String> out = new ArrayList<>();
        for (String id : ids) {
            String label = id;
            for (int n = Math.min(LABEL_LENGTH, id.length()); n < id.length(); n++) {
                String start = id.substring(0, n);
                if (all.stream().noneMatch(other -> !other.equals(id) && other.startsWith(start))) {
                    label = start;
                    break;
                }
            }
            out.add(label);
        }
        return out;
    }

    /** The last row of table {@code t}, OBJECT and PICKLE cells decoded; empty if there is no such table or row. */
    private Map<String, Object> lastRow(Store s, String t) {
        Map<String, Object> row = new LinkedHashMap<>();
        if (!s.keys().contains(t)) {
            return row;
        }
        Table table = s.table(t);
        DataFrame df = table.df();
        if (df.height() == 0) {
            return row;
        }
        int last = df.height() - 1;
        table.schema().forEach((c, type) -> {
            Object v = df.getColumn(c).get(last);
            try {
                if (type == cox.store.ColumnType.OBJECT && v instanceof String text && !text.isEmpty()) {
                    v = table.getObject(text);
                } else if (type == cox.store.ColumnType.PICKLE && v instanceof String uid) {
                    v = table.getPickle(uid);
                }
                cox.readers.text.ValueExpansion.check(v); // shown with CellText: unreadable rather than printed without end
            } catch (CoxException | IllegalArgumentException e) {
                v = "unreadable: " + ErrorText.oneLine(e, DebugOption.isOn(spec));
            }
            row.put(c, v);
        });
        return row;
    }

    /** Equal cells: numbers by value (64 and 64.0, as cox df's filters and groups compare them), else deep equality. */
    private static boolean same(Object a, Object b) {
        if (a instanceof Number && b instanceof Number && !CellOrder.isBlank(a) && !CellOrder.isBlank(b)) {
            return CellOrder.compare(a, b, false) == 0;
        }
        return Objects.deepEquals(a, b);
    }

    /** One row per column: a marker ({@code *} when the runs' values differ), the name, then each run's value. */
    private static void side(Writer out, List<String> labels, List<Map<String, Object>> runs) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> r : runs) {
            names.addAll(r.keySet());
        }
        List<String> differ = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (String n : names) {
            boolean equal = true;
            for (Map<String, Object> r : runs) {
                equal &= r.containsKey(n) && same(runs.get(0).get(n), r.get(n));
            }
            (equal ? same : differ).add(n);
        }
        List<String> order = new ArrayList<>(differ);
        order.addAll(same);
        String[] mark = new String[order.size()];
        String[] name = new String[order.size()];
        String[][] values = new String[runs.size()][order.size()];
        for (int i = 0; i < order.size(); i++) {
            String n = order.get(i);
            mark[i] = i < differ.size() ? "*" : "";
            name[i] = n;
            for (int r = 0; r < runs.size(); r++) {
                values[r][i] = runs.get(r).containsKey(n) ? CellText.of(runs.get(r).get(n)) : "(none)";
            }
        }
        // a run labelled "column" must not take the names' heading: a frame's column names are distinct
        List<String> header = new ArrayList<>(List.of(" ", labels.contains("column") ? "column " : "column"));
        List<Series<?>> columns = new ArrayList<>(List.of(Series.of(mark), Series.of(name)));
        for (int r = 0; r < runs.size(); r++) {
            header.add(labels.get(r));
            columns.add(Series.of(values[r]));
        }
        DataFrame df = DataFrame.byColumn(header.toArray(new String[0])).of(columns.toArray(new Series<?>[0]));
        FrameWriter.table(df, out, v -> v == null ? "" : v.toString());
    }
}
