package cox.readers.filter;

import cox.readers.text.CellText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.dflib.DataFrame;
import org.dflib.Series;

/**
 * A condition on a row of cells, written as a small expression: what {@code cox df --where}, the
 * web page's filter box and {@link cox.readers.DfOptions#where} take. Python cox has none (its users filter
 * the pandas frame by hand); this grammar is a superset of MLflow's {@code search_runs} filter,
 * which has only {@code AND}.
 *
 * <pre>{@code
 * RunFilter f = RunFilter.parse("optimizer in (adam, sgd) and 0.001 <= lr <= 0.1 and loss != nan");
 * boolean keep = f.test(Map.of("optimizer", "adam", "lr", 0.01, "loss", 0.3));   // true
 * }</pre>
 *
 * <h2>Grammar</h2>
 * <pre>
 * filter     := or
 * or         := and ( 'or' and )*
 * and        := not ( 'and' not )*
 * not        := 'not' not | '(' or ')' | condition
 * condition  := column OP value                 lr &lt; 0.1, optimizer == adam, `a` &lt; `b`
 *             | value OP column [ OP value ]    0.1 &gt; lr, 0.01 &lt;= lr &lt;= 0.1 (a range)
 *             | column ['not'] 'in' '(' value, ... ')'   optimizer in (adam, 'sgd')
 *             | column ['not'] 'in' '[' lo ',' hi ']'    lr in [0.01, 0.1] (lo &lt;= lr &lt;= hi)
 *             | column ('~' | '!~') regex       exp_id ~ ^a1, name ~ 'x y'
 *             | column 'is' ['not'] 'missing'
 * OP         := '==' | '=' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;='
 * </pre>
 * <ul>
 *   <li>Keywords ({@code and or not in is missing true false nan inf}) are case-insensitive.</li>
 *   <li>A <b>column</b> is a bare word — letters, digits and {@code _ . - / :}, not starting with a
 *     digit or sign (so {@code model.lr} and {@code train-loss} need no quotes) — or any name in
 *     backquotes ({@code `min(loss)`}; a backquote inside is doubled).</li>
 *   <li>A <b>value</b> is a number ({@code 3}, {@code -0.5}, {@code 1e-3}, {@code nan},
 *     {@code inf}, {@code -inf}), a string in single or double quotes (backslash escapes
 *     {@code \\ \' \" \n \t}), {@code true}/{@code false}, or a bare word, read as a string (so
 *     {@code optimizer == adam} and {@code exp_id == 5e8e89ce-15ab-453f-b7d4-b24b63ec425c} work).
 *     On the right of an operator a backquoted name is a column: {@code `train_loss` < `val_loss`}.</li>
 *   <li>A <b>regex</b> ({@code ~}) is a Java regular expression, found anywhere in the cell's
 *     {@link CellText text} ({@link java.util.regex.Matcher#find() find} semantics: anchor it with
 *     {@code ^}/{@code $}); unquoted, it runs to the next space or to a {@code )} that closes a
 *     parenthesis opened before it. {@code !~} is {@code not ~}.</li>
 * </ul>
 *
 * <h2>Typing rules</h2>
 * <ul>
 *   <li>Numbers compare as numbers (an INT with a FLOAT exactly: {@code 3 == 3.0}); booleans
 *     compare with booleans, with the strings {@code true}/{@code false} (any case), and with
 *     numbers as 1/0, as in Python.</li>
 *   <li>A string and a number: the string is read as a number if it is one ({@code lr == '0.1'}
 *     matches the FLOAT 0.1, and a STR cell {@code "10"} is {@code > 9}); otherwise the two are
 *     incomparable. Two strings compare as strings (by UTF-16 code unit).</li>
 *   <li>A missing cell (the row has no such column, or its value is null) and a NaN are
 *     incomparable with anything: {@code < <= > >= == ~ in} are false. {@code !=}, {@code !~} and
 *     {@code not in} are always the negation of {@code ==}, {@code ~} and {@code in}, so they
 *     are true there. The one exception: {@code == nan} (the literal) is true for a NaN (and
 *     {@code != nan} false), so {@code loss != nan} drops the runs that diverged; two cells that
 *     are both NaN are not equal ({@code val_acc == val_acc.mean} is false there, as in pandas).
 *     A NaN is not {@code missing}.</li>
 * </ul>
 * Parsing fails only with a {@link FilterSyntaxException} (an {@link IllegalArgumentException}
 * whose one-line message names the problem and marks the character with {@code ^}).
 *
 * <h2>Cost</h2>
 * Every condition but {@code ~} costs a fixed amount per row. A regex is matched by
 * {@code java.util.regex}, which backtracks, so a regex such as {@code (.*.){12}!} would take years
 * on a 36-character exp_id; each match may therefore read at most {@link #REGEX_STEP_BUDGET}
 * characters of its cell (every re-read counts), and a match that needs more, or that recurses
 * deeper than the thread's stack holds, stops the evaluation with a
 * {@link FilterBudgetException} naming the regex, the column and the budget. A linear regex reads
 * each character a few times, so it is stopped only on cells of about a million characters;
 * evaluating throws nothing else.
 *
 * <p>Immutable and thread-safe.
 */
public final class RunFilter {
    /**
     * How many characters one regex match ({@code column ~ regex}, on one cell) may read, counting
     * every re-read of a backtracking match: 1,000,000, a few milliseconds of work. A match that
     * needs more throws a {@link FilterBudgetException}.
     */
    public static final long REGEX_STEP_BUDGET = 1_000_000;

    private static final RunFilter ALL = new RunFilter("", null);

    private final String expression;
    private final FilterNode root;
    private final Set<String> columns;

    private RunFilter(String expression, FilterNode root) {
        this.expression = expression;
        this.root = root;
        Set<String> cols = new LinkedHashSet<>();
        if (root != null) {
            root.columns(cols);
        }
        this.columns = Collections.unmodifiableSet(cols);
    }

    /**
     * Parses a filter expression (grammar above).
     *
     * @param expression the expression, e.g. {@code "lr < 0.1 and optimizer == adam"}
     * @return the filter
     * @throws FilterSyntaxException if it does not follow the grammar, naming the problem and the character
     */
    public static RunFilter parse(String expression) {
        Objects.requireNonNull(expression, "expression");
        return new RunFilter(expression, FilterParser.parse(expression));
    }

    /** @return the filter that every row passes */
    public static RunFilter all() {
        return ALL;
    }

    /**
     * @param other another filter
     * @return a filter that rows pass when they pass both
     */
    public RunFilter and(RunFilter other) {
        Objects.requireNonNull(other, "other");
        if (root == null) {
            return other;
        }
        if (other.root == null) {
            return this;
        }
        return new RunFilter("(" + expression + ") and (" + other.expression + ")", new FilterNode.And(root, other.root));
    }

    /**
     * Whether a row passes.
     *
     * @param row the row's cells: column name to value, null for a column the row lacks
     * @return true if the row satisfies the filter
     * @throws FilterBudgetException if a regex needs more than {@link #REGEX_STEP_BUDGET} steps on a cell
     */
    public boolean test(Function<String, ?> row) {
        Objects.requireNonNull(row, "row");
        if (root == null) {
            return true;
        }
        @SuppressWarnings("unchecked")
        Function<String, Object> cells = (Function<String, Object>) row;
        return root.test(cells);
    }

    /**
     * Whether a row given as a map passes.
     *
     * @param row column name to value; an absent key or a null value is a missing cell
     * @return true if the row satisfies the filter
     * @throws FilterBudgetException if a regex needs more than {@link #REGEX_STEP_BUDGET} steps on a cell
     */
    public boolean test(Map<String, ?> row) {
        Objects.requireNonNull(row, "row");
        return test(row::get);
    }

    /**
     * The rows of {@code df} that pass, in their order. A column the filter names that
     * {@code df} lacks is missing in every row.
     *
     * @param df a data frame
     * @return a new data frame of the passing rows (the same frame if the filter passes everything)
     * @throws FilterBudgetException if a regex needs more than {@link #REGEX_STEP_BUDGET} steps on a cell
     */
    public DataFrame apply(DataFrame df) {
        Objects.requireNonNull(df, "df");
        if (root == null) {
            return df;
        }
        Map<String, Series<?>> present = new java.util.HashMap<>();
        for (String c : columns) {
            if (df.getColumnsIndex().contains(c)) {
                present.put(c, df.getColumn(c));
            }
        }
        int[] row = new int[1];
        Function<String, Object> cells = name -> {
            Series<?> s = present.get(name);
            return s == null ? null : s.get(row[0]);
        };
        int n = df.height();
        int[] keep = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            row[0] = i;
            if (root.test(cells)) {
                keep[k++] = i;
            }
        }
        if (k == n) {
            return df;
        }
        return df.rows(java.util.Arrays.copyOf(keep, k)).select();
    }

    /**
     * This filter bound to the names a frame will have: a bare word on the right of an operator
     * that is one of {@code names} becomes that column ({@code epoch < epochs} compares two
     * columns), any other bare word is text ({@code optimizer == adam}); then a comparison of a
     * column in {@code numeric} with text that is not a number ({@code lr == adam}, which would
     * never hold) is refused.
     *
     * @param names every name a row will have a value for
     * @param numeric the names among them whose values are numbers
     * @return the bound filter ({@link #columns()} then includes the words that became columns)
     * @throws FilterTypeException for a number column compared with text that is not a number
     */
    public RunFilter bind(Set<String> names, Set<String> numeric) {
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(numeric, "numeric");
        if (root == null) {
            return this;
        }
        return new RunFilter(expression, FilterBinding.bind(expression, root, names, numeric));
    }

    /**
     * The values the filter tests {@code column} for equality with ({@code status == runing},
     * {@code optimizer in (adam, sgd)}), so that a caller that knows the values a column can take
     * can warn about one it never takes.
     *
     * @param column a column name
     * @return the literal values compared with it by {@code == != in}, in the order they appear
     */
    public List<Object> valuesComparedWith(String column) {
        Objects.requireNonNull(column, "column");
        List<Object> out = new ArrayList<>();
        if (root != null) {
            collect(root, column, out);
        }
        return out;
    }

    private static void collect(FilterNode n, String column, List<Object> out) {
        if (n instanceof FilterNode.And a) {
            collect(a.left(), column, out);
            collect(a.right(), column, out);
        } else if (n instanceof FilterNode.Or o) {
            collect(o.left(), column, out);
            collect(o.right(), column, out);
        } else if (n instanceof FilterNode.Not x) {
            collect(x.inner(), column, out);
        } else if (n instanceof FilterNode.Compare c && (c.op() == FilterNode.Op.EQ || c.op() == FilterNode.Op.NE)) {
            if (c.left() instanceof FilterNode.Column l && l.name().equals(column) && c.right() instanceof FilterNode.Literal v) {
                out.add(v.value());
            } else if (c.right() instanceof FilterNode.Column r && r.name().equals(column) && c.left() instanceof FilterNode.Literal v) {
                out.add(v.value());
            }
        } else if (n instanceof FilterNode.In in && in.operand() instanceof FilterNode.Column c && c.name().equals(column)) {
            out.addAll(in.values());
        }
    }

    /** @return the columns the filter reads, in the order they appear */
    public Set<String> columns() {
        return columns;
    }

    /** @return the expression as given to {@link #parse} (empty for {@link #all()}) */
    public String expression() {
        return expression;
    }

    /** @return the expression */
    @Override
    public String toString() {
        return expression;
    }
}
