package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Python;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While a child JVM writes a store, a READ-mode cox4j store (and, with the interop profile,
 * pandas) read it again and again: no read fails and the row counts only grow.
 */
class LiveReadIT {
    @TempDir
    Path dir;

    @Test
    void readersWhileAWriterWrites_neverFail_andCountsOnlyGrow() throws Exception {
        Process child = ChildWriter.start(dir, "exp", 0, 6, 20);
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).startsWith("ready");
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // acknowledgements are not needed here
                }
            } catch (Exception ignored) {
                // the child ended
            }
        });
        drain.start();

        List<String> pandasLines = new ArrayList<>();
        Thread pandas = null;
        if (Boolean.getBoolean("cox.interop")) {
            pandas = new Thread(() -> pandasLines.addAll(List.of(Python.run(String.join("\n",
                    "import sys, time, pandas as pd",
                    "end = time.time() + 4",
                    "while time.time() < end:",
                    "    try:",
                    "        df = pd.read_hdf(sys.argv[1], 'rows')",
                    "        assert df['seq'].tolist() == list(range(len(df))), 'rows out of order'",
                    "        print(len(df))",
                    "    except Exception as e:",
                    "        import traceback; print('FAIL', type(e).__name__, str(e).replace(chr(10), ' ')[-300:], traceback.format_exc().replace(chr(10), ' ')[-600:])"), dir.resolve("exp/store.h5").toString()).split("\n"))));
            pandas.start();
        }

        long last = -1;
        int reads = 0;
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
        while (System.nanoTime() < end) {
            try (Store s = Store.open(dir, "exp", Mode.READ)) {
                Table t = s.table("rows");
                var df = t.df();
                long n = df.height();
                assertThat(n).as("read %d", reads).isGreaterThanOrEqualTo(last);
                if (n > 0) {
                    assertThat(df.getColumn("seq").get((int) n - 1)).isEqualTo(n - 1);
                }
                last = n;
                reads++;
            }
        }
        if (pandas != null) {
            pandas.join();
            long previous = -1;
            for (String line : pandasLines) {
                assertThat(line).doesNotStartWith("FAIL");
                long n = Long.parseLong(line.strip());
                assertThat(n).isGreaterThanOrEqualTo(previous);
                previous = n;
            }
            assertThat(pandasLines).hasSizeGreaterThan(10);
            assertThat(previous).isPositive();
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        drain.join();
        assertThat(reads).isGreaterThan(10);
        assertThat(last).isPositive();
    }
}
