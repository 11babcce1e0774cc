package cox.cli;

import cox.exceptions.CoxException;
import cox.readers.CollectionReader;
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
 * {@code cox diff DIR EXP1 EXP2}: two runs side by side: their parameters (the metadata table's
 * last row), differing ones first and marked {@code *}, then the last row of each table both
 * runs have.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare two runs: parameters side by side, differing ones first (marked *), "
                + "then the last row of each table both have.",
        footer = {"", "Examples:", "  cox diff runs 5e8e89ce-15ab-453f-b7d4-b24b63ec425c 8667a56b-2850-40ef-a42c-a0487b75317d"})
final class DiffCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Parameters(index = "1", paramLabel = "EXP1", description = "A run's exp_id (its folder name in DIR).")
    String exp1;

    @Parameters(index = "2", paramLabel = "EXP2", description = "Another run's exp_id.")
    String exp2;

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Override
    public Integer call() throws IOException {
        if (exp1.equals(exp2)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "EXP1 and EXP2 are the same run: " + exp1);
        }
        try (ReaderSession session = new ReaderSession(spec, runsDir.dir, false);
             Store a = open(session.reader, exp1);
             Store b = open(session.reader, exp2)) {
            Writer out = spec.commandLine().getOut();
            Map<String, Object> pa = lastRow(a, metadataTable.name);
            Map<String, Object> pb = lastRow(b, metadataTable.name);
            if (pa.isEmpty() && pb.isEmpty()) {
                out.write("neither run has a table '" + metadataTable.name + "'\n");
            } else {
                out.write(metadataTable.name + ": differing parameters first\n");
                side(out, pa, pb);
            }
            for (String t : a.keys()) {
                if (t.equals(metadataTable.name) || !b.keys().contains(t)) {
                    continue;
                }
                long na = a.table(t).nrows();
                long nb = b.table(t).nrows();
                out.write("\n" + t + ": last row (" + exp1 + ": row " + (na - 1) + " of " + na + ", " + exp2 + ": row "
                        + (nb - 1) + " of " + nb + ")\n");
                side(out, lastRow(a, t), lastRow(b, t));
            }
            Set<String> only = new LinkedHashSet<>(a.keys());
            only.removeAll(b.keys());
            Set<String> onlyB = new LinkedHashSet<>(b.keys());
            onlyB.removeAll(a.keys());
            if (!only.isEmpty()) {
                out.write("\nonly in " + exp1 + ": " + String.join(", ", only) + "\n");
            }
            if (!onlyB.isEmpty()) {
                out.write("\nonly in " + exp2 + ": " + String.join(", ", onlyB) + "\n");
            }
            out.flush();
            return 0;
        }
    }

    private Store open(CollectionReader reader, String expId) {
        if (!Store.isExperiment(reader.directory().resolve(expId))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "no run '" + expId + "' in " + reader.directory());
        }
        return reader.store(expId);
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

    /** One row per column: a marker ({@code *} when the values differ), the name, then each run's value. */
    private void side(Writer out, Map<String, Object> a, Map<String, Object> b) throws IOException {
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        List<String> differ = new ArrayList<>();
        List<String> same = new ArrayList<>();
        for (String n : names) {
            boolean equal = a.containsKey(n) && b.containsKey(n) && Objects.deepEquals(a.get(n), b.get(n));
            (equal ? same : differ).add(n);
        }
        List<String> order = new ArrayList<>(differ);
        order.addAll(same);
        String[] mark = new String[order.size()];
        String[] name = new String[order.size()];
        String[] va = new String[order.size()];
        String[] vb = new String[order.size()];
        for (int i = 0; i < order.size(); i++) {
            String n = order.get(i);
            mark[i] = i < differ.size() ? "*" : "";
            name[i] = n;
            va[i] = a.containsKey(n) ? CellText.of(a.get(n)) : "(none)";
            vb[i] = b.containsKey(n) ? CellText.of(b.get(n)) : "(none)";
        }
        DataFrame df = DataFrame.byColumn(" ", "column", exp1, exp2)
                .of(Series.of(mark), Series.of(name), Series.of(va), Series.of(vb));
        FrameWriter.table(df, out, v -> v == null ? "" : v.toString());
    }
}
