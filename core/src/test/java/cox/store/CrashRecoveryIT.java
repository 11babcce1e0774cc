package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.testing.Python;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM appends rows and prints each seq once {@code flushRow()} returned; it is killed
 * with SIGKILL at random moments. After every kill the store reopens (APPEND), recovers, and
 * holds every acknowledged row exactly once; with the interop profile, pandas reads it too.
 */
class CrashRecoveryIT {
    static final int KILLS = Integer.getInteger("cox.crash.kills", 30);

    @TempDir
    Path dir;

    @Test
    void sigkillAtRandomMoments_losesNoAcknowledgedRow() throws Exception {
        long seed = Long.getLong("cox.crash.seed", System.nanoTime());
        Random random = new Random(seed);
        boolean pandas = Boolean.getBoolean("cox.interop");
        Set<Long> acknowledged = new HashSet<>();
        long next = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = ChildWriter.start(dir, "exp", next, 0, random.nextInt(3) == 0 ? 50 : 0);
            List<Long> acks = new ArrayList<>();
            Thread readerThread = new Thread(() -> readAcks(child, acks));
            readerThread.start();
            // kill somewhere in the first ~600 ms of writing: open, flusher cycles, widening, all get hit
            long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            synchronized (acks) {
                while (acks.isEmpty() && child.isAlive() && System.nanoTime() < waitUntil) {
                    acks.wait(10);
                }
            }
            Thread.sleep(random.nextInt(600));
            child.destroyForcibly(); // SIGKILL on Linux
            child.waitFor();
            readerThread.join();
            synchronized (acks) {
                acknowledged.addAll(acks);
            }
            try (Store store = Store.open(dir, "exp")) {
                DataFrame df = store.table("rows").df();
                Set<Long> present = new HashSet<>();
                long max = -1;
                for (Object o : df.getColumn("seq")) {
                    long s = (Long) o;
                    if (!present.add(s)) {
                        throw new AssertionError("seq " + s + " is present twice after kill " + kill + " (seed " + seed + ")");
                    }
                    max = Math.max(max, s);
                }
                List<Long> lost = acknowledged.stream().filter(s -> !present.contains(s)).sorted().limit(10).toList();
                assertThat(lost).as("acknowledged rows missing after kill %d (seed %d)", kill, seed).isEmpty();
                assertThat(store.table("rows").nrows()).isEqualTo(df.height());
                next = max + 1;
            }
            if (pandas) {
                String out = Python.run("import sys, pandas as pd\n"
                        + "df = pd.read_hdf(sys.argv[1], 'rows')\n"
                        + "assert df['seq'].is_unique\n"
                        + "print(len(df))\n", dir.resolve("exp/store.h5").toString());
                assertThat(Long.parseLong(out.strip())).isEqualTo(next);
            }
        }
        assertThat(acknowledged).hasSizeGreaterThan(KILLS);
    }

    @Test
    void sigkillWhileLoggingObjects_neverLeavesARowWithoutItsFile() throws Exception {
        Random random = new Random();
        long next = 0;
        for (int kill = 0; kill < 10; kill++) {
            Process child = ChildWriter.start(dir, "objs", next, 0, 0, "objects");
            List<Long> acks = new ArrayList<>();
            Thread readerThread = new Thread(() -> readAcks(child, acks));
            readerThread.start();
            synchronized (acks) {
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (acks.isEmpty() && child.isAlive() && System.nanoTime() < until) {
                    acks.wait(10);
                }
            }
            Thread.sleep(random.nextInt(300));
            child.destroyForcibly();
            child.waitFor();
            readerThread.join();
            try (Store store = Store.open(dir, "objs")) {
                Table t = store.table("rows");
                DataFrame df = t.df();
                for (int r = 0; r < df.height(); r++) {
                    long seq = (Long) df.getColumn("seq").get(r);
                    assertThat(t.getPickle((String) df.getColumn("pick").get(r))).isEqualTo(List.of(seq, "pickled " + seq));
                    assertThat(t.getObject((String) df.getColumn("obj").get(r))).isEqualTo(java.util.Map.of("seq", seq));
                }
                synchronized (acks) {
                    assertThat((long) df.height()).isGreaterThanOrEqualTo(acks.size() + next);
                }
                next = df.height();
            }
        }
    }

    private static void readAcks(Process child, List<Long> acks) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty() || !Character.isDigit(line.charAt(0))) {
                    continue;
                }
                synchronized (acks) {
                    acks.add(Long.parseLong(line));
                    acks.notifyAll();
                }
            }
        } catch (Exception e) {
            // the child was killed mid-line: that line was never acknowledged whole
        }
    }
}
