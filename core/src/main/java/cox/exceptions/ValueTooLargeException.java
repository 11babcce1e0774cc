package cox.exceptions;

/**
 * A decoded OBJECT or PICKLE value expands to more than cox4j renders or converts: more elements
 * (containers and values, a shared reference counted each time it is reached, as printing it would)
 * or more characters of text than the limits of {@code cox.readers.text.ValueExpansion}. The message
 * names the limit; a reader adds the store, table, column and row.
 */
public class ValueTooLargeException extends CoxException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what is too large and the limit it exceeds
     */
    public ValueTooLargeException(String message) {
        super(message);
    }
}
