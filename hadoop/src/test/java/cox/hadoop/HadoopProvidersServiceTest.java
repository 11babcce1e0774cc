package cox.hadoop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The one list of Hadoop schemes cox4j serves: the provider subclasses of
 * {@link HadoopFileSystemProvider}, each registered in its {@code META-INF/services} file.
 */
class HadoopProvidersServiceTest {
    private static final String SERVICES = "META-INF/services/java.nio.file.spi.FileSystemProvider";

    @Test
    void theServicesFile_registersEveryProviderClass_andNothingElse() throws IOException, ReflectiveOperationException, java.net.URISyntaxException {
        Set<String> registered = new TreeSet<>();
        // this module's file (the JDK and other jars have one of the same name)
        java.nio.file.Path classes = java.nio.file.Path.of(
                HadoopFileSystemProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (InputStream in = java.nio.file.Files.newInputStream(classes.resolve(SERVICES))) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String name = line.replaceAll("#.*", "").strip();
                if (!name.isEmpty()) {
                    registered.add(name);
                }
            }
        }
        Set<String> providers = new TreeSet<>();
        Set<String> schemes = new TreeSet<>();
        for (Class<?> c : HadoopFileSystemProvider.class.getDeclaredClasses()) {
            if (HadoopFileSystemProvider.class.isAssignableFrom(c) && Modifier.isPublic(c.getModifiers())) {
                providers.add(c.getName());
                schemes.add(((HadoopFileSystemProvider) c.getConstructor().newInstance()).getScheme());
            }
        }
        assertThat(registered).isEqualTo(providers);
        // the schemes the README names, and core's cox.io.Locations names in its message
        assertThat(schemes).isEqualTo(new TreeSet<>(List.of("hdfs", "webhdfs", "viewfs", "s3a", "abfs", "abfss", "gs",
                "o3fs", "ofs")));
    }
}
