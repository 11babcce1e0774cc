package cox.readers.filter;

/**
 * A filter expression that {@link RunFilter#parse} cannot read: the caller's (or the user's)
 * mistake, hence an {@link IllegalArgumentException}. The message is one line naming the problem
 * and the character, then the expression with a {@code ^} inserted before the offending
 * character:
 *
 * <pre>{@code
 * expected a value after '<' but found ')' at character 6: lr < ^)
 * }</pre>
 *
 * <p>{@link #problem()} and {@link #position()} give the parts separately, for a user interface
 * that draws its own marker. Immutable.
 */
public final class FilterSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The expression as given. */
    private final String expression;
    /** Index of the offending character in {@link #expression}. */
    private final int position;
    /** What is wrong, without the position. */
    private final String problem;

    FilterSyntaxException(String expression, int position, String problem) {
        super(problem + " at character " + (position + 1) + ": " + expression.substring(0, position) + "^"
                + expression.substring(position));
        this.expression = expression;
        this.position = position;
        this.problem = problem;
    }

    /** @return the expression as given */
    public String expression() {
        return expression;
    }

    /**
     * @return the index (0-based) of the offending character in {@link #expression()}; equal to
     *     its length when the expression ended too early
     */
    public int position() {
        return position;
    }

    /** @return what is wrong, without the position and the expression */
    public String problem() {
        return problem;
    }
}
