package cox.readers.filter;

/**
 * A filter's regex ({@code column ~ regex}) that needed more work on one cell than a filter may
 * spend: more than {@link RunFilter#REGEX_STEP_BUDGET} characters read (counting every re-read while
 * the regex engine backtracks), or deeper recursion than the thread's stack holds. Like a
 * {@link FilterSyntaxException}, it is the filter's problem (the user's, hence an
 * {@link IllegalArgumentException}), not the store's: a regex such as {@code (.*.){12}!} backtracks
 * exponentially and would otherwise run for years. The message names the regex, the column, the
 * cell's length and the budget:
 *
 * <pre>{@code
 * the filter's regex '(.*.){8}!' was stopped on column exp_id (a value of 36 characters) after reading
 * 1,000,000 characters, the budget of one match: it backtracks too much (nested repetitions such as
 * (.*)* or (a|a)* do); simplify it
 * }</pre>
 *
 * Immutable.
 */
public final class FilterBudgetException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The regex as written in the filter. */
    private final String regex;
    /** The column whose cell it was matched against. */
    private final String column;

    FilterBudgetException(String message, String regex, String column, Throwable cause) {
        super(message, cause);
        this.regex = regex;
        this.column = column;
    }

    /** @return the regex as written in the filter */
    public String regex() {
        return regex;
    }

    /** @return the column whose cell the regex was matched against (or the literal's text, for a literal operand) */
    public String column() {
        return column;
    }
}
