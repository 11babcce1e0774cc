package cox.readers.filter;

/**
 * A filter that compares a number column with text that is neither a number nor a column's name
 * ({@code lr == adam}), found when the filter is {@link RunFilter#bind bound} to the columns it
 * will read. Such a comparison is never true, so it would silently answer nothing; it is the
 * user's mistake instead, hence an {@link IllegalArgumentException}. Immutable.
 */
public final class FilterTypeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The number column compared. */
    private final String column;
    /** The text it was compared with. */
    private final String text;

    FilterTypeException(String expression, String condition, String column, String text) {
        super("'" + condition + "' compares the number column '" + column + "' with the text '" + text
                + "', which is not a number and names no column: write a number, or a column's name (in `backquotes` if it"
                + " has odd characters), in: " + expression);
        this.column = column;
        this.text = text;
    }

    /** @return the number column compared */
    public String column() {
        return column;
    }

    /** @return the text it was compared with */
    public String text() {
        return text;
    }
}
