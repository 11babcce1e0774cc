package cox.testing;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A sweep of runs cox4j writes, for the tests that read a whole folder (cli's {@code cox sql} and
 * {@code cox export}, spark's data source). Run {@code i} of a sweep has a metadata row (lr
 * {@code 0.1 / (i + 1)}, an optimizer, an OBJECT {@code config}) and {@code 3 + i} rows of results
 * (epoch INT, loss FLOAT, acc FLOAT, phase STR, best BOOL; loss {@code 1 / (row + 1) + i}, NaN at
 * row 1 of run 2); run 3 has an extra column {@code grad_norm}, run 4 logs acc as INT (cox merges
 * it to FLOAT), run 6 has no results table.
 *
 * <p>The components are what the two sweeps the tests read differ in: {@link #COMMAND_LINE} and
 * {@link #SPARK}. Both are written by the one {@link #writeRun}, so that they cannot drift apart
 * in what they share.
 *
 * @param optimizers the optimizer of run {@code i} is {@code optimizers[i % size]}
 * @param layersParameter metadata has an INT column {@code layers} ({@code i % 3 + 1}) and config is
 *     {@code {depth: i, name: "net-i"}}; otherwise config is {@code {depth: i, layers: [64, 32]}}
 * @param accDivisor acc of row {@code r} is {@code r / accDivisor} (as INT, {@code r}, in run 4)
 * @param bestRow the row whose {@code best} is true
 * @param validationPhase the phase of the odd rows (the even ones are {@code train})
 * @param extremeLosses loss is also -0.0 at row 2 of run 2 and +infinity at row 0 of run 5
 * @param sampleColumn results have an OBJECT column {@code sample}: {@code [row, "x" + i]}
 */
public record SweepRuns(List<String> optimizers, boolean layersParameter, double accDivisor, int bestRow,
        String validationPhase, boolean extremeLosses, boolean sampleColumn) {
    /**
     * The sweep the {@code cox sql} and {@code cox export} tests read: three optimizers (sgd, adam,
     * adamw), NaN, -0.0 and infinity among the losses, a phase text with a comma, quotes and a
     * non-ASCII character.
     */
    public static final SweepRuns COMMAND_LINE = new SweepRuns(List.of("sgd", "adam", "adamw"), false, 3.0, 1,
            "validation ✓, \"quoted\"", true, false);

    /** The sweep the Spark data source tests read: two optimizers, a {@code layers} parameter, an OBJECT column in results. */
    public static final SweepRuns SPARK = new SweepRuns(List.of("sgd", "adam"), true, 10.0, 2, "validation ✓", false, true);

    /**
     * Writes runs {@code 0 .. count - 1} into {@code folder}, run {@code i} named
     * {@code String.format(idFormat, i)}, e.g. {@code "run-%02d"}; the folder is made if missing.
     *
     * @return {@code folder}
     */
    public Path write(Path folder, String idFormat, int count) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int i = 0; i < count; i++) {
            writeRun(folder, String.format(idFormat, i), i);
        }
        return folder;
    }

    /** Writes run {@code i} of this sweep as experiment {@code id} of {@code folder}. */
    public void writeRun(Path folder, String id, int i) {
        try (Store s = Store.open(folder, id)) {
            String optimizer = optimizers.get(i % optimizers.size());
            if (layersParameter) {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "layers", ColumnType.INT,
                        "config", ColumnType.OBJECT))
                        .appendRow(Map.of("lr", 0.1 / (i + 1), "optimizer", optimizer, "layers", (long) (i % 3 + 1),
                                "config", Map.of("depth", (long) i, "name", "net-" + i)));
            } else {
                s.addTable("metadata", Schema.of("lr", ColumnType.FLOAT, "optimizer", ColumnType.STR, "config", ColumnType.OBJECT))
                        .appendRow(Map.of("lr", 0.1 / (i + 1), "optimizer", optimizer,
                                "config", Map.of("depth", (long) i, "layers", List.of(64L, 32L))));
            }
            if (i == 6) {
                return;
            }
            Schema.Builder b = Schema.builder().add("epoch", ColumnType.INT).add("loss", ColumnType.FLOAT)
                    .add("acc", i == 4 ? ColumnType.INT : ColumnType.FLOAT).add("phase", ColumnType.STR)
                    .add("best", ColumnType.BOOL);
            if (sampleColumn) {
                b.add("sample", ColumnType.OBJECT);
            }
            if (i == 3) {
                b.add("grad_norm", ColumnType.FLOAT);
            }
            Table t = s.addTable("results", b.build());
            for (int r = 0; r < 3 + i; r++) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", (long) r);
                row.put("loss", loss(i, r));
                row.put("acc", i == 4 ? (Object) (long) r : (Object) (r / accDivisor));
                row.put("phase", r % 2 == 0 ? "train" : validationPhase);
                row.put("best", r == bestRow);
                if (sampleColumn) {
                    row.put("sample", List.of((long) r, "x" + i));
                }
                if (i == 3) {
                    row.put("grad_norm", 0.5 * r);
                }
                t.appendRow(row);
            }
        }
    }

    private double loss(int i, int r) {
        if (i == 2 && r == 1) {
            return Double.NaN;
        }
        if (extremeLosses && i == 2 && r == 2) {
            return -0.0;
        }
        if (extremeLosses && i == 5 && r == 0) {
            return Double.POSITIVE_INFINITY;
        }
        return 1.0 / (r + 1) + i;
    }
}
