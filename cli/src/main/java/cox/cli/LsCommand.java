package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.RunInfo;
import cox.readers.RunListing;
import cox.readers.ShortRuns;
import cox.readers.SummaryRows;
import cox.readers.summary.RunMetadata;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cox ls DIR}: one line per experiment: its id, its tables with their row counts, when it
 * was last written, and its status in one word ({@code running}, {@code interrupted},
 * {@code closed}, {@code active}, {@code idle} or {@code unreadable}), with {@code short} added for
 * a run with fewer rows in a table than another run of the same parameters apart from
 * {@code seed}. Why a run is unreadable is for {@code cox show}.
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = {"List the runs in DIR: tables with row counts, last write, and status.",
            "",
            "Status: running (a cox4j writer holds the run now), interrupted (a cox4j run no writer holds that was not"
                + " closed cleanly: a crash or kill -9), closed (a cox4j run closed cleanly), and for runs Python cox"
                + " wrote, which carry no such marks, active (written in the last 2 minutes) or idle; unreadable if the"
                + " run cannot be read (cox show DIR/EXP_ID says why).",
            "short is added for a run with fewer rows in a table than another run with the same parameters (the"
                + " metadata table's row) apart from seed; runs without a metadata row are never short."},
        footer = {"", "Examples:", "  cox ls runs",
            "  cox ls runs --json | jq -r '.[] | select(.status == \"interrupted\") | .exp_id'"})
final class LsCommand implements Callable<Integer> {
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @Option(names = "--json", description = "Print a JSON array: exp_id, tables (name to rows), last_write (UTC), status,"
            + " short (the tables the run is short in), running (true for status running), error (why it is unreadable).")
    boolean json;

    @Override
    public Integer call() {
        try (ReaderSession session = new ReaderSession(spec, runsDir.folderOfRuns(spec), true, cache)) {
            // the runs and their metadata rows from one look at each run's files
            RunListing listing = session.reader.listRuns(metadataTable.name, DfOptions.defaults());
            List<RunInfo> runs = listing.runs();
            Map<String, Set<String>> shortIn = shortTables(session.reader, runs, metadataTable.name, listing.rows());
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (RunInfo r : runs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("exp_id", r.expId());
                    m.put("tables", r.rows());
                    m.put("last_write", r.lastWrite().toString());
                    m.put("status", status(r));
                    m.put("short", List.copyOf(shortIn.getOrDefault(r.expId(), Set.of())));
                    m.put("running", r.running());
                    m.put("error", r.error());
                    out.add(m);
                }
                OutputTarget.write(null, spec.commandLine().getOut(), w -> FrameWriter.writeJson(out, w));
                return 0;
            }
            int n = runs.size();
            String[] ids = new String[n];
            String[] tables = new String[n];
            String[] times = new String[n];
            String[] status = new String[n];
            for (int i = 0; i < n; i++) {
                RunInfo r = runs.get(i);
                ids[i] = r.expId();
                List<String> parts = new ArrayList<>();
                r.rows().forEach((t, rows) -> parts.add(t + " " + rows));
                tables[i] = String.join(", ", parts);
                times[i] = r.error() != null && r.lastWrite().getEpochSecond() == 0 ? "" : LOCAL_TIME.format(r.lastWrite());
                status[i] = status(r) + (shortIn.containsKey(r.expId()) ? ", short" : "");
            }
            DataFrame df = DataFrame.byColumn("exp_id", "tables (rows)", "last write", "status")
                    .of(Series.of(ids), Series.of(tables), Series.of(times), Series.of(status));
            OutputTarget.write(null, spec.commandLine().getOut(), w -> FrameWriter.table(df, w, s -> s == null ? "" : s.toString()));
            return 0;
        }
    }

    /** The status word: {@code unreadable} for a run that cannot be read, else its {@link cox.readers.RunStatus}. */
    static String status(RunInfo r) {
        return r.error() != null || r.status() == null ? "unreadable" : r.status().label();
    }

    /**
     * For each short run, the tables (other than the metadata table) it is short in. Reads the
     * metadata table's last row of every run once, from the run summaries where they keep it;
     * unreadable runs are left out.
     */
    static Map<String, Set<String>> shortTables(CollectionReader reader, List<RunInfo> runs, String metadataTable) {
        return shortTables(reader, runs, metadataTable, reader.summaryRows(metadataTable, DfOptions.defaults()));
    }

    /** {@link #shortTables(CollectionReader, List, String)} with the metadata rows the summaries keep, if they answer ({@code kept} not null). */
    static Map<String, Set<String>> shortTables(CollectionReader reader, List<RunInfo> runs, String metadataTable,
            SummaryRows kept) {
        DataFrame rows = kept != null ? kept.rows() : reader.df(metadataTable, DfOptions.defaults().skipErrors(true));
        RunMetadata meta = RunMetadata.of(metadataTable, rows);
        Map<String, Map<String, Object>> parameters = new HashMap<>();
        Series<?> ids = meta.frame().getColumn(CollectionReader.EXP_ID);
        for (int i = 0; i < ids.size(); i++) {
            String id = (String) ids.get(i);
            parameters.put(id, meta.parameters(id));
        }
        Set<String> tableNames = new LinkedHashSet<>();
        runs.forEach(r -> tableNames.addAll(r.rows().keySet()));
        tableNames.remove(metadataTable);
        Map<String, Set<String>> out = new HashMap<>();
        for (String table : tableNames) {
            Map<String, Long> counts = new LinkedHashMap<>();
            for (RunInfo r : runs) {
                Long c = r.rows().get(table);
                if (c != null) {
                    counts.put(r.expId(), c);
                }
            }
            for (String id : ShortRuns.of(parameters, counts)) {
                out.computeIfAbsent(id, k -> new TreeSet<>()).add(table);
            }
        }
        return out;
    }
}
