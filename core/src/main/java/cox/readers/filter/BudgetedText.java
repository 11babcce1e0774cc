package cox.readers.filter;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One cell's text as a filter's regex reads it: every {@link #charAt} counts one step, and the
 * read after the last step of the budget throws a {@link FilterBudgetException}. Every way
 * {@link java.util.regex.Matcher#find()} looks at the input goes through {@code charAt}, so the
 * count bounds the work of a backtracking match (a linear regex reads each character a few
 * times; {@code (.*.){12}!} re-reads them billions of times). Not thread-safe: one per match.
 */
final class BudgetedText implements CharSequence {
    private final String text;
    private final long budget;
    private final Pattern pattern;
    private final String column;
    private long steps;

    BudgetedText(String text, long budget, Pattern pattern, String column) {
        this.text = text;
        this.budget = budget;
        this.pattern = pattern;
        this.column = column;
    }

    /** Whether {@code pattern} is found in {@code text} within {@code budget} characters read. */
    static boolean find(Pattern pattern, String text, long budget, String column) {
        BudgetedText counted = new BudgetedText(text, budget, pattern, column);
        try {
            return pattern.matcher(counted).find();
        } catch (StackOverflowError e) {
            // java.util.regex recurses once per repetition of a group, so (a|b)* over a long cell
            // overflows the stack; the stack is unwound by now, so going on is safe
            throw counted.exceeded(": it needed deeper recursion than the thread's stack holds (a repeated group such as "
                    + "(a|b)* recurses once per character); simplify it", e);
        }
    }

    @Override
    public char charAt(int index) {
        if (++steps > budget) {
            throw exceeded(" after reading " + String.format(Locale.ROOT, "%,d", budget) + " characters, the budget of one "
                    + "match: it backtracks too much (nested repetitions such as (.*)* or (a|a)* do); simplify it", null);
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end); // only for groups, which a filter never asks for
    }

    @Override
    public String toString() {
        return text;
    }

    private FilterBudgetException exceeded(String why, Throwable cause) {
        String where = column == null ? "a literal" : "column " + column;
        return new FilterBudgetException("the filter's regex '" + pattern.pattern() + "' was stopped on " + where
                + " (a value of " + String.format(Locale.ROOT, "%,d", text.length()) + " characters)" + why,
                pattern.pattern(), column, cause);
    }
}
