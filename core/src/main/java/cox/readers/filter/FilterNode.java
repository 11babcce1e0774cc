package cox.readers.filter;

import cox.readers.text.CellText;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/** A parsed {@link RunFilter}: a tree of predicates over one row's cells. */
sealed interface FilterNode {
    /** Whether the row ({@code column -> value}, null when missing) satisfies this node. */
    boolean test(Function<String, Object> row);

    /** Adds the columns this node reads to {@code out}. */
    void columns(Set<String> out);

    /** A value in a comparison: a column's cell or a literal. */
    sealed interface Operand {
        Object value(Function<String, Object> row);
    }

    record Column(String name) implements Operand {
        @Override
        public Object value(Function<String, Object> row) {
            return row.apply(name);
        }
    }

    record Literal(Object value) implements Operand {
        @Override
        public Object value(Function<String, Object> row) {
            return value;
        }
    }

    /**
     * A bare word on the right of an operator ({@code optimizer == adam}, {@code epoch < epochs}):
     * a column if one has that name once the filter is {@link RunFilter#bind bound}, else the text.
     * Unbound, it is the text.
     */
    record Word(String text) implements Operand {
        @Override
        public Object value(Function<String, Object> row) {
            return text;
        }
    }

    enum Op {
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

        final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(Object left, Object right) {
            switch (this) {
                case EQ:
                    return CellComparison.equal(left, right);
                case NE:
                    return !CellComparison.equal(left, right);
                default:
                    Integer c = CellComparison.compare(left, right);
                    if (c == null) {
                        return false;
                    }
                    return switch (this) {
                        case LT -> c < 0;
                        case LE -> c <= 0;
                        case GT -> c > 0;
                        default -> c >= 0;
                    };
            }
        }
    }

    record And(FilterNode left, FilterNode right) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            return left.test(row) && right.test(row);
        }

        @Override
        public void columns(Set<String> out) {
            left.columns(out);
            right.columns(out);
        }
    }

    record Or(FilterNode left, FilterNode right) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            return left.test(row) || right.test(row);
        }

        @Override
        public void columns(Set<String> out) {
            left.columns(out);
            right.columns(out);
        }
    }

    record Not(FilterNode inner) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            return !inner.test(row);
        }

        @Override
        public void columns(Set<String> out) {
            inner.columns(out);
        }
    }

    /** {@code left OP right}. */
    record Compare(Operand left, Op op, Operand right) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            Object l = left.value(row);
            Object r = right.value(row);
            if (!(left instanceof Literal) && !(right instanceof Literal)
                    && (CellComparison.isNaN(l) || CellComparison.isNaN(r))) {
                return op == Op.NE; // two cells: a NaN is incomparable; only the literal nan equals a NaN
            }
            return op.holds(l, r);
        }

        @Override
        public void columns(Set<String> out) {
            addColumn(left, out);
            addColumn(right, out);
        }
    }

    /** {@code column in (v1, v2, ...)}: equal to one of the values. */
    record In(Operand operand, List<Object> values) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            Object v = operand.value(row);
            for (Object candidate : values) {
                if (CellComparison.equal(v, candidate)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void columns(Set<String> out) {
            addColumn(operand, out);
        }
    }

    /**
     * {@code column ~ regex}: the regex is found somewhere in the cell's {@link CellText text},
     * reading at most {@link RunFilter#REGEX_STEP_BUDGET} characters ({@link BudgetedText}).
     */
    record Matches(Operand operand, Pattern pattern) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            Object v = operand.value(row);
            String column = operand instanceof Column c ? c.name() : null;
            return v != null && BudgetedText.find(pattern, CellText.of(v), RunFilter.REGEX_STEP_BUDGET, column);
        }

        @Override
        public void columns(Set<String> out) {
            addColumn(operand, out);
        }
    }

    /** {@code column is missing}: the row has no such column, or the cell is null. */
    record Missing(Column column) implements FilterNode {
        @Override
        public boolean test(Function<String, Object> row) {
            return row.apply(column.name()) == null;
        }

        @Override
        public void columns(Set<String> out) {
            out.add(column.name());
        }
    }

    private static void addColumn(Operand o, Set<String> out) {
        if (o instanceof Column c) {
            out.add(c.name());
        }
    }
}
