package cox.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.TrainingResult;
import ai.djl.training.loss.Loss;
import cox.exceptions.StoreException;
import cox.store.ColumnType;
import cox.store.Mode;
import cox.store.Schema;
import cox.store.Store;
import cox.tensorboard.EventFileReader;
import cox.tensorboard.ScalarEvent;
import cox.torch.StateDict;
import cox.torch.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dflib.DataFrame;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real DJL training run (PyTorch engine, CPU) logged by {@link CoxTrainingListener}: what the
 * store holds is what DJL reported.
 */
@LinuxX64
class CoxTrainingListenerTest {
    private static final int EPOCHS = 3;

    @TempDir
    static Path runs;
    private static Path exp;
    private static MlpTraining.Outcome outcome;

    /** One training, the listener after DJL's defaults, read back by the tests below. */
    @BeforeAll
    static void train() throws Exception {
        try (Store store = Store.open(runs)) {
            exp = store.path();
            outcome = MlpTraining.train(new CoxTrainingListener(store).param("seed", 7).param("dataset", "synthetic"), false,
                    EPOCHS);
        }
    }

    /** The run's store, read-only (a writer would start a new TensorBoard event file). */
    static Store read(Path run) {
        return Store.open(run.getParent(), run.getFileName().toString(), Mode.READ);
    }

    @Test
    void results_holdEachEpochsTrainingResult() {
        try (Store store = read(exp)) {
            DataFrame r = store.table("results").df();
            assertThat(r.getColumnsIndex().toArray()).containsExactly("epoch", "train_loss", "validate_loss",
                    "train_L1Loss", "validate_L1Loss", "epoch_time");
            assertThat(r.height()).isEqualTo(EPOCHS);
            assertThat(outcome.epochs()).hasSize(EPOCHS);
            for (int i = 0; i < EPOCHS; i++) {
                TrainingResult djl = outcome.epochs().get(i);
                assertThat(r.getColumn("epoch").get(i)).isEqualTo((long) djl.getEpoch());
                assertThat(r.getColumn("train_loss").get(i)).isEqualTo((double) djl.getTrainLoss());
                assertThat(r.getColumn("validate_loss").get(i)).isEqualTo((double) djl.getValidateLoss());
                assertThat(r.getColumn("train_L1Loss").get(i)).isEqualTo((double) djl.getTrainEvaluation("L1Loss"));
                assertThat(r.getColumn("validate_L1Loss").get(i)).isEqualTo((double) djl.getValidateEvaluation("L1Loss"));
                assertThat((Double) r.getColumn("epoch_time").get(i)).isPositive();
            }
            assertThat(r.getColumn("epoch").get(EPOCHS - 1)).isEqualTo((long) outcome.last().getEpoch());
            assertThat(r.getColumn("validate_loss").get(EPOCHS - 1)).isEqualTo((double) outcome.last().getValidateLoss());
            // the model learnt something, so the values are not all alike
            assertThat((Double) r.getColumn("train_loss").get(EPOCHS - 1)).isLessThan((Double) r.getColumn("train_loss").get(0));
        }
    }

    @Test
    void metadata_holdsTheSettingsAndTheUsersParams() {
        try (Store store = read(exp)) {
            Schema schema = store.table("metadata").schema();
            DataFrame m = store.table("metadata").df();
            assertThat(m.height()).isEqualTo(1);
            Map<String, Object> row = schema.keySet().stream().collect(Collectors.toMap(c -> c, c -> m.getColumn(c).get(0)));
            assertThat(row).containsEntry("model", "mlp")
                    .containsEntry("parameter_count", 4L * 8 + 8 + 8 + 1)
                    .containsEntry("data_type", "float32")
                    .containsEntry("engine", "PyTorch")
                    .containsEntry("engine_version", "2.7.1")
                    .containsEntry("djl_version", "0.36.0")
                    .containsEntry("devices", "cpu()")
                    .containsEntry("loss", "L2Loss")
                    .containsEntry("loss.weight", 0.5) // DJL's L2Loss is (label - prediction)^2 / 2
                    .containsEntry("evaluators", "L1Loss")
                    .containsEntry("optimizer", "Sgd")
                    .containsEntry("optimizer.weightDecays", 1e-4)
                    .containsEntry("optimizer.clipGrad", -1.0)
                    .containsEntry("optimizer.rescaleGrad", 1.0)
                    .containsEntry("optimizer.momentum", 0.9)
                    .containsEntry("optimizer.learningRateTracker", "FixedTracker")
                    .containsEntry("optimizer.learningRateTracker.value", 0.05)
                    .containsEntry("batch_size", 16L)
                    .containsEntry("seed", 7L)
                    .containsEntry("dataset", "synthetic");
            assertThat((String) row.get("block")).startsWith("SequentialBlock(16, 4)").contains("Linear(16, 8) -> (16, 1)");
            assertThat(schema.type("seed")).isEqualTo(ColumnType.INT);
            assertThat(schema.type("optimizer.momentum")).isEqualTo(ColumnType.FLOAT);
            assertThat(schema.keySet()).doesNotContain("optimizer.numUpdate", "optimizer.updateCounts");
            assertThat(List.copyOf(schema.keySet()).subList(schema.size() - 2, schema.size())).containsExactly("seed", "dataset");
        }
    }

    @Test
    void checkpoints_holdTheTrainedParametersUnderTorchNames() {
        try (Store store = read(exp)) {
            DataFrame c = store.table("checkpoints").df();
            assertThat(c.height()).isEqualTo(1);
            assertThat(c.getColumn("epoch").get(0)).isEqualTo((long) EPOCHS);
            assertThat(c.getColumn("complete").get(0)).isEqualTo(true);
            StateDict dict = store.table("checkpoints").getStateDict((String) c.getColumn("state_dict").get(0));
            assertThat(dict.keySet()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
            String[] djl = {"01Linear_weight", "01Linear_bias", "03Linear_weight", "03Linear_bias"};
            String[] torch = {"0.weight", "0.bias", "2.weight", "2.bias"};
            for (int i = 0; i < djl.length; i++) {
                Tensor t = dict.get(torch[i]);
                assertThat(t.shape()).as(torch[i]).containsExactly(outcome.shapes().get(djl[i]));
                assertThat(t.toFloatArray()).as(torch[i]).containsExactly(outcome.parameters().get(djl[i]));
            }
            assertThat(dict.get("0.weight").shape()).containsExactly(8, 4);
        }
    }

    @Test
    void tensorboard_holdsAScalarPerResultsValue() throws Exception {
        List<Path> events;
        try (Stream<Path> files = Files.list(exp.resolve("tensorboard"))) {
            events = files.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents")).toList();
        }
        assertThat(events).hasSize(1);
        List<ScalarEvent> scalars = EventFileReader.readScalars(events.get(0));
        List<ScalarEvent> trainLoss = scalars.stream().filter(s -> s.tag().equals("results/train_loss")).toList();
        assertThat(trainLoss).extracting(ScalarEvent::step).containsExactly(1L, 2L, 3L);
        for (int i = 0; i < EPOCHS; i++) {
            assertThat(trainLoss.get(i).value()).isEqualTo(outcome.epochs().get(i).getTrainLoss());
        }
        assertThat(scalars).extracting(ScalarEvent::tag).contains("results/validate_loss", "results/train_L1Loss",
                "results/validate_L1Loss", "results/epoch_time");
    }

    @Test
    void listenerBeforeDjlsOwn_batchesAndCheckpointsEveryK_djlNames(@TempDir Path dir) throws Exception {
        MlpTraining.Outcome o;
        Path run;
        try (Store store = Store.open(dir)) {
            run = store.path();
            o = MlpTraining.train(new CoxTrainingListener(store).logBatchesEvery(2).saveParametersEvery(2)
                    .parameterNames(ParameterNames.DJL, n -> "net." + n).syncEachEpoch(false), true, EPOCHS);
        }
        try (Store store = read(run)) {
            // the same values whether DJL's EvaluatorTrainingListener ran before or after it
            DataFrame r = store.table("results").df();
            for (int i = 0; i < EPOCHS; i++) {
                assertThat(r.getColumn("train_loss").get(i)).isEqualTo((double) o.epochs().get(i).getTrainLoss());
                assertThat(r.getColumn("validate_L1Loss").get(i)).isEqualTo((double) o.epochs().get(i).getValidateEvaluation("L1Loss"));
            }
            DataFrame b = store.table("batches").df();
            assertThat(b.getColumnsIndex().toArray()).containsExactly("epoch", "batch", "train_loss", "train_L1Loss");
            int perEpoch = MlpTraining.TRAIN_ROWS / MlpTraining.BATCH;
            assertThat(b.height()).isEqualTo(EPOCHS * perEpoch / 2);
            for (int i = 0; i < b.height(); i++) {
                long batch = (Long) b.getColumn("batch").get(i);
                assertThat(batch).isEqualTo(2L * (i + 1));
                assertThat(b.getColumn("epoch").get(i)).isEqualTo((batch - 1) / perEpoch + 1);
                assertThat((Double) b.getColumn("train_loss").get(i)).as("batch %d", batch)
                        .isCloseTo(o.batchLosses().get((int) batch - 1), offset(1e-5));
            }
            DataFrame c = store.table("checkpoints").df();
            assertThat(c.getColumn("epoch").toList()).containsExactly(2L, 3L);
            assertThat(c.getColumn("complete").toList()).containsExactly(true, true);
            StateDict last = store.table("checkpoints").getStateDict((String) c.getColumn("state_dict").get(1));
            assertThat(last.keySet()).containsExactly("net.01Linear_weight", "net.01Linear_bias", "net.03Linear_weight",
                    "net.03Linear_bias");
            assertThat(last.get("net.03Linear_bias").toFloatArray()).containsExactly(o.parameters().get("03Linear_bias"));
        }
        List<ScalarEvent> scalars;
        try (Stream<Path> files = Files.list(run.resolve("tensorboard"))) {
            scalars = EventFileReader.readScalars(files.filter(f -> f.getFileName().toString().startsWith("events.out"))
                    .findFirst().orElseThrow());
        }
        assertThat(scalars.stream().filter(s -> s.tag().equals("batches/train_loss")).map(ScalarEvent::step).toList())
                .containsExactly(2L, 4L, 6L, 8L, 10L, 12L, 14L, 16L, 18L);
    }

    @Test
    void withoutDjlsEvaluatorListener_resultsHoldEpochAndTimeOnly(@TempDir Path dir) throws Exception {
        // the clock's readings: training begin, then each epoch's start and end of onEpoch; the
        // listener's own work in onEpoch (4 s here) is no epoch's time
        long[] readings = {0, 1_500_000_000L, 5_500_000_000L, 7_000_000_000L, 11_000_000_000L};
        int[] next = {0};
        Path run;
        try (Store store = Store.open(dir)) {
            run = store.path();
            MlpTraining.train(new CoxTrainingListener(store).nanoTime(() -> readings[next[0]++]), false, 2, false);
        }
        try (Store store = read(run)) {
            DataFrame r = store.table("results").df();
            assertThat(r.getColumnsIndex().toArray()).containsExactly("epoch", "epoch_time");
            assertThat(r.getColumn("epoch").toList()).containsExactly(1L, 2L);
            assertThat(r.getColumn("epoch_time").toList()).containsExactly(1.5, 1.5);
            assertThat(store.table("metadata").df().getColumn("evaluators").get(0)).isEqualTo("L1Loss");
        }
    }

    @Test
    void withoutValidationSet_resultsHaveNoValidateColumns(@TempDir Path dir) throws Exception {
        MlpTraining.Outcome o;
        Path run;
        try (Store store = Store.open(dir)) {
            run = store.path();
            o = MlpTraining.train(new CoxTrainingListener(store), false, 2, true, false);
        }
        try (Store store = read(run)) {
            DataFrame r = store.table("results").df();
            assertThat(r.getColumnsIndex().toArray()).containsExactly("epoch", "train_loss", "train_L1Loss", "epoch_time");
            assertThat(r.getColumn("train_loss").get(1)).isEqualTo((double) o.epochs().get(1).getTrainLoss());
        }
    }

    @Test
    void trainingThatThrowsInEpoch2_lastCheckpointIsIncompleteAfterEpoch1(@TempDir Path dir) throws Exception {
        Path run;
        try (Store store = Store.open(dir)) {
            run = store.path();
            int perEpoch = MlpTraining.TRAIN_ROWS / MlpTraining.BATCH;
            // the third batch of epoch 2: two of its batches change the weights first
            assertThatThrownBy(() -> MlpTraining.train(new CoxTrainingListener(store).saveParametersEvery(1), false, EPOCHS,
                    true, true, perEpoch + 3))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the training set fails at batch " + (perEpoch + 3));
        }
        try (Store store = read(run)) {
            assertThat(store.table("results").nrows()).isEqualTo(1);
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
            DataFrame c = store.table("checkpoints").df();
            assertThat(c.getColumnsIndex().toArray()).containsExactly("epoch", "complete", "state_dict");
            // after epoch 1 (saveParametersEvery(1)), then on training end, in the middle of epoch 2
            assertThat(c.getColumn("epoch").toList()).containsExactly(1L, 1L);
            assertThat(c.getColumn("complete").toList()).containsExactly(true, false);
            assertThat(store.table("checkpoints").schema().type("complete")).isEqualTo(ColumnType.BOOL);
        }
    }

    @Test
    void trainerClosedWithoutTraining_writesNothingAndThrowsNothing(@TempDir Path dir) {
        try (Store store = Store.open(dir); Model model = Model.newInstance("mlp")) {
            model.setBlock(new SequentialBlock().add(Linear.builder().setUnits(1).build()));
            CoxTrainingListener never = new CoxTrainingListener(store);
            model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).addTrainingListeners(never)).close();
            CoxTrainingListener initialized = new CoxTrainingListener(store);
            try (Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).addTrainingListeners(initialized))) {
                trainer.initialize(new Shape(2, 3));
            }
            // nothing was trained: no checkpoints table (nor an empty one), and the store is free for a run
            assertThat(store.keys()).isEmpty();
            assertThat(never.failure()).isEmpty();
            assertThat(initialized.failure()).isEmpty();
        }
    }

    @Test
    void saveThatFailsOnTrainingEnd_isKeptAsTheFailureNotThrown(@TempDir Path dir) throws Exception {
        try (Store store = Store.open(dir)) {
            CoxTrainingListener l = new CoxTrainingListener(store).parameterNames(ParameterNames.TORCH, name -> "w");
            MlpTraining.train(l, false, 1); // Trainer.close() returns: DJL frees the trainer
            assertThat(l.failure()).hasValue("CoxTrainingListener could not finish the run in store " + store.path()
                    + " on training end: CoxTrainingListener cannot save the parameters of epoch 1: table 'checkpoints'"
                    + " of store " + store.path() + ", column 'state_dict': DJL parameters '01Linear_weight' and"
                    + " '01Linear_bias' would both be saved as 'w'");
            assertThat(store.keys()).containsExactlyInAnyOrder("metadata", "results"); // no empty checkpoints table
        }
    }

    @Test
    void secondTrainingWithTheSameListener_isRefused(@TempDir Path dir) throws Exception {
        try (Store store = Store.open(dir)) {
            CoxTrainingListener l = new CoxTrainingListener(store);
            MlpTraining.train(l, false, 1);
            assertThatThrownBy(() -> MlpTraining.train(l, false, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("this CoxTrainingListener has logged a training run into store " + store.path()
                            + " already, and one store is one run: use a new listener on a new run (Store.open(dir)"
                            + " makes one)");
            assertThatThrownBy(() -> l.param("seed", 1)).hasMessage("param: the training has begun; configure the listener before it");
        }
    }

    @Test
    void storeThatHoldsARun_isRefusedWhenTheTrainerIsMade(@TempDir Path dir) throws Exception {
        try (Store store = Store.open(dir)) {
            MlpTraining.train(new CoxTrainingListener(store), false, 1);
            // DJL calls onTrainingBegin from the Trainer's constructor: model.newTrainer(config) throws
            assertThatThrownBy(() -> MlpTraining.train(new CoxTrainingListener(store), false, 1))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("store " + store.path() + " holds a training run already (table 'metadata' has a row),"
                            + " and one store is one run: log this training into a new run (Store.open(dir) makes one)");
            assertThat(store.table("metadata").nrows()).isEqualTo(1);
            assertThat(store.table("results").nrows()).isEqualTo(1);
        }
    }

    @Test
    void existingTableWithOtherColumns_isAStoreErrorNamingStoreTableAndColumns(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            store.addTable("metadata", Schema.of("lr", ColumnType.FLOAT));
            assertThatThrownBy(() -> MlpTraining.train(new CoxTrainingListener(store), false, 1))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("store " + store.path() + " has a table 'metadata' already, with columns")
                    .hasMessageContaining("columns only there: [lr FLOAT]")
                    .hasMessageContaining("only here: [model STR, block STR");
        }
    }

    @Test
    void param_refusesValuesNoColumnHolds(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            CoxTrainingListener l = new CoxTrainingListener(store);
            assertThatThrownBy(() -> l.param("layers", List.of(8, 1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("param 'layers': a metadata column holds an integer, float, double, boolean, String,"
                            + " character or enum constant, got java.util.ImmutableCollections$List12 [8, 1]");
            assertThat(l.param("lr", 0.1f).param("nesterov", true)).isSameAs(l);
            assertThatThrownBy(() -> l.logBatchesEvery(-1)).hasMessage("logBatchesEvery: n < 0: -1");
        }
    }
}
