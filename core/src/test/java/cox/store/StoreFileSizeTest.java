package cox.store;

import static cox.store.ColumnType.FLOAT;
import static cox.store.ColumnType.INT;
import static cox.store.ColumnType.STR;
import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed store.h5 is as small as the file pandas writes for the same rows
 * ({@code HDFStore.append(..., format='table')}): at most 1.1 times its size; while open it is at
 * most about a chunk per table larger than when closed; and {@code h5stat} finds no unaccounted space.
 */
@Interop
class StoreFileSizeTest {
    @TempDir
    Path dir;

    private static final String PANDAS = String.join("\n",
            "import sys, numpy as np, pandas as pd",
            "n = int(sys.argv[2])",
            "i = np.arange(n)",
            "df = pd.DataFrame({'epoch': i, 'loss': 1.0 / (i + 1), 'acc': i * 0.001,",
            "                   'phase': ['train' if k % 3 else 'validation' for k in i]})",
            "with pd.HDFStore(sys.argv[1], mode='w') as s:",
            "    s.append('results', df, format='table')");

    @ParameterizedTest
    @ValueSource(ints = {10, 1000, 100_000})
    void closedStore_isAtMostATenthLargerThanPandasOwn(int n) throws Exception {
        Path pandas = dir.resolve("pandas.h5");
        Python.run(PANDAS, pandas.toString(), Integer.toString(n));
        long pandasSize = Files.size(pandas);
        Path ours;
        long openSize;
        try (Store s = Store.open(dir, "exp")) {
            ours = s.path().resolve("store.h5");
            Table t = s.addTable("results", Schema.of("epoch", INT, "loss", FLOAT, "acc", FLOAT, "phase", STR));
            for (int i = 0; i < n; i++) {
                t.appendRow(Map.of("epoch", i, "loss", 1.0 / (i + 1), "acc", i * 0.001,
                        "phase", i % 3 != 0 ? "train" : "validation"));
            }
            s.sync();
            openSize = Files.size(ours);
        }
        long closedSize = Files.size(ours);
        // the same chunks: 65536 // (8 + 8 + 16 + 10) rows of 42 bytes
        long chunkBytes = 65536 / 42 * 42;
        System.out.printf("%d rows: pandas %d B, cox4j %d B closed, %d B open%n", n, pandasSize, closedSize, openSize);
        assertThat(closedSize).as("%d rows: cox4j %d B, pandas %d B", n, closedSize, pandasSize)
                .isLessThanOrEqualTo(pandasSize * 11 / 10);
        assertThat(openSize).isLessThanOrEqualTo(closedSize + chunkBytes + 2 * 2096);
        String h5stat = Python.run("import subprocess, sys\nprint(subprocess.run(['h5stat', '-S', sys.argv[1]],"
                + " capture_output=True, text=True, check=True).stdout)", ours.toString());
        assertThat(h5stat).contains("Unaccounted space: 0 bytes");
        String check = Python.run(String.join("\n",
                "import sys, pandas as pd",
                "a = pd.read_hdf(sys.argv[1], 'results')",
                "b = pd.read_hdf(sys.argv[2], 'results')",
                "print(a.equals(b), len(a))"), ours.toString(), pandas.toString());
        assertThat(check.strip()).isEqualTo("True " + n);
    }
}
