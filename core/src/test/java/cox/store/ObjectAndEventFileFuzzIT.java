package cox.store;

import static org.assertj.core.api.Assertions.assertThat;

import cox.exceptions.CoxException;
import cox.tensorboard.EventFileReader;
import cox.tensorboard.TensorBoardEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, deliverable 7: seeded damage to the files a store keeps beside its tables, read as
 * the readers read them ({@link StoreFuzzIT} damages the journal, checkpoint and store.h5).
 * Campaigns, each of one file damaged by {@link StoreFuzzIT#mutate} (flip 1 to 4 bytes, zero a
 * block, cut):
 *
 * <ul>
 *   <li>{@code cox4j object}: a PICKLE or PYTORCH_STATE file cox4j wrote (named by its content):
 *       the same value or a cox exception naming the file; never another value.
 *   <li>{@code python object}: the same file under a random UUID4 name, as Python cox names them:
 *       no digest covers it, so another value is possible and counted apart (docs/trust.md).
 *   <li>{@code tensorboard}: the run's event file, read with {@link EventFileReader}: the same
 *       events, the events before a cut (a torn tail), or an event file exception naming the file.
 * </ul>
 *
 * <p>Never an unchecked exception, an error (OutOfMemoryError included) or a read that takes
 * more than 30 s. System properties: {@code cox.fuzz.seed} (default 17), {@code cox.fuzz.sideTrials}
 * per campaign (default 1000).
 */
class ObjectAndEventFileFuzzIT {
    static final long SEED = Long.getLong("cox.fuzz.seed", 17);
    static final int TRIALS = Integer.getInteger("cox.fuzz.sideTrials", 1000);

    @TempDir
    Path dir;

    enum Outcome {
        SAME(true), NAMED_ERROR(true), EVENTS_BEFORE_A_CUT(true), UNCHECKED_FILE_DIFFERENT_VALUE(true),
        DIFFERENT_VALUE(false), UNNAMED_ERROR(false), UNCHECKED_EXCEPTION(false), ERROR(false), HANG(false);

        final boolean allowed;

        Outcome(boolean allowed) {
            this.allowed = allowed;
        }
    }

    @Test
    void damagedObjectAndEventFiles_readTheSame_orANamedError() throws Exception {
        Store store = Store.open(dir, "exp");
        Table objects = store.addTable("objects", Schema.of("pick", Store.PICKLE, "state", Store.PYTORCH_STATE));
        for (int i = 0; i < 3; i++) {
            Map<String, Object> config = new LinkedHashMap<>();
            config.put("epochs", 90L + i);
            config.put("arch", "resnet" + (18 + i));
            config.put("lrs", List.of(0.1, 0.01 * i, -0.0));
            objects.appendRow(Map.of("pick", config, "state", new ObjectColumnsTest.Model()));
        }
        for (int step = 0; step < 200; step++) {
            store.tensorboard().addScalar("results/loss", 1.0 / (step + 1), step);
        }
        List<Object> picks = objects.df().getColumn("pick").toList();
        List<Object> states = objects.df().getColumn("state").toList();
        Path eventFile = store.tensorboard().file();
        store.close();

        Path objectDir = dir.resolve("exp").resolve(".table_objects");
        String pythonPick = "8667a56b-2850-40ef-a42c-a0487b75317d";
        String pythonState = "5b7e0d4c-9a51-4c3e-8f0e-2d6f1a7b9c30";
        Files.copy(objectDir.resolve((String) picks.get(0)), objectDir.resolve(pythonPick));
        Files.copy(objectDir.resolve((String) states.get(0)), objectDir.resolve(pythonState));

        Map<String, Map<Outcome, Integer>> counts = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fuzz-reader");
            t.setDaemon(true);
            return t;
        });
        try (Store r = Store.open(dir, "exp", Mode.READ)) {
            Table t = r.table("objects");
            for (String campaign : List.of("cox4j object", "python object", "tensorboard")) {
                Map<Outcome, Integer> c = counts.computeIfAbsent(campaign, k -> new EnumMap<>(Outcome.class));
                for (int trial = 0; trial < TRIALS; trial++) {
                    Random random = new Random(SEED * 1_000_003L + campaign.hashCode() * 31L + trial);
                    boolean pickle = random.nextBoolean();
                    String uid = campaign.startsWith("python") ? (pickle ? pythonPick : pythonState)
                            : (String) (pickle ? picks : states).get(random.nextInt(3));
                    Path file = campaign.equals("tensorboard") ? eventFile : objectDir.resolve(uid);
                    Supplier<String> read = campaign.equals("tensorboard") ? () -> events(eventFile)
                            : pickle ? () -> String.valueOf(t.getPickle(uid)) : () -> stateText(t, uid);
                    String expected = read.get();
                    byte[] good = Files.readAllBytes(file);
                    String mutation = StoreFuzzIT.mutate(file, random);
                    Outcome o;
                    String detail;
                    Future<String> f = reader.submit(read::get);
                    try {
                        String found = f.get(30, TimeUnit.SECONDS);
                        detail = found;
                        if (found.equals(expected)) {
                            o = Outcome.SAME;
                        } else if (campaign.equals("tensorboard") && mutation.startsWith("cut")
                                && expected.startsWith(found.replaceAll("]$", ""))) {
                            o = Outcome.EVENTS_BEFORE_A_CUT;
                        } else if (campaign.startsWith("python")) {
                            o = Outcome.UNCHECKED_FILE_DIFFERENT_VALUE;
                        } else {
                            o = Outcome.DIFFERENT_VALUE;
                        }
                    } catch (TimeoutException e) {
                        f.cancel(true);
                        o = Outcome.HANG;
                        detail = "no answer in 30 s";
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        detail = cause.toString();
                        o = cause instanceof CoxException ? (cause.getMessage().contains(file.toString())
                                || cause.getMessage().contains(file.getFileName().toString()) ? Outcome.NAMED_ERROR
                                        : Outcome.UNNAMED_ERROR)
                                : cause instanceof Error ? Outcome.ERROR : Outcome.UNCHECKED_EXCEPTION;
                    }
                    c.merge(o, 1, Integer::sum);
                    if (!o.allowed) {
                        failures.add(campaign + " trial " + trial + " (" + mutation + " of " + file.getFileName() + "): " + o
                                + ": " + detail);
                    }
                    Files.write(file, good);
                }
            }
        } finally {
            reader.shutdownNow();
        }
        StringBuilder report = new StringBuilder("side-file fuzz, seed " + SEED + ", " + TRIALS + " trials per campaign:\n");
        for (Map.Entry<String, Map<Outcome, Integer>> e : counts.entrySet()) {
            report.append(String.format("  %-14s %s%n", e.getKey(), new TreeMap<>(e.getValue())));
        }
        System.out.println(report);
        Files.writeString(Path.of("target", "fuzz-side-files.txt"), report);
        assertThat(failures).as("outcomes that are not allowed").isEmpty();
        assertThat(counts.get("cox4j object").getOrDefault(Outcome.NAMED_ERROR, 0)).isPositive();
    }

    private static String stateText(Table t, String uid) {
        StringBuilder sb = new StringBuilder();
        t.getStateDict(uid).forEach((name, tensor) -> sb.append(name).append(java.util.Arrays.toString(tensor.shape()))
                .append(java.util.Arrays.toString(tensor.toDoubleArray())).append(';'));
        return sb.toString();
    }

    private static String events(Path file) {
        List<String> out = new ArrayList<>();
        for (TensorBoardEvent e : EventFileReader.readEvents(file)) {
            out.add(e.toString());
        }
        return out.toString();
    }
}
