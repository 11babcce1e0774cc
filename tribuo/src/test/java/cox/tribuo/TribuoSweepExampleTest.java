package cox.tribuo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.readers.CollectionReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples run on a class path without the other kind's Tribuo modules: a classification-only
 * application needs no regression jar, and the other way round.
 */
class TribuoSweepExampleTest {
    /** Tribuo's trainers log each training at INFO; held so the setting stays. */
    static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    @TempDir
    Path runs;

    @Test
    void example_runsWithoutTribuosRegressionModules_andLogsComparableRuns() throws Exception {
        String printed = runWithout("tribuo-regression", "org.tribuo.regression.Regressor", TribuoSweepExample.class);
        assertThat(printed).contains("trainer.optimiser.initialLearningRate", "macroAveragedF1");
        CollectionReader reader = CollectionReader.open(runs);
        DataFrame results = reader.df("results");
        assertThat(results.height()).isEqualTo(6);
        Map<String, List<Object>> evaluations = new TreeMap<>();
        for (int r = 0; r < results.height(); r++) {
            evaluations.computeIfAbsent((String) results.getColumn("exp_id").get(r), k -> new ArrayList<>())
                    .add(results.getColumn("evaluation").get(r));
        }
        assertThat(evaluations).hasSize(3).allSatisfy((run, names) -> assertThat(names).containsExactly("train", "test"));
        // the printed table's evaluation column: its third, a train and a test row per run
        List<String> printedNames = new ArrayList<>();
        for (String line : printed.split("\n")) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length == 5 && cells[0].matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}")) {
                printedNames.add(cells[2]);
            }
        }
        assertThat(printedNames).containsExactlyInAnyOrder("train", "test", "train", "test", "train", "test");
        assertThat(reader.schemas().get("results").differing()).isEmpty();
        assertThat(reader.df("metadata").getColumn("trainer.optimiser.initialLearningRate").toList())
                .containsExactlyInAnyOrder(0.01, 0.1, 1.0);
    }

    @Test
    void regressionExample_runsWithoutTribuosClassificationModules() throws Exception {
        String printed = runWithout("tribuo-classification", "org.tribuo.classification.Label",
                TribuoRegressionExample.class);
        assertThat(printed).contains("averageRMSE", "r2.price");
        DataFrame results = CollectionReader.open(runs).df("results");
        assertThat(results.getColumn("evaluation").toList()).containsExactly("train", "test");
        assertThat(results.getColumnsIndex().toArray()).contains("rmse.price", "mae.price", "r2.price",
                "explainedVariance.price").doesNotContain("accuracy");
        assertThat((double) results.getColumn("r2.price").get(1)).isBetween(0.5, 1.0);
    }

    /**
     * Runs {@code example}'s main on this test's class path minus the jars whose names start with
     * {@code jarPrefix}, checking first that {@code absentClass} cannot be loaded; returns what it printed.
     */
    private String runWithout(String jarPrefix, String absentClass, Class<?> example) throws Exception {
        TRIBUO_LOG.setLevel(Level.WARNING);
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!new File(entry).getName().startsWith(jarPrefix)) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass(absentClass)).isInstanceOf(ClassNotFoundException.class);
            Method main = loader.loadClass(example.getName()).getMethod("main", String[].class);
            PrintStream out = System.out;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[] {runs.toString()});
            } finally {
                System.setOut(out);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
