package cox.readers;

import cox.exceptions.CoxException;
import java.util.Objects;

/**
 * An experiment a {@link CollectionReader} skipped because it could not be read (with
 * {@code skipErrors} on), and why. Python cox prints {@code "Error on exp_id ..."} instead.
 *
 * @param expId the experiment
 * @param table the table being read, or null when the store itself could not be opened
 * @param error what went wrong; its message names the store and the file
 */
public record ReadError(String expId, String table, CoxException error) {
    /**
     * Checks the components.
     *
     * @param expId the experiment
     * @param table the table being read, or null when the store itself could not be opened
     * @param error what went wrong
     * @throws NullPointerException for a required component that is null
     */
    public ReadError {
        Objects.requireNonNull(expId, "expId");
        Objects.requireNonNull(error, "error");
    }

    /** @return the error's message */
    public String reason() {
        return error.getMessage();
    }

    /** @return {@code "EXP_ID: REASON"} */
    @Override
    public String toString() {
        return expId + ": " + reason();
    }
}
