package cox.djl;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/**
 * A test that trains with DJL's PyTorch engine: it runs where the test class path has libtorch,
 * {@code pytorch-native-cpu}'s {@code linux-x86_64} jar (offline, nothing is downloaded), and is
 * reported skipped on any other system, so {@code mvn -B verify} passes there too.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@EnabledOnOs(value = OS.LINUX, architectures = "amd64",
        disabledReason = "the tests' libtorch is pytorch-native-cpu's linux-x86_64 build")
public @interface LinuxX64 {
}
