package cox.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Marks a test that runs real Python (pandas, PyTables, torch, protobuf): it runs when Maven's
 * {@code interop} profile sets {@code cox.interop=true} (as {@code .ci/run} does) and is
 * reported skipped otherwise.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@EnabledIfSystemProperty(named = "cox.interop", matches = "true",
        disabledReason = "interoperability test: run with mvn -Pinterop (needs /usr/bin/python3 with pandas, tables, torch)")
public @interface Interop {
}
