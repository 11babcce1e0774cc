package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading takes no global lock: many threads read many stores at once, and one open store's tables
 * from many threads at once, and each gets what a single thread reads.
 */
class ParallelReadTest {
    @TempDir
    Path dir;

    @Test
    void manyThreads_readManyStoresAndOneStoreAtOnce_andAgreeWithOneThread() throws Exception {
        List<Path> files = new ArrayList<>();
        for (int s = 0; s < 12; s++) {
            Path file = dir.resolve("store-" + s + ".h5");
            try (PandasStoreFile f = PandasStoreFile.create(file)) {
                f.createTable("results", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(s, 2000 + s * 500));
                f.createTable("big", PandasStoreFileTest.SCHEMA, 4, 10).append(FormatTest.rows(0, 120_000));
            }
            files.add(file);
        }
        files.add(ForeignFilesTest.fixture(dir, "exp-0.h5"));
        List<String> expected = new ArrayList<>();
        for (Path f : files) {
            expected.add(StoreFuzzer.read(f));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (Path f : files) {
                    results.add(pool.submit(() -> StoreFuzzer.read(f)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(expected.get(i % files.size()));
            }
            // one open file, its tables read from every thread (the big one is read through positional reads)
            try (PandasStoreFile f = PandasStoreFile.open(files.get(3), false)) {
                List<Future<Object[]>> reads = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    String table = i % 2 == 0 ? "big" : "results";
                    int from = i * 37;
                    reads.add(pool.submit(() -> f.table(table).read(from, 1500)));
                }
                for (int i = 0; i < reads.size(); i++) {
                    long[] epoch = (long[]) reads.get(i).get()[0];
                    int first = i % 2 == 0 ? 0 : 3;
                    for (int r = 0; r < epoch.length; r++) {
                        assertThat(epoch[r]).isEqualTo((long) (first + i * 37 + r) * 7 - 3);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
