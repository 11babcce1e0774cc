package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Python;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live reads by construction (docs/live-reads.md): while a child JVM appends more than 10,000
 * chunks to a store.h5 (small chunks; the chunk index splits nodes and grows new levels), widens a
 * string column and creates a second table, readers open the file again and again, each reading
 * every table whole: cox4j readers in parallel threads and, with the interop profile, pandas. No
 * read fails, every read is a prefix of the rows ({@code seq == range(n)}), and counts only grow.
 * Readers do not retry.
 */
class LiveAppendIT {
    private static final long CHUNK_ROWS = 2;
    private static final long ROWS = 25_000;

    @TempDir
    Path dir;

    private static final String PANDAS_LOOP = String.join("\n",
            "import os, sys, time, numpy as np, pandas as pd",
            "path, stop = sys.argv[1], sys.argv[2]",
            "end = time.time() + 300",
            "while not os.path.exists(stop) and time.time() < end:",
            "    if not os.path.exists(path):",
            "        continue",
            "    try:",
            "        counts = []",
            "        with pd.HDFStore(path, 'r') as st:",
            "            keys = [k.lstrip('/') for k in st.keys()]",
            "        for k in ['rows', 'second']:",
            "            if k not in keys:",
            "                counts.append(-1)",
            "                continue",
            "            df = pd.read_hdf(path, k)",
            "            seq = df['seq'].to_numpy()",
            "            if not np.array_equal(seq, np.arange(len(seq))):",
            "                bad = int(np.nonzero(seq != np.arange(len(seq)))[0][0])",
            "                print('FAIL', k, 'row', bad, 'holds seq', int(seq[bad]), 'of', len(seq), flush=True)",
            "            counts.append(len(seq))",
            "        print(counts[0], counts[1], flush=True)",
            "    except Exception as e:",
            "        print('FAIL', type(e).__name__, str(e).replace(chr(10), ' ')[-400:], flush=True)");

    @Test
    void readersWhileAWriterAppendsTenThousandChunks_seeGrowingPrefixes_andNeverFail() throws Exception {
        Path file = dir.resolve("store.h5");
        Path stop = dir.resolve("stop");
        Process child = LiveWriter.start(file, CHUNK_ROWS, ROWS);
        List<String> childOut = Collections.synchronizedList(new ArrayList<>());
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    childOut.add(line);
                }
            } catch (Exception ignored) {
                // the child ended
            }
        });
        drain.start();

        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        Map<String, Long> maxSeen = new ConcurrentHashMap<>();
        AtomicInteger javaReads = new AtomicInteger();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            Thread t = new Thread(() -> {
                long[] last = {0, 0};
                while (child.isAlive()) {
                    if (!Files.exists(file)) {
                        continue;
                    }
                    try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
                        String[] names = {"rows", "second"};
                        for (int i = 0; i < 2; i++) {
                            PandasTable table = f.table(names[i]);
                            if (table == null) {
                                continue;
                            }
                            long n = table.nrows();
                            long[] seq = (long[]) table.read(0, (int) n)[0];
                            for (int k = 0; k < n; k++) {
                                if (seq[k] != k) {
                                    failures.add("cox4j: " + names[i] + " row " + k + " holds seq " + seq[k] + " of " + n);
                                    break;
                                }
                            }
                            if (n < last[i]) {
                                failures.add("cox4j: " + names[i] + " shrank from " + last[i] + " to " + n);
                            }
                            last[i] = n;
                            maxSeen.merge("cox4j " + names[i], n, Math::max);
                        }
                        javaReads.incrementAndGet();
                    } catch (RuntimeException e) {
                        failures.add("cox4j: " + e);
                    }
                }
            }, "cox4j reader " + r);
            t.start();
            readers.add(t);
        }
        List<String> pandasLines = Collections.synchronizedList(new ArrayList<>());
        Thread pandas = null;
        if (Boolean.getBoolean("cox.interop")) {
            pandas = new Thread(() -> pandasLines.addAll(List.of(
                    Python.run(PANDAS_LOOP, file.toString(), stop.toString()).split("\n"))));
            pandas.start();
        }

        assertThat(child.waitFor(240, TimeUnit.SECONDS)).as("the writer finishes").isTrue();
        drain.join();
        Files.createFile(stop);
        for (Thread t : readers) {
            t.join();
        }
        if (pandas != null) {
            pandas.join();
        }
        assertThat(childOut).contains("done");
        long chunks = Long.parseLong(childOut.stream().filter(l -> l.startsWith("chunks ")).findFirst().orElseThrow()
                .substring(7));
        assertThat(chunks).isGreaterThanOrEqualTo(10_000);
        assertThat(failures).isEmpty();
        assertThat(javaReads.get()).isGreaterThan(20);
        assertThat(maxSeen.get("cox4j rows")).isPositive();
        assertThat(maxSeen.get("cox4j second")).isPositive();
        if (pandas != null) {
            long[] last = {-1, -1};
            int reads = 0;
            for (String line : pandasLines) {
                if (line.isBlank()) {
                    continue;
                }
                assertThat(line).doesNotStartWith("FAIL");
                String[] counts = line.strip().split(" ");
                for (int i = 0; i < 2; i++) {
                    long n = Long.parseLong(counts[i]);
                    assertThat(n).as("pandas read %d, table %d", reads, i).isGreaterThanOrEqualTo(last[i]);
                    last[i] = n;
                }
                reads++;
            }
            assertThat(reads).isGreaterThan(5);
            assertThat(last[0]).isPositive();
            assertThat(last[1]).isPositive();
        }
        System.out.println("LiveAppendIT: " + chunks + " chunks; cox4j reads " + javaReads.get() + ", largest seen "
                + maxSeen + "; pandas reads " + pandasLines.size());
        // and the closed file: every row, compact
        try (PandasStoreFile f = PandasStoreFile.open(file, false)) {
            long[] seq = (long[]) f.table("rows").read(0, (int) ROWS)[0];
            for (int k = 0; k < ROWS; k++) {
                assertThat(seq[k]).isEqualTo(k);
            }
        }
        assertThat(NativeHdf5.read(file).tables().get("/rows/table").count()).isEqualTo(ROWS);
        assertThat(H5Tools.unaccountedSpace(file)).isZero();
    }
}
