package cox.bench;

import cox.readers.CollectionReader;
import java.nio.file.Path;
import java.util.Locale;
import org.dflib.DataFrame;

/**
 * What a short Java program feels: {@code CollectionReader.open(DIR).df(TABLE)} called a few
 * times in the JVM this main starts, each call timed with its open and close. Prints one line per
 * call, then {@code seconds: S}, the fastest call, which {@code bench/cold} reads (it times the
 * whole process itself).
 *
 * <pre>{@code
 * java cox.bench.FreshJvmDf DIR [TABLE [CALLS]]     # default results, 3 calls
 * }</pre>
 */
public final class FreshJvmDf {
    private FreshJvmDf() {
    }

    /**
     * @param args the collection's folder, the table (default {@code results}), how many calls (default 3)
     */
    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: java cox.bench.FreshJvmDf DIR [TABLE [CALLS]]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        String table = args.length > 1 ? args[1] : "results";
        int calls = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        double best = Double.MAX_VALUE;
        for (int call = 1; call <= calls; call++) {
            long start = System.nanoTime();
            int rows;
            try (CollectionReader reader = CollectionReader.open(dir)) {
                DataFrame df = reader.df(table);
                rows = df.height();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            best = Math.min(best, seconds);
            System.out.printf(Locale.ROOT, "call %d: open + df(%s) + close %.3f s, %d rows%n", call, table, seconds, rows);
        }
        System.out.printf(Locale.ROOT, "seconds: %.3f%n", best);
    }
}
