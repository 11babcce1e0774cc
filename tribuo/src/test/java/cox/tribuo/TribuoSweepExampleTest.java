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
import java.util.logging.Level;
import java.util.logging.Logger;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TribuoSweepExampleTest {
    /** Tribuo's trainers log each training at INFO; held so the setting stays. */
    static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    @TempDir
    Path runs;

    /**
     * The example runs on a class path without tribuo-regression-core (or any other regression
     * jar): a classification-only application needs nothing more than its own Tribuo modules.
     */
    @Test
    void example_runsWithoutTribuosRegressionModules_andLogsComparableRuns() throws Exception {
        TRIBUO_LOG.setLevel(Level.WARNING);
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!new File(entry).getName().startsWith("tribuo-regression")) {
                urls.add(new File(entry).toURI().toURL());
            }
        }
        String printed;
        try (URLClassLoader loader = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> loader.loadClass("org.tribuo.regression.Regressor"))
                    .isInstanceOf(ClassNotFoundException.class);
            Method main = loader.loadClass(TribuoSweepExample.class.getName()).getMethod("main", String[].class);
            PrintStream out = System.out;
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            try {
                main.invoke(null, (Object) new String[] {runs.toString()});
            } finally {
                System.setOut(out);
            }
            printed = bytes.toString(StandardCharsets.UTF_8);
        }
        assertThat(printed).contains("trainer.optimiser.initialLearningRate", "macroAveragedF1", "train", "test");
        CollectionReader reader = CollectionReader.open(runs);
        DataFrame results = reader.df("results");
        assertThat(results.height()).isEqualTo(6);
        assertThat(reader.schemas().get("results").differing()).isEmpty();
        assertThat(reader.df("metadata").getColumn("trainer.optimiser.initialLearningRate").toList())
                .containsExactlyInAnyOrder(0.01, 0.1, 1.0);
    }
}
