package cox.cli;

import cox.readers.CollectionReader;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.dflib.DataFrame;
import org.dflib.Printers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cox demo [DIR]}: cox's README walkthrough in Java. A small sweep minimises
 * {@code f(x) = (x - 2.03)^2 + 3} by gradient descent over step sizes, tolerances and starting
 * points; each run is one store in {@code DIR} with the tables {@code metadata},
 * {@code result} and {@code running_log}. Then a {@link CollectionReader} compares the runs.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run cox's walkthrough: a small sweep of gradient-descent runs, one store each, then compare them.",
        footer = {"", "Examples:", "  cox demo                 log 18 runs into ./cox-demo, then compare them",
            "  cox demo /tmp/sweep      the same, into /tmp/sweep", "  cox ls cox-demo          then look at the runs"})
final class DemoCommand implements Callable<Integer> {
    static final double[] STEP_SIZES = {0.01, 0.1, 0.3};
    static final double[] TOLERANCES = {1e-1, 1e-3};
    static final double[] STARTS = {-10, 0, 10};
    static final int MAX_STEPS = 10_000;

    @Parameters(index = "0", arity = "0..1", defaultValue = "cox-demo", converter = RunsLocation.LocalOnly.class,
            description = "Folder for the stores (default: ${DEFAULT-VALUE}).")
    Path dir;

    PrintStream out = System.out;

    static double f(double x) {
        return (x - 2.03) * (x - 2.03) + 3;
    }

    static double df(double x) {
        return 2 * (x - 2.03);
    }

    @Override
    public Integer call() {
        out.println("Logging " + STEP_SIZES.length * TOLERANCES.length * STARTS.length + " runs into " + dir.toAbsolutePath());
        for (double step : STEP_SIZES) {
            for (double tol : TOLERANCES) {
                for (double start : STARTS) {
                    run(step, tol, start);
                }
            }
        }
        try (CollectionReader reader = CollectionReader.open(dir)) {
            DataFrame metadata = reader.df("metadata");
            DataFrame result = reader.df("result");
            DataFrame runs = result.innerJoin(metadata).on("exp_id").select()
                    .sort(new String[] {"step_size", "tolerance", "initial_x"}, new boolean[] {true, true, true});
            out.println();
            out.println("result, all runs (" + runs.height() + " rows):");
            out.println(Printers.tabular(runs.height() + 1, 40).toString(runs.cols("step_size", "tolerance", "initial_x",
                    "steps", "final_x", "final_opt", "exp_id").select()));
            int best = 0;
            for (int i = 1; i < runs.height(); i++) {
                if (quality(runs, i) < quality(runs, best)) {
                    best = i;
                }
            }
            DataFrame bestRow = runs.rows(best).select();
            out.println();
            out.println("best run's metadata:");
            out.println(Printers.tabular(5, 40).toString(reader.df("metadata").rows(
                    metadata.getColumn("exp_id").toList().indexOf(bestRow.getColumn("exp_id").get(0))).select()));
            out.println();
            out.println("Each run is a folder in " + dir + "; pandas reads them too: pd.read_hdf('" + dir
                    + "/<exp_id>/store.h5', 'result')");
        }
        return 0;
    }

    private static double quality(DataFrame runs, int row) {
        return Math.abs((Double) runs.getColumn("final_x").get(row) - 2.03) + 1e-9 * (Long) runs.getColumn("steps").get(row);
    }

    private void run(double step, double tol, double start) {
        try (Store store = Store.open(dir)) {
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("step_size", step);
            meta.put("tolerance", tol);
            meta.put("initial_x", start);
            meta.put("out_dir", dir.toString());
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            store.addTable("result", Schema.of("final_x", ColumnType.FLOAT, "final_opt", ColumnType.FLOAT,
                    "steps", ColumnType.INT));
            Table log = store.addTable("running_log", Schema.of("current_x", ColumnType.FLOAT, "current_f", ColumnType.FLOAT));
            double x = start;
            int steps = 0;
            while (Math.abs(df(x)) > tol && steps < MAX_STEPS) {
                x -= step * df(x);
                steps++;
                store.logTableAndTb("running_log", Map.of("current_x", x, "current_f", f(x)));
                log.flushRow();
            }
            store.table("result").appendRow(Map.of("final_x", x, "final_opt", f(x), "steps", steps));
        }
    }
}
