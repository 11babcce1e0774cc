package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pandas, PyTables and h5dump cannot tell a table cox4j writes from the one pandas writes for the
 * same rows ({@code HDFStore.append(..., format='table', index=False)}): the same h5dump header and
 * properties, the same ptdump listing, the same data, but for Python cox's COX_DATA attribute.
 */
@Interop
class PandasEquivalenceTest {
    @TempDir
    Path dir;

    private static final String PANDAS = String.join("\n",
            "import sys, numpy as np, pandas as pd",
            "n = int(sys.argv[2])",
            "i = np.arange(n)",
            "df = pd.DataFrame({'epoch': i * 7 - 3, 'loss': i * 0.25, 'phase': ['p%d' % (k % 13) for k in i],",
            "                   'best': i % 3 == 0, 'acc': -i * 1e-3})",
            "with pd.HDFStore(sys.argv[1], mode='w') as s:",
            "    s.append('results', df, format='table', index=False)");

    private Path ours(int n) {
        Path file = dir.resolve("ours-" + n + ".h5");
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(new Object[] {(long) i * 7 - 3, i * 0.25, "p" + (i % 13), i % 3 == 0, -i * 1e-3});
        }
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            f.createTable("results", PandasStoreFileTest.SCHEMA, RowCodec.widestText(rows, PandasStoreFileTest.SCHEMA),
                    n).append(rows);
        }
        return file;
    }

    private Path pandas(int n) {
        Path file = dir.resolve("pandas-" + n + ".h5");
        Python.run(PANDAS, file.toString(), Integer.toString(n));
        return file;
    }

    /** h5dump's listing without our COX_DATA attribute. */
    private static String withoutCoxData(String dump) {
        int at = dump.indexOf("ATTRIBUTE \"COX_DATA\"");
        if (at < 0) {
            return dump;
        }
        int start = dump.lastIndexOf('\n', at) + 1;
        int end = dump.indexOf("\n      }\n", at) + "\n      }\n".length();
        return dump.substring(0, start) + dump.substring(end);
    }

    @Test
    void h5dumpHeader_isPandasOwn_butForCoxData() {
        for (int n : new int[] {1, 2500, 70_000}) {
            String ours = withoutCoxData(H5Tools.h5dumpHeader(ours(n)));
            assertThat(ours).as("%d rows", n).isEqualTo(H5Tools.h5dumpHeader(pandas(n)));
        }
    }

    @Test
    void ptdump_isPandasOwn_butForCoxData() {
        List<String> ours = new ArrayList<>(H5Tools.ptdump(ours(100)));
        List<String> theirs = H5Tools.ptdump(pandas(100));
        assertThat(ours.removeIf(l -> l.contains("COX_DATA := "))).isTrue();
        ours.replaceAll(l -> l.replace("16 attributes", "15 attributes"));
        assertThat(ours).isEqualTo(theirs);
    }

    @Test
    void data_isPandasOwn() {
        int n = 5000;
        String ours = H5Tools.run("h5dump", "-d", "/results/table", "-b", "LE", "-o", dir.resolve("a.bin").toString(),
                ours(n).toString());
        String theirs = H5Tools.run("h5dump", "-d", "/results/table", "-b", "LE", "-o", dir.resolve("b.bin").toString(),
                pandas(n).toString());
        assertThat(ours.replace("ours-", "")).isEqualTo(theirs.replace("pandas-", ""));
        try {
            assertThat(java.nio.file.Files.readAllBytes(dir.resolve("a.bin")))
                    .isEqualTo(java.nio.file.Files.readAllBytes(dir.resolve("b.bin")));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
