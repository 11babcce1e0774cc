package cox.exceptions;

/**
 * The root of every exception cox4j raises for a problem with files or their contents, as
 * opposed to a caller's mistake. Messages name the store, file, table, column or value involved
 * and what was expected.
 *
 * <p>Context is added as the exception travels up, without changing its type:
 * <pre>{@code
 * } catch (CoxException e) {
 *     throw e.withContext("experiment " + expId + " of " + folder);
 * }
 * }</pre>
 */
public class CoxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Context prepended by {@link #withContext}, outermost first, each followed by ": ". */
    private String context = "";

    /**
     * @param message what went wrong, naming the file or store and what was expected
     */
    public CoxException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the file or store and what was expected
     * @param cause the underlying failure
     */
    public CoxException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Prepends {@code where} to the message ({@code where + ": " + message}) and returns this
     * same exception, so a caller can say where an error happened without hiding its type.
     *
     * @param where what was being done, e.g. {@code "reading experiment a1 of /runs"}
     * @return this exception
     */
    public CoxException withContext(String where) {
        if (where != null && !where.isEmpty()) {
            synchronized (this) {
                context = where + ": " + context;
            }
        }
        return this;
    }

    /**
     * @return the message without the context added by {@link #withContext}
     */
    public String baseMessage() {
        return super.getMessage();
    }

    @Override
    public synchronized String getMessage() {
        return context + super.getMessage();
    }
}
