package cox.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A test that runs real Python (pandas, PyTables): runs with Maven's {@code interop} profile, as
 * core's {@code cox.testing.Interop}, and is reported skipped otherwise.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(named = "cox.interop", matches = "true",
        disabledReason = "interoperability test: run with mvn -Pinterop (needs /usr/bin/python3 with pandas, tables)")
@interface Interop {
}
