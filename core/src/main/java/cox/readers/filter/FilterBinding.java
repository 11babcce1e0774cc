package cox.readers.filter;

import cox.readers.filter.FilterNode.Column;
import cox.readers.filter.FilterNode.Literal;
import cox.readers.filter.FilterNode.Operand;
import cox.readers.filter.FilterNode.Word;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Binds a parsed filter to the columns it will read ({@link RunFilter#bind}): a bare word that
 * names a column becomes that column, any other bare word its text; then a comparison of a number
 * column with text that is not a number is refused with a {@link FilterTypeException}.
 */
final class FilterBinding {
    private final String expression;
    private final Set<String> names;
    private final Set<String> numeric;

    private FilterBinding(String expression, Set<String> names, Set<String> numeric) {
        this.expression = expression;
        this.names = names;
        this.numeric = numeric;
    }

    static FilterNode bind(String expression, FilterNode root, Set<String> names, Set<String> numeric) {
        return new FilterBinding(expression, names, numeric).node(root);
    }

    private FilterNode node(FilterNode n) {
        if (n instanceof FilterNode.And a) {
            return new FilterNode.And(node(a.left()), node(a.right()));
        }
        if (n instanceof FilterNode.Or o) {
            return new FilterNode.Or(node(o.left()), node(o.right()));
        }
        if (n instanceof FilterNode.Not x) {
            return new FilterNode.Not(node(x.inner()));
        }
        if (n instanceof FilterNode.Compare c) {
            Operand left = operand(c.left());
            Operand right = operand(c.right());
            String condition = show(left) + " " + c.op().symbol + " " + show(right);
            checkTypes(left, right, condition);
            checkTypes(right, left, condition);
            return new FilterNode.Compare(left, c.op(), right);
        }
        if (n instanceof FilterNode.In in) {
            Operand operand = operand(in.operand());
            if (operand instanceof Column col && numeric.contains(col.name())) {
                for (Object v : in.values()) {
                    if (v instanceof String text && !isNumber(text)) {
                        List<String> shown = new ArrayList<>();
                        for (Object w : in.values()) {
                            shown.add(String.valueOf(w));
                        }
                        throw new FilterTypeException(expression, col.name() + " in (" + String.join(", ", shown) + ")",
                                col.name(), text);
                    }
                }
            }
            return new FilterNode.In(operand, in.values());
        }
        return n; // Matches and Missing read any cell as it is
    }

    private Operand operand(Operand o) {
        if (o instanceof Word w) {
            return names.contains(w.text()) ? new Column(w.text()) : new Literal(w.text());
        }
        return o;
    }

    private static boolean isNumber(String text) {
        return CellComparison.parseNumber(text.strip()) != null;
    }

    private static String show(Operand o) {
        if (o instanceof Column c) {
            return c.name();
        }
        return String.valueOf(o instanceof Literal l ? l.value() : o.value(name -> null));
    }

    /** Refuses {@code column OP text} for a number column and text that is not a number. */
    private void checkTypes(Operand a, Operand b, String condition) {
        if (a instanceof Column col && numeric.contains(col.name()) && b instanceof Literal lit
                && lit.value() instanceof String text && !isNumber(text)) {
            throw new FilterTypeException(expression, condition, col.name(), text);
        }
    }
}
