package cox.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one error policy of the reader's threads, and its progress reports. */
class ReaderThreadsTest {
    private static final Path DIR = Path.of("/runs");

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void run_resultsInItemOrder_progressCountsUpToTheTotal(int parallelism) {
        List<int[]> reports = Collections.synchronizedList(new ArrayList<>());
        try (ReaderThreads threads = new ReaderThreads(DIR, parallelism, (step, done, total) -> reports.add(new int[] {done, total}))) {
            List<Integer> items = IntStream.range(0, 50).boxed().toList();
            assertThat(threads.runReporting("squaring", items, i -> i * i))
                    .isEqualTo(IntStream.range(0, 50).map(i -> i * i).boxed().toList());
            assertThat(reports).hasSize(51);
            for (int i = 0; i < reports.size(); i++) {
                assertThat(reports.get(i)).as("report %d", i).containsExactly(i, 50);
            }
            reports.clear();
            assertThat(threads.run(items, i -> -i)).hasSize(50).startsWith(0, -1, -2);
            assertThat(reports).as("run reports nothing").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void run_theEarliestItemsFailureIsThrownAsItIs(int parallelism) {
        IllegalArgumentException third = new IllegalArgumentException("item 3");
        // the later items fail only once item 3 has (whichever thread is faster), so that a later
        // failure cannot stop item 3 before it starts: the test does not depend on the threads' timing
        CountDownLatch thirdFailed = new CountDownLatch(1);
        try (ReaderThreads threads = new ReaderThreads(DIR, parallelism, ProgressListener.NONE)) {
            assertThatThrownBy(() -> threads.run(List.of(1, 2, 3, 4, 5), i -> {
                if (i == 3) {
                    thirdFailed.countDown();
                    throw third;
                }
                if (i > 3) {
                    try {
                        thirdFailed.await(60, TimeUnit.SECONDS); // a hang guard
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalStateException("item " + i);
                }
                return i;
            })).isSameAs(third);
        }
    }

    @Test
    void run_aFailureStopsTheItemsNotYetStarted() {
        List<Integer> started = new ArrayList<>();
        try (ReaderThreads threads = new ReaderThreads(DIR, 1, ProgressListener.NONE)) {
            assertThatThrownBy(() -> threads.runReporting("x", List.of(1, 2, 3, 4), i -> {
                started.add(i);
                if (i == 2) {
                    throw new IllegalStateException("item 2");
                }
                return i;
            })).hasMessage("item 2");
        }
        assertThat(started).containsExactly(1, 2);
    }

    @Test
    void run_afterClose_failsNamingTheFolder() {
        ReaderThreads threads = new ReaderThreads(DIR, 2, ProgressListener.NONE);
        threads.close();
        threads.close();
        assertThatThrownBy(() -> threads.run(List.of(1), i -> i)).isInstanceOf(IllegalStateException.class)
                .hasMessage("collection reader of " + DIR + " is closed");
    }
}
