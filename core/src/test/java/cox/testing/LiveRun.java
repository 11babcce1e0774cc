package cox.testing;

import cox.store.ColumnType;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A training run written by another process, for the tests of reading while a run is written
 * (cli's commands, web's live page): {@link #start} runs {@link #main} in a child JVM, which opens
 * run {@code expId} of a folder, logs one metadata row, then one row of {@code results} (epoch
 * INT, loss FLOAT, acc FLOAT; also to TensorBoard) every {@code pause} until it is killed. Once
 * the first row is flushed it prints {@code ready}; after each row's {@code flushRow()} returns,
 * that row's epoch ({@code 0}, {@code 1}, ...), one a line.
 *
 * <p>loss follows {@link #loss} with the run's {@code lr} parameter; acc is {@code 1 - loss / 3}.
 */
public final class LiveRun {
    private LiveRun() {
    }

    /**
     * Starts the writer in a child JVM with the test's class path; its standard error goes to the
     * test's.
     *
     * @param folder the storage folder
     * @param expId the run's id
     * @param pause the time between two rows
     * @param metadata the run's parameters, in column order: values Long, Double, String or a List
     *     of Long; {@code lr} is required (a number)
     * @return the process; read its standard output for {@code ready} and the epochs, kill it to end it
     */
    public static Process start(Path folder, String expId, Duration pause, Map<String, ?> metadata) {
        if (!(metadata.get("lr") instanceof Number)) {
            throw new IllegalArgumentException("a live run needs a number lr among its parameters: " + metadata);
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), LiveRun.class.getName(),
                folder.toString(), expId, Long.toString(pause.toNanos())));
        metadata.forEach((name, value) -> cmd.add(encode(name, value)));
        try {
            return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the live run's JVM", e);
        }
    }

    /** The loss of a test run with learning rate {@code lr} at {@code epoch}: from 2.2 down towards 0.2. */
    public static double loss(double lr, long epoch) {
        return 0.2 + 2 * Math.exp(-lr * 10 * epoch);
    }

    /**
     * The child's entry point. Arguments: folder, exp_id, nanoseconds between rows, then one
     * {@code name:kind=value} a parameter (kind {@code int}, {@code float}, {@code str} or
     * {@code ints}, a comma-separated list), as {@link #start} writes them.
     */
    public static void main(String[] args) {
        Path folder = Path.of(args[0]);
        long pauseNanos = Long.parseLong(args[2]);
        Map<String, Object> meta = new LinkedHashMap<>();
        for (int i = 3; i < args.length; i++) {
            decode(args[i], meta);
        }
        double lr = ((Number) meta.get("lr")).doubleValue();
        try (Store store = Store.open(folder, args[1])) {
            store.addTableLikeExample("metadata", meta).appendRow(meta);
            Table results = store.addTable("results",
                    Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT, "acc", ColumnType.FLOAT));
            for (long epoch = 0; ; epoch++) {
                double loss = loss(lr, epoch);
                store.logTableAndTb("results", Map.of("epoch", epoch, "loss", loss, "acc", 1 - loss / 3));
                results.flushRow();
                if (epoch == 0) {
                    System.out.println("ready");
                }
                System.out.println(epoch);
                System.out.flush();
                LockSupport.parkNanos(pauseNanos);
            }
        }
    }

    private static String encode(String name, Object value) {
        if (value instanceof Long l) {
            return name + ":int=" + l;
        }
        if (value instanceof Double d) {
            return name + ":float=" + d;
        }
        if (value instanceof String s) {
            return name + ":str=" + s;
        }
        if (value instanceof List<?> list && list.stream().allMatch(Long.class::isInstance)) {
            List<String> items = list.stream().map(Object::toString).toList();
            return name + ":ints=" + String.join(",", items);
        }
        throw new IllegalArgumentException("parameter " + name + " of a live run is a Long, Double, String or List of Long, not "
                + value);
    }

    private static void decode(String arg, Map<String, Object> meta) {
        int colon = arg.indexOf(':');
        int equals = arg.indexOf('=', colon);
        String name = arg.substring(0, colon);
        String text = arg.substring(equals + 1);
        Object value = switch (arg.substring(colon + 1, equals)) {
            case "int" -> Long.parseLong(text);
            case "float" -> Double.parseDouble(text);
            case "str" -> text;
            case "ints" -> text.isEmpty() ? List.of() : List.of(text.split(",")).stream().map(Long::parseLong).toList();
            default -> throw new IllegalArgumentException("not a live run parameter: " + arg);
        };
        meta.put(name, value);
    }
}
