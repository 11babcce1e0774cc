package cox.readers.filter;

import cox.readers.filter.FilterNode.Column;
import cox.readers.filter.FilterNode.Literal;
import cox.readers.filter.FilterNode.Op;
import cox.readers.filter.FilterNode.Operand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A recursive-descent parser of the filter grammar {@link RunFilter} documents. Each call to
 * {@link #parse} uses a fresh parser; not thread-safe.
 */
final class FilterParser {
    /** Longest expression accepted, so a hostile one cannot exhaust the stack. */
    static final int MAX_LENGTH = 10_000;
    private static final int MAX_DEPTH = 200;

    private enum Kind { LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, OP, TILDE, NOT_TILDE, STRING, NUMBER, WORD, COLUMN, END }

    private record Token(Kind kind, String text, Object value, int start, int end) {
        boolean isKeyword(String keyword) {
            return kind == Kind.WORD && text.equalsIgnoreCase(keyword);
        }
    }

    private final String src;
    private int pos;
    private Token peeked;
    private int depth;

    private FilterParser(String src) {
        this.src = src;
    }

    static FilterNode parse(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new FilterSyntaxException(expression.substring(0, 40) + "...", 40,
                    "filter is longer than " + MAX_LENGTH + " characters");
        }
        FilterParser p = new FilterParser(expression);
        Token first = p.peek();
        if (first.kind == Kind.END) {
            throw p.error(first.start, "the filter is empty: expected a condition such as lr < 0.1");
        }
        FilterNode node = p.orExpr();
        Token t = p.peek();
        if (t.kind != Kind.END) {
            throw p.error(t.start, "expected 'and', 'or' or the end, but found " + describe(t));
        }
        return node;
    }

    // ------------------------------------------------------------------ grammar

    private FilterNode orExpr() {
        enter();
        FilterNode left = andExpr();
        while (peek().isKeyword("or")) {
            next();
            left = new FilterNode.Or(left, andExpr());
        }
        depth--;
        return left;
    }

    private FilterNode andExpr() {
        FilterNode left = notExpr();
        while (peek().isKeyword("and")) {
            next();
            left = new FilterNode.And(left, notExpr());
        }
        return left;
    }

    private FilterNode notExpr() {
        if (peek().isKeyword("not")) {
            next();
            enter();
            FilterNode inner = notExpr();
            depth--;
            return new FilterNode.Not(inner);
        }
        return atom();
    }

    private FilterNode atom() {
        Token t = peek();
        if (t.kind == Kind.LPAREN) {
            next();
            FilterNode inner = orExpr();
            Token close = next();
            if (close.kind != Kind.RPAREN) {
                throw error(close.start, "expected ')' to close the '(' at character " + (t.start + 1) + ", but found "
                        + describe(close));
            }
            return inner;
        }
        return predicate();
    }

    private FilterNode predicate() {
        Token first = next();
        if (first.kind == Kind.WORD && isReservedWord(first.text) && !isLiteralWord(first.text)) {
            throw error(first.start, "expected a column name, but found the keyword '" + first.text
                    + "' (write `" + first.text + "` for a column of that name)");
        }
        if (first.kind == Kind.COLUMN || first.kind == Kind.WORD && !isLiteralWord(first.text)) {
            return columnPredicate(new Column(first.kind == Kind.COLUMN ? (String) first.value : first.text), first);
        }
        if (first.kind == Kind.NUMBER || first.kind == Kind.STRING || first.kind == Kind.WORD) {
            return literalFirst(first);
        }
        throw error(first.start, "expected a condition such as lr < 0.1, but found " + describe(first));
    }

    /** {@code column OP value}, {@code column in (...)}, {@code column in [lo, hi]}, {@code column ~ re}, {@code column is missing}. */
    private FilterNode columnPredicate(Column column, Token columnToken) {
        Token t = next();
        if (t.kind == Kind.OP) {
            Op op = op(t);
            Operand right = rightOperand(t);
            Token more = peek();
            if (more.kind == Kind.OP) {
                throw error(more.start, "a range needs a value on the left: write 0.01 <= " + columnToken.text
                        + " <= 0.1, or " + columnToken.text + " in [0.01, 0.1]");
            }
            return new FilterNode.Compare(column, op, right);
        }
        if (t.kind == Kind.TILDE || t.kind == Kind.NOT_TILDE) {
            FilterNode m = new FilterNode.Matches(column, regex(t));
            return t.kind == Kind.TILDE ? m : new FilterNode.Not(m);
        }
        if (t.isKeyword("in")) {
            return in(column, t);
        }
        if (t.isKeyword("not")) {
            Token in = next();
            if (!in.isKeyword("in")) {
                throw error(in.start, "expected 'in' after 'not', but found " + describe(in));
            }
            return new FilterNode.Not(in(column, in));
        }
        if (t.isKeyword("is")) {
            Token w = next();
            boolean negated = false;
            if (w.isKeyword("not")) {
                negated = true;
                w = next();
            }
            if (!w.isKeyword("missing")) {
                throw error(w.start, "expected 'missing' after 'is" + (negated ? " not" : "") + "', but found " + describe(w));
            }
            FilterNode m = new FilterNode.Missing(column);
            return negated ? new FilterNode.Not(m) : m;
        }
        throw error(t.start, "expected an operator (==, !=, <, <=, >, >=, ~, !~, in, is missing) after "
                + describe(columnToken) + ", but found " + describe(t));
    }

    /** {@code value OP column [OP value]}: a flipped comparison or a range. */
    private FilterNode literalFirst(Token first) {
        Literal left = new Literal(literalValue(first));
        Token opToken = next();
        if (opToken.kind != Kind.OP) {
            throw error(opToken.start, "expected a comparison (==, !=, <, <=, >, >=) after the value " + first.text
                    + ", but found " + describe(opToken));
        }
        Op op = op(opToken);
        Token c = next();
        if (!(c.kind == Kind.COLUMN || c.kind == Kind.WORD && !isReservedWord(c.text))) {
            throw error(c.start, "expected a column name after " + describe(opToken) + " (a value is compared with a column)"
                    + ", but found " + describe(c));
        }
        Column column = new Column(c.kind == Kind.COLUMN ? (String) c.value : c.text);
        FilterNode firstComparison = new FilterNode.Compare(left, op, column);
        Token second = peek();
        if (second.kind != Kind.OP) {
            return firstComparison;
        }
        next();
        Op op2 = op(second);
        boolean upward = (op == Op.LT || op == Op.LE) && (op2 == Op.LT || op2 == Op.LE);
        boolean downward = (op == Op.GT || op == Op.GE) && (op2 == Op.GT || op2 == Op.GE);
        if (!upward && !downward) {
            throw error(second.start, "a range uses < or <= twice (0.01 <= lr < 0.1) or > or >= twice, not "
                    + opToken.text + " then " + second.text);
        }
        Token hi = next();
        if (hi.kind != Kind.NUMBER && hi.kind != Kind.STRING && !(hi.kind == Kind.WORD && isLiteralWord(hi.text))) {
            throw error(hi.start, "expected a value to end the range after " + describe(second) + ", but found " + describe(hi));
        }
        return new FilterNode.And(firstComparison, new FilterNode.Compare(column, op2, new Literal(literalValue(hi))));
    }

    private Operand rightOperand(Token opToken) {
        Token t = next();
        switch (t.kind) {
            case COLUMN:
                return new Column((String) t.value);
            case NUMBER:
            case STRING:
                return new Literal(t.value);
            case WORD:
                if (isReservedWord(t.text) && !isLiteralWord(t.text)) {
                    throw error(t.start, "expected a value after " + describe(opToken) + ", but found the keyword '" + t.text
                            + "' (quote it: '" + t.text + "')");
                }
                return isLiteralWord(t.text) ? new Literal(literalValue(t)) : new FilterNode.Word(t.text);
            default:
                throw error(t.start, "expected a value after " + describe(opToken) + ", but found " + describe(t));
        }
    }

    private FilterNode in(Column column, Token inToken) {
        Token open = next();
        if (open.kind == Kind.LBRACKET) {
            Object lo = listValue(open);
            Token comma = next();
            if (comma.kind != Kind.COMMA) {
                throw error(comma.start, "a range [lo, hi] has two values separated by ',', but found " + describe(comma));
            }
            Object hi = listValue(comma);
            Token close = next();
            if (close.kind != Kind.RBRACKET) {
                throw error(close.start, "expected ']' to close the range [lo, hi], but found " + describe(close));
            }
            return new FilterNode.And(new FilterNode.Compare(column, Op.GE, new Literal(lo)),
                    new FilterNode.Compare(column, Op.LE, new Literal(hi)));
        }
        if (open.kind != Kind.LPAREN) {
            throw error(open.start, "expected '(' (a list of values) or '[' (a range) after 'in', but found " + describe(open));
        }
        List<Object> values = new ArrayList<>();
        values.add(listValue(open));
        while (true) {
            Token t = next();
            if (t.kind == Kind.RPAREN) {
                return new FilterNode.In(column, List.copyOf(values));
            }
            if (t.kind != Kind.COMMA) {
                throw error(t.start, "expected ',' or ')' in the list after 'in', but found " + describe(t));
            }
            values.add(listValue(t));
        }
    }

    private Object listValue(Token after) {
        Token t = next();
        if (t.kind == Kind.NUMBER || t.kind == Kind.STRING) {
            return t.value;
        }
        if (t.kind == Kind.WORD && (!isReservedWord(t.text) || isLiteralWord(t.text))) {
            return literalValue(t);
        }
        throw error(t.start, "expected a value after " + describe(after) + ", but found " + describe(t));
    }

    private Pattern regex(Token tilde) {
        skipSpace();
        int start = pos;
        String regex;
        if (pos < src.length() && (src.charAt(pos) == '\'' || src.charAt(pos) == '"')) {
            Token s = next();
            regex = (String) s.value;
            start = s.start + 1;
        } else {
            // a bare regex runs to the next space, or to a ')' that closes a parenthesis opened before it
            int parens = 0;
            while (pos < src.length() && !Character.isWhitespace(src.charAt(pos))) {
                char c = src.charAt(pos);
                if (c == '\\' && pos + 1 < src.length()) {
                    pos += 2;
                    continue;
                }
                if (c == '(') {
                    parens++;
                } else if (c == ')') {
                    if (parens == 0) {
                        break;
                    }
                    parens--;
                }
                pos++;
            }
            regex = src.substring(start, pos);
            if (regex.isEmpty()) {
                throw error(start, "expected a regular expression after " + describe(tilde));
            }
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            int at = e.getIndex() >= 0 ? Math.min(start + e.getIndex(), src.length()) : start;
            throw error(at, "invalid regular expression '" + regex + "': " + e.getDescription());
        }
    }

    // ------------------------------------------------------------------ words and values

    private static boolean isReservedWord(String w) {
        switch (w.toLowerCase(Locale.ROOT)) {
            case "and": case "or": case "not": case "in": case "is": case "missing":
            case "true": case "false": case "nan": case "inf":
                return true;
            default:
                return false;
        }
    }

    private static boolean isLiteralWord(String w) {
        switch (w.toLowerCase(Locale.ROOT)) {
            case "true": case "false": case "nan": case "inf":
                return true;
            default:
                return false;
        }
    }

    /** The value of a NUMBER or STRING token, or of a bare word: true, false, nan, inf, else the word as a string. */
    private static Object literalValue(Token t) {
        if (t.kind != Kind.WORD) {
            return t.value;
        }
        switch (t.text.toLowerCase(Locale.ROOT)) {
            case "true":
                return Boolean.TRUE;
            case "false":
                return Boolean.FALSE;
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            default:
                return t.text;
        }
    }

    private static Op op(Token t) {
        switch (t.text) {
            case "==": case "=":
                return Op.EQ;
            case "!=":
                return Op.NE;
            case "<":
                return Op.LT;
            case "<=":
                return Op.LE;
            case ">":
                return Op.GT;
            default:
                return Op.GE;
        }
    }

    private static String describe(Token t) {
        switch (t.kind) {
            case END:
                return "the end of the filter";
            case COLUMN:
                return "column `" + t.value + "`";
            case STRING:
                return "the string " + t.text;
            case NUMBER:
                return "the number " + t.text;
            case WORD:
                return "'" + t.text + "'";
            default:
                return "'" + t.text + "'";
        }
    }

    // ------------------------------------------------------------------ lexer

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error(peek().start, "the filter nests more than " + MAX_DEPTH + " levels deep");
        }
    }

    private Token peek() {
        if (peeked == null) {
            peeked = lex();
        }
        return peeked;
    }

    private Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    private void skipSpace() {
        if (peeked != null) {
            pos = peeked.start; // un-read a peeked token (the regex after ~ is lexed differently)
            peeked = null;
        }
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
    }

    private Token lex() {
        while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
            pos++;
        }
        int start = pos;
        if (pos >= src.length()) {
            return new Token(Kind.END, "", null, start, start);
        }
        char c = src.charAt(pos);
        switch (c) {
            case '(':
                pos++;
                return new Token(Kind.LPAREN, "(", null, start, pos);
            case ')':
                pos++;
                return new Token(Kind.RPAREN, ")", null, start, pos);
            case '[':
                pos++;
                return new Token(Kind.LBRACKET, "[", null, start, pos);
            case ']':
                pos++;
                return new Token(Kind.RBRACKET, "]", null, start, pos);
            case ',':
                pos++;
                return new Token(Kind.COMMA, ",", null, start, pos);
            case '~':
                pos++;
                return new Token(Kind.TILDE, "~", null, start, pos);
            case '=':
                pos += pos + 1 < src.length() && src.charAt(pos + 1) == '=' ? 2 : 1;
                return new Token(Kind.OP, src.substring(start, pos), null, start, pos);
            case '!':
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '=') {
                    pos += 2;
                    return new Token(Kind.OP, "!=", null, start, pos);
                }
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '~') {
                    pos += 2;
                    return new Token(Kind.NOT_TILDE, "!~", null, start, pos);
                }
                throw error(start, "'!' must be followed by '=' or '~' (use 'not' to negate a condition)");
            case '<':
            case '>':
                pos += pos + 1 < src.length() && src.charAt(pos + 1) == '=' ? 2 : 1;
                return new Token(Kind.OP, src.substring(start, pos), null, start, pos);
            case '\'':
            case '"':
                return string(c);
            case '`':
                return quotedColumn();
            default:
                break;
        }
        if (c == '-' || c == '+' || c == '.' || isDigit(c)) {
            Token number = number();
            if (number != null) {
                return number;
            }
        }
        if (isWordChar(c)) {
            while (pos < src.length() && isWordChar(src.charAt(pos))) {
                pos++;
            }
            return new Token(Kind.WORD, src.substring(start, pos), null, start, pos);
        }
        throw error(start, "unexpected character '" + c + "'");
    }

    /** A number, when one starts here and is not the start of a longer word (as a UUID's "5e8e89ce-..." is). */
    private Token number() {
        int start = pos;
        int i = pos;
        if (src.charAt(i) == '-' || src.charAt(i) == '+') {
            i++;
            if (src.regionMatches(true, i, "inf", 0, 3) && (i + 3 >= src.length() || !isWordChar(src.charAt(i + 3)))) {
                pos = i + 3;
                return new Token(Kind.NUMBER, src.substring(start, pos),
                        src.charAt(start) == '-' ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY, start, pos);
            }
        }
        int digits = 0;
        while (i < src.length() && isDigit(src.charAt(i))) {
            i++;
            digits++;
        }
        if (i < src.length() && src.charAt(i) == '.') {
            i++;
            while (i < src.length() && isDigit(src.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            if (src.charAt(start) == '-' || src.charAt(start) == '+') {
                throw error(start, "expected a number after '" + src.charAt(start) + "'");
            }
            return null;
        }
        if (i < src.length() && (src.charAt(i) == 'e' || src.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < src.length() && (src.charAt(j) == '-' || src.charAt(j) == '+')) {
                j++;
            }
            int expDigits = 0;
            while (j < src.length() && isDigit(src.charAt(j))) {
                j++;
                expDigits++;
            }
            if (expDigits > 0) {
                i = j;
            }
        }
        if (i < src.length() && isWordChar(src.charAt(i)) && src.charAt(start) != '-' && src.charAt(start) != '+') {
            return null; // a word that starts with digits
        }
        String text = src.substring(start, i);
        Number value = CellComparison.parseNumber(text);
        if (value == null) {
            throw error(start, "cannot read the number " + text);
        }
        pos = i;
        return new Token(Kind.NUMBER, text, value, start, pos);
    }

    private Token string(char quote) {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == quote) {
                pos++;
                return new Token(Kind.STRING, src.substring(start, pos), sb.toString(), start, pos);
            }
            if (c == '\\') {
                if (pos + 1 >= src.length()) {
                    break;
                }
                char e = src.charAt(pos + 1);
                switch (e) {
                    case 'n':
                        sb.append('\n');
                        break;
                    case 't':
                        sb.append('\t');
                        break;
                    case '\\': case '\'': case '"':
                        sb.append(e);
                        break;
                    default:
                        sb.append('\\').append(e); // kept, so regexes such as '\d+' read as written
                        break;
                }
                pos += 2;
                continue;
            }
            sb.append(c);
            pos++;
        }
        throw error(start, "the string starting here has no closing " + quote);
    }

    private Token quotedColumn() {
        int start = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '`') {
                if (pos + 1 < src.length() && src.charAt(pos + 1) == '`') {
                    sb.append('`');
                    pos += 2;
                    continue;
                }
                pos++;
                if (sb.length() == 0) {
                    throw error(start, "a column name in backquotes must not be empty");
                }
                return new Token(Kind.COLUMN, src.substring(start, pos), sb.toString(), start, pos);
            }
            sb.append(c);
            pos++;
        }
        throw error(start, "the column name starting here has no closing `");
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** Characters of a bare word: letters, digits, '_', '.', '-', '/' and ':' (so exp ids and dotted names need no quotes). */
    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '-' || c == '/' || c == ':';
    }

    private FilterSyntaxException error(int at, String problem) {
        return new FilterSyntaxException(src, Math.min(at, src.length()), problem);
    }
}
