package cox.store.hdf5;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A writer process for {@link LiveAppendIT}: appends rows {@code seq, text} to table "rows" of a
 * store.h5 in small batches, flushing after each as cox4j's flusher does, in chunks of a few rows
 * (the chunk size its options set) so that it writes thousands of chunks in seconds. Midway it writes
 * a long text (the string block widens) and creates a second table, "second", which it then
 * appends to as well.
 *
 * <p>Arguments: the store.h5 path, rows per chunk, rows to write. Prints {@code chunks N} (the
 * chunks of "rows") and {@code done} at the end.
 */
public final class LiveWriter {
    private LiveWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long chunkRows = Long.parseLong(args[1]);
        long total = Long.parseLong(args[2]);
        List<FrameColumn> columns = List.of(new FrameColumn("seq", ColumnKind.INT, "int"),
                new FrameColumn("text", ColumnKind.TEXT, "str"));
        long chunks;
        PandasStoreFile.Options options = PandasStoreFile.Options.DEFAULT.withChunkRows(chunkRows);
        try (PandasStoreFile f = PandasStoreFile.create(file, options)) {
            PandasTable rows = f.createTable("rows", columns, 8, total);
            PandasTable second = null;
            long seq = 0;
            long secondSeq = 0;
            while (seq < total) {
                List<Object[]> batch = new ArrayList<>();
                for (int i = 0; i < 20 && seq < total; i++, seq++) {
                    String text = seq == total / 3 ? "w".repeat(300) : "row-" + seq;
                    batch.add(new Object[] {seq, text});
                }
                rows.append(batch);
                if (seq >= total / 2) {
                    if (second == null) {
                        second = f.createTable("second", columns, 8, 10);
                    }
                    List<Object[]> more = new ArrayList<>();
                    for (int i = 0; i < 5; i++, secondSeq++) {
                        more.add(new Object[] {secondSeq, "s-" + secondSeq});
                    }
                    second.append(more);
                }
                f.flush();
                TimeUnit.MICROSECONDS.sleep(300);
            }
            chunks = (rows.nrows() + chunkRows - 1) / chunkRows;
        }
        System.out.println("chunks " + chunks);
        System.out.println("done");
    }

    /** Starts this main in a child JVM with the test's class path. */
    static Process start(Path file, long chunkRows, long total) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                LiveWriter.class.getName(), file.toString(), Long.toString(chunkRows), Long.toString(total))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }
}
