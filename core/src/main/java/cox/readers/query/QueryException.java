package cox.readers.query;

/**
 * A query the runs cannot answer because of how it was asked: a bad or ill-typed filter, an
 * unknown table or column, a baseline that matches no run. The user's mistake, hence an
 * {@link IllegalArgumentException}; the command line exits with 2 (usage) and {@code /api/*}
 * answers 400. {@link #part()} names the part of the query at fault, as the command line's
 * option is named ({@code where}, {@code best}, {@code group-by}, {@code baseline},
 * {@code table}), so that a front end can prefix it ({@code --where: ...}). Immutable.
 */
public final class QueryException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The part of the query at fault. */
    private final String part;

    QueryException(String part, String message) {
        super(message);
        this.part = part;
    }

    QueryException(String part, String message, Throwable cause) {
        super(message, cause);
        this.part = part;
    }

    /** @return the part of the query at fault: where, best, group-by, baseline or table */
    public String part() {
        return part;
    }
}
