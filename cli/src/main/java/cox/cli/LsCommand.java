package cox.cli;

import cox.readers.RunInfo;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dflib.DataFrame;
import org.dflib.Series;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cox ls DIR}: one line per experiment: its id, its tables with their row counts, when it
 * was last written, and whether it is {@code running} (a writer holds it), {@code finished}, or
 * unreadable (and why).
 */
@Command(name = "ls", mixinStandardHelpOptions = true,
        description = "List the runs in DIR: tables with row counts, last write, and 'running' for a run a writer holds now.",
        footer = {"", "Examples:", "  cox ls runs", "  cox ls runs --json | jq '.[] | select(.running)'"})
final class LsCommand implements Callable<Integer> {
    static final DateTimeFormatter LOCAL_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Option(names = "--json", description = "Print a JSON array: exp_id, tables (name to rows), last_write (UTC), running, error.")
    boolean json;

    @Override
    public Integer call() {
        try (ReaderSession session = new ReaderSession(spec, runsDir.folderOfRuns(spec), true)) {
            List<RunInfo> runs = session.reader.runs();
            if (json) {
                List<Map<String, Object>> out = new ArrayList<>();
                for (RunInfo r : runs) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("exp_id", r.expId());
                    m.put("tables", r.rows());
                    m.put("last_write", r.lastWrite().toString());
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
                status[i] = r.error() != null ? "unreadable: " + r.error() : r.running() ? "running" : "finished";
            }
            DataFrame df = DataFrame.byColumn("exp_id", "tables (rows)", "last write", "status")
                    .of(Series.of(ids), Series.of(tables), Series.of(times), Series.of(status));
            OutputTarget.write(null, spec.commandLine().getOut(), w -> FrameWriter.table(df, w, s -> s == null ? "" : s.toString()));
            return 0;
        }
    }
}
