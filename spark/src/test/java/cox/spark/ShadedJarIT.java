package cox.spark;

import static org.assertj.core.api.Assertions.assertThat;

import cox.readers.CollectionReader;
import cox.spark.ml.SubmittedMLApp;
import cox.testing.PythonCoxRuns;
import cox.testing.SweepRuns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipFile;
import org.dflib.DataFrame;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a Spark user takes it: {@code spark-submit --master local[2] --jars
 * cox4j-spark-VERSION-all.jar --class ... app.jar DIR} (Spark's {@code SparkSubmit} run on Spark's
 * own jars only, so every cox4j class comes from the shaded jar), in a separate JVM.
 */
class ShadedJarIT {
    /** The JVM options Spark's launcher gives a driver on Java 17 (JavaModuleOptions). */
    static final List<String> MODULE_OPTIONS = List.of("-XX:+IgnoreUnrecognizedVMOptions",
            "--add-modules=jdk.incubator.vector",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
            "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
            "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true", "--enable-native-access=ALL-UNNAMED");

    @TempDir
    Path tmp;

    @Test
    void shadedJar_hasCox4jAndItsLibraries_butNoSpark() throws IOException {
        try (ZipFile jar = new ZipFile(System.getProperty("cox.shadedJar"))) {
            assertThat(jar.getEntry("cox/spark/CoxDataSource.class")).isNotNull();
            assertThat(jar.getEntry("cox/store/Store.class")).isNotNull();
            assertThat(jar.getEntry("org/dflib/DataFrame.class")).isNotNull();
            assertThat(jar.getEntry("cox/shaded/com/google/protobuf/Message.class")).isNotNull();
            assertThat(jar.getEntry("com/google/protobuf/Message.class")).isNull();
            assertThat(jar.getEntry("org/apache/spark/sql/SparkSession.class")).isNull();
            assertThat(jar.getEntry("cox/spark/ml/CoxMLListener.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/spark/ml/Pipeline.class")).isNull();      // spark-mllib is provided
            assertThat(jar.getEntry("breeze/linalg/DenseVector.class")).isNull();
            assertThat(jar.getEntry("org/slf4j/Logger.class")).isNull();
            assertThat(jar.getEntry("cox/hadoop/HadoopPaths.class")).isNotNull();              // hdfs://, s3a:// ...
            assertThat(jar.getEntry("org/apache/hadoop/fs/FileSystem.class")).isNull();       // Hadoop is Spark's
            String services = new String(jar.getInputStream(
                    jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(services.strip()).isEqualTo("cox.spark.CoxDataSource");
        }
    }

    @Test
    void sparkSubmit_withTheShadedJar_readsARunsFolder() throws Exception {
        Path runs = Files.createDirectories(tmp.resolve("runs"));
        SweepRuns.SPARK.write(runs, "run-%d", 4);
        PythonCoxRuns.copy("exp-0", runs);
        String output = submit(SubmittedApp.class, List.of(), runs.toString());
        // runs 0..3 log 3, 4, 5, 6 rows (sgd, adam, sgd, adam); exp-0 (Python cox, sgd) logs 20
        assertThat(output).contains("rows=38\n").contains("adam=10\n").contains("sgd=28\n");
    }

    /** The listener as a user of spark-submit adds it: by conf, from the shaded jar, Spark ML from Spark's jars. */
    @Test
    void sparkSubmit_withTheListenerInExtraListeners_writesTheRunOfAPipelineFit() throws Exception {
        Path runs = tmp.resolve("ml-runs");
        String output = submit(SubmittedMLApp.class,
                List.of("--conf", "spark.extraListeners=cox.spark.ml.CoxMLListener", "--conf", "spark.cox.ml.dir=" + runs),
                null);
        String expId = output.lines().filter(l -> l.startsWith("run=")).findFirst().orElseThrow().substring(4);
        double auc = Double.parseDouble(output.lines().filter(l -> l.startsWith("auc=")).findFirst().orElseThrow().substring(4));
        try (CollectionReader reader = CollectionReader.open(runs)) {
            assertThat(reader.expIds()).containsExactly(expId);
            DataFrame meta = reader.df("metadata");
            assertThat(meta.getColumn("LogisticRegression.maxIter").get(0)).isEqualTo(4L);
            assertThat(meta.getColumn("stages").get(0)).isEqualTo("VectorAssembler,LogisticRegression");
            assertThat(reader.df("results").getColumn("areaUnderROC").get(0)).isEqualTo(auc);
        }
    }

    /** Runs spark-submit in local[2] with the shaded jar and an app jar of {@code app}; returns its output. */
    private String submit(Class<?> app, List<String> options, String arg) throws Exception {
        Path jar = tmp.resolve(app.getSimpleName() + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            String name = app.getName().replace('.', '/') + ".class";
            out.putNextEntry(new JarEntry(name));
            try (var in = app.getClassLoader().getResourceAsStream(name)) {
                in.transferTo(out);
            }
            out.closeEntry();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(MODULE_OPTIONS);
        command.add("-Xmx1g");
        command.add("-cp");
        command.add(Files.readString(Path.of(System.getProperty("cox.sparkClasspath"))).strip());
        command.addAll(List.of("org.apache.spark.deploy.SparkSubmit", "--master", "local[2]",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=127.0.0.1"));
        command.addAll(options);
        command.addAll(List.of("--jars", System.getProperty("cox.shadedJar"), "--class", app.getName(), jar.toString()));
        if (arg != null) {
            command.add(arg);
        }
        Path log = tmp.resolve(app.getSimpleName() + ".log");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();
        return output;
    }
}
