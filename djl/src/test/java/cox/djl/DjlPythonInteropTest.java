package cox.djl;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.training.TrainingResult;
import cox.store.Store;
import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test that shows the DJL integration is real: a DJL run logged by {@link CoxTrainingListener}
 * read in Python as cox reads a store (pandas over {@code store.h5}, {@code torch.load} of the
 * {@code PYTORCH_STATE} file): the per-epoch metrics equal DJL's {@code TrainingResult}s, and the
 * saved state dict loaded into the equivalent {@code torch.nn.Sequential} predicts what DJL
 * predicted, within 1e-5.
 */
@LinuxX64
@Interop
class DjlPythonInteropTest {
    private static final String SCRIPT = String.join("\n",
            "import sys, os, json",
            "import numpy as np, pandas as pd, torch",
            "exp = sys.argv[1]",
            "want = json.load(open(sys.argv[2]))",
            "h5 = os.path.join(exp, 'store.h5')",
            "meta = pd.read_hdf(h5, 'metadata')",
            "res = pd.read_hdf(h5, 'results')",
            "ckpt = pd.read_hdf(h5, 'checkpoints')",
            "assert len(meta) == 1, meta",
            "m = meta.iloc[0]",
            "assert m['loss'] == 'L2Loss' and m['optimizer'] == 'Sgd', m",
            "assert m['optimizer.learningRateTracker.value'] == 0.05 and m['optimizer.momentum'] == 0.9, m",
            "assert m['batch_size'] == 16 and m['seed'] == 7, m",
            "assert res['epoch'].tolist() == [1, 2, 3], res",
            "for col in ['train_loss', 'validate_loss', 'train_L1Loss', 'validate_L1Loss']:",
            "    got = res[col].tolist()",
            "    assert got == want[col], (col, got, want[col])",
            "assert (res['epoch_time'] > 0).all(), res",
            "assert ckpt['epoch'].tolist() == [3] and ckpt['complete'].tolist() == [True], ckpt",
            "state = torch.load(os.path.join(exp, '.table_objects', ckpt['state_dict'].iloc[-1]), weights_only=True)",
            "net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))",
            "assert list(state.keys()) == list(net.state_dict().keys()), list(state.keys())",
            "for k, v in net.state_dict().items():",
            "    assert state[k].shape == v.shape and state[k].dtype == v.dtype, (k, state[k].shape, v.shape)",
            "net.load_state_dict(state)",
            "with torch.no_grad():",
            "    out = net(torch.tensor(want['input'], dtype=torch.float32)).numpy().ravel()",
            "diff = np.abs(out - np.array(want['predictions'], dtype=np.float32)).max()",
            "assert diff <= 1e-5, (out, want['predictions'], diff)",
            "print('ok', len(res), 'epochs; max prediction difference', diff)");

    @Test
    void pythonReadsDjlsMetricsAndTorchPredictsAsDjl(@TempDir Path runs) throws Exception {
        Path exp;
        MlpTraining.Outcome o;
        try (Store store = Store.open(runs)) {
            exp = store.path();
            o = MlpTraining.train(new CoxTrainingListener(store).param("seed", 7), false, 3);
        }
        StringBuilder json = new StringBuilder("{");
        json.append("\"train_loss\": ").append(list(o.epochs(), "train_loss")).append(", ");
        json.append("\"validate_loss\": ").append(list(o.epochs(), "validate_loss")).append(", ");
        json.append("\"train_L1Loss\": ").append(list(o.epochs(), "train_L1Loss")).append(", ");
        json.append("\"validate_L1Loss\": ").append(list(o.epochs(), "validate_L1Loss")).append(", ");
        List<String> rows = new ArrayList<>();
        for (float[] row : MlpTraining.FIXED_INPUT) {
            rows.add(floats(row));
        }
        json.append("\"input\": [").append(String.join(", ", rows)).append("], ");
        json.append("\"predictions\": ").append(floats(o.predictions())).append("}");
        Path expected = runs.resolve("expected.json");
        Files.writeString(expected, json);
        String out = Python.run(SCRIPT, exp.toString(), expected.toString());
        System.out.println("python: " + out.strip());
        assertThat(out).startsWith("ok 3 epochs");
    }

    /** DJL's value of {@code key} per epoch, each float widened to the double the store holds. */
    private static String list(List<TrainingResult> epochs, String key) {
        List<String> values = new ArrayList<>();
        for (TrainingResult r : epochs) {
            values.add(Double.toString(r.getEvaluations().get(key)));
        }
        return "[" + String.join(", ", values) + "]";
    }

    private static String floats(float[] a) {
        List<String> values = new ArrayList<>();
        for (float f : a) {
            values.add(Float.toString(f));
        }
        return "[" + String.join(", ", values) + "]";
    }
}
