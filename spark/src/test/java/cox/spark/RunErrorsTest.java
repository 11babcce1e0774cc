package cox.spark;

import static org.assertj.core.api.Assertions.assertThat;

import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreFormatException;
import cox.exceptions.StoreRecoveryException;
import cox.exceptions.UnpicklingException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** Which failures option {@code skipErrors} may skip: an unreadable store, never a failed request. */
class RunErrorsTest {
    @Test
    void storeThatCannotBeRead_isSkippable() {
        assertThat(RunErrors.isStorageFailure(new StoreFormatException("store.h5: bad signature"))).isFalse();
        assertThat(RunErrors.isStorageFailure(new StoreRecoveryException("journal damaged"))).isFalse();
        assertThat(RunErrors.isStorageFailure(new UnpicklingException("bad opcode"))).isFalse();
        assertThat(RunErrors.isStorageFailure(new StoreException("no store in /runs/a"))).isFalse();
        assertThat(RunErrors.isStorageFailure(new StoreFormatException("cannot read", new EOFException("ended")))).isFalse();
        assertThat(RunErrors.isStorageFailure(new CoxIOException("cannot read journal", new NoSuchFileException("j"))))
                .isFalse();
        assertThat(RunErrors.isStorageFailure(new CoxIOException("x", new UncheckedIOException(new FileNotFoundException()))))
                .isFalse();
        assertThat(RunErrors.isStorageFailure(new StoreFormatException("cannot open", new AccessDeniedException("f"))))
                .isFalse();
    }

    @Test
    void failureOfTheStorage_isNeverSkipped() {
        // core wraps a failed read of store.h5 as a format error: its cause tells
        assertThat(RunErrors.isStorageFailure(new StoreFormatException("cannot read store.h5 at address 0",
                new IOException("503 Slow Down")))).isTrue();
        assertThat(RunErrors.isStorageFailure(new CoxIOException("cannot read journal", new ConnectException()))).isTrue();
        assertThat(RunErrors.isStorageFailure(new CoxIOException("x", new UncheckedIOException(new IOException("dead")))))
                .isTrue();
        assertThat(RunErrors.isStorageFailure(new StoreException("x", new InterruptedIOException()))).isTrue();
        assertThat(RunErrors.isStorageFailure(new CoxIOException("interrupted listing"))).isTrue();
    }
}
