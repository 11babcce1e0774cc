package cox.readers.query;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The columns of {@code --group-by}, found by DfDifferentialTest against pandas: the statistics
 * follow the per-run rows' order (exp_id, the parameters, then the table's columns, as
 * docs/querying.md defines them), and which columns get statistics does not depend on the runs
 * that pass {@code --where} (a parameter only some runs have, or no run passing at all, must not
 * change the columns a script reads).
 */
class GroupColumnsTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void runs() {
        String[] ids = {"a-adam-0", "b-adam-1", "c-sgd-0", "d-sgd-1"};
        for (int i = 0; i < ids.length; i++) {
            try (Store s = Store.open(dir, ids[i])) {
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("lr", 0.1);
                meta.put("optimizer", ids[i].split("-")[1]);
                meta.put("seed", (long) (i % 2));
                Schema schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT);
                if (i == 3) {
                    meta.put("momentum", 0.9);
                    schema = Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "seed", ColumnType.INT,
                            "momentum", ColumnType.FLOAT);
                }
                s.addTable("metadata", schema).appendRow(meta);
                Table results = s.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT));
                for (int e = 0; e < 3; e++) {
                    results.appendRow(Map.of("epoch", (long) e, "loss", 1.0 / (e + 1 + i)));
                }
            }
        }
    }

    private static List<String> columns(RunQuery q) {
        try (CollectionReader reader = CollectionReader.open(dir)) {
            return Arrays.asList(q.run(reader).frame().getColumnsIndex().toArray());
        }
    }

    private static List<String> stats(String... columns) {
        List<String> out = new ArrayList<>(List.of("optimizer", "n"));
        for (String c : columns) {
            for (String s : new String[] {"mean", "std", "sem", "ci95_low", "ci95_high", "min", "max"}) {
                out.add(c + "." + s);
            }
        }
        return out;
    }

    private static RunQuery byOptimizer() {
        return RunQuery.of("results").metadataTable("metadata").groupBy(List.of("optimizer"));
    }

    @Test
    void statistics_followThePerRunRows_parametersBeforeTheTablesColumns() {
        assertThat(columns(byOptimizer())).containsExactlyElementsOf(stats("lr", "seed", "momentum", "epoch", "loss"));
        assertThat(columns(byOptimizer().summary())).startsWith(stats("lr", "seed", "momentum", "epoch.first")
                .toArray(new String[0]));
    }

    @Test
    void statisticsColumns_doNotDependOnTheRunsThatPassWhere() {
        List<String> all = stats("lr", "seed", "momentum", "epoch", "loss");
        assertThat(columns(byOptimizer().where("momentum is missing"))).as("no passing run has momentum")
                .containsExactlyElementsOf(all);
        assertThat(columns(byOptimizer().where("lr > 1"))).as("no run passes").containsExactlyElementsOf(all);
    }
}
