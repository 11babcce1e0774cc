package consumer;

import cox.exceptions.CoxException;
import cox.exceptions.StoreLockedException;
import cox.readers.CollectionReader;
import cox.readers.DfOptions;
import cox.readers.filter.RunFilter;
import cox.readers.summary.RunSummaries;
import cox.readers.text.CellText;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.store.Table;
import cox.tensorboard.EventFileReader;
import cox.torch.NumpyPickles;
import cox.torch.StateDict;
import cox.torch.Tensor;
import cox.torch.TorchSerialization;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.dflib.DataFrame;

/**
 * Writes and reads a store through cox4j's exported packages only, printing one line per check;
 * any failure is an exception and a non-zero exit. Argument: an empty folder.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args[0]);
        if (!Main.class.getModule().isNamed() || !Store.class.getModule().getName().equals("cox4j.core")) {
            throw new AssertionError("not on the module path: " + Main.class.getModule() + ", " + Store.class.getModule());
        }
        StateDict state = new StateDict();
        state.put("w", Tensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
        try (Store store = Store.open(runs, "exp")) {
            Table t = store.addTable("results", Schema.of("epoch", ColumnType.INT, "loss", ColumnType.FLOAT,
                    "note", ColumnType.STR, "ok", ColumnType.BOOL, "obj", ColumnType.OBJECT,
                    "pick", ColumnType.PICKLE, "state", ColumnType.PYTORCH_STATE));
            for (int e = 0; e < 3; e++) {
                store.logTableAndTb("results", Map.of("loss", 1.0 / (e + 1)));
                t.updateRow(Map.of("epoch", e, "note", "é" + e, "ok", e % 2 == 0,
                        "obj", Map.of("t", Tensor.ofLongs(new long[] {e})), "pick", List.of(e, "x"), "state", state));
                t.flushRow();
            }
            store.tensorboard().addImage("img", new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB), 0);
            try (Store second = Store.open(runs, "exp")) {
                throw new AssertionError("a second writer opened " + second.path());
            } catch (StoreLockedException expected) {
                System.out.println("lock: " + expected.getClass().getSimpleName());
            }
        }
        try (Store store = Store.open(runs, "exp", Mode.READ)) {
            Table t = store.table("results");
            DataFrame df = t.df();
            check(df.height() == 3, "rows " + df.height());
            Object obj = t.getObject((String) df.getColumn("obj").get(2));
            check(obj.equals(Map.of("t", Tensor.ofLongs(new long[] {2}))), "object " + obj);
            check(t.getPickle((String) df.getColumn("pick").get(1)).equals(List.of(1L, "x")), "pickle");
            check(t.getStateDict((String) df.getColumn("state").get(0)).equals(state), "state dict");
            System.out.println("store: " + df.height() + " rows");
        }
        DataFrame all = CollectionReader.open(runs).df("results");
        check(all.height() == 3 && all.getColumnsIndex().contains(CollectionReader.EXP_ID), "collection " + all);
        DataFrame later = CollectionReader.open(runs).df("results", DfOptions.defaults().where(RunFilter.parse("epoch >= 1")));
        check(later.height() == 2, "filtered " + later);
        check(RunSummaries.lastRows(all).height() == 1, "one row per run");
        check(CellText.of(List.of(1e-5, "a")).equals("[1e-05, 'a']"), "Python text");
        System.out.println("reader: " + all.height() + " rows");
        Path events;
        try (Stream<Path> files = Files.list(runs.resolve("exp").resolve("tensorboard"))) {
            events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents.")).findFirst()
                    .orElseThrow();
        }
        System.out.println("tensorboard: " + EventFileReader.readScalars(events).size() + " scalars");
        Path pt = runs.resolve("model.pt");
        TorchSerialization.save(state, pt);
        check(TorchSerialization.load(pt).equals(state), "torch.save round trip");
        check(NumpyPickles.loads(NumpyPickles.dumps(state.get("w"))).equals(state.get("w")), "numpy pickle");
        System.out.println("torch: ok");
        try {
            TorchSerialization.load(runs.resolve("exp").resolve("store.h5"));
            throw new AssertionError("store.h5 read as a torch file");
        } catch (CoxException expected) {
            System.out.println("exceptions: " + expected.getClass().getSimpleName());
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
