package cox.pickle;

import cox.exceptions.UnpicklingException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one pickle as {@link PickleMachine} reads them: opcodes, their binary arguments
 * (every length checked against what is left before anything is allocated) and the text
 * arguments of protocol 0 (Python 2 literals). Knows the opcode being read, so every error names
 * it and its offset. Not thread-safe.
 */
final class PickleInput {
    private final byte[] in;
    private int pos;
    private int opStart;
    private String opName = "";

    PickleInput(byte[] in) {
        this.in = in;
    }

    /**
     * Reads the next opcode.
     *
     * @throws UnpicklingException at the end of the input (no STOP came)
     */
    int nextOpcode() {
        opStart = pos;
        if (pos >= in.length) {
            opName = "";
            throw new UnpicklingException("truncated pickle: no STOP opcode before the end of input at offset " + pos);
        }
        int op = in[pos++] & 0xFF;
        opName = Opcodes.name(op);
        return op;
    }

    /** Where the current opcode starts. */
    int opStart() {
        return opStart;
    }

    /** The current opcode's name. */
    String opName() {
        return opName;
    }

    /** The current opcode, for reconstructors' messages. */
    LoadSite site() {
        return new LoadSite(opName, opStart);
    }

    UnpicklingException corrupt(String what) {
        return site().corrupt(what);
    }

    private UnpicklingException truncated(long need) {
        return new UnpicklingException("truncated pickle: " + opName + " at offset " + opStart
                + " needs " + need + " more bytes, " + (in.length - pos) + " left");
    }

    private void need(long n) {
        if (n < 0 || n > in.length - pos) {
            throw truncated(n);
        }
    }

    int u8() {
        need(1);
        return in[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    int i32() {
        need(4);
        int v = (in[pos] & 0xFF) | (in[pos + 1] & 0xFF) << 8 | (in[pos + 2] & 0xFF) << 16
                | (in[pos + 3] & 0xFF) << 24;
        pos += 4;
        return v;
    }

    long u32() {
        return i32() & 0xFFFFFFFFL;
    }

    long i64() {
        need(8);
        long v = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        pos += 8;
        return v;
    }

    /** A length read as unsigned 64-bit; refused when longer than the rest of the input. */
    int length(long len) {
        if (len < 0 || len > in.length - pos) {
            throw new UnpicklingException("truncated or corrupt pickle: " + opName
                    + " at offset " + opStart + " declares length "
                    + (len < 0 ? Long.toUnsignedString(len) : Long.toString(len))
                    + " but only " + (in.length - pos) + " bytes are left");
        }
        return (int) len;
    }

    byte[] bytes(int n) {
        need(n);
        byte[] b = Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    String utf8(int n) {
        need(n);
        String s = new String(in, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** A text line without its '\n' (protocol 0 arguments). */
    String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            pos++;
        }
        if (pos >= in.length) {
            pos = start;
            throw new UnpicklingException("truncated pickle: " + opName + " at offset "
                    + opStart + " has no terminating newline");
        }
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    /** A BINFLOAT's big-endian IEEE 754 double. */
    double binfloat() {
        need(8);
        double d = ByteBuffer.wrap(in, pos, 8).order(ByteOrder.BIG_ENDIAN).getDouble();
        pos += 8;
        return d;
    }

    // ---- protocol 0 text arguments, and LONG1/LONG4

    long parseMemoIndex(String s) {
        try {
            long v = Long.parseLong(s.trim());
            if (v < 0) {
                throw corrupt("has a negative memo index " + s);
            }
            return v;
        } catch (NumberFormatException e) {
            throw corrupt("has an invalid memo index '" + s + "'");
        }
    }

    Object parseInt(String s) {
        if (s.equals("00")) {
            return Boolean.FALSE;
        }
        if (s.equals("01")) {
            return Boolean.TRUE;
        }
        return parseLong(s);
    }

    Object parseLong(String s) {
        String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
        if (t.length() > Unpickler.MAX_INT_DIGITS + 1) {
            throw new UnpicklingException("pickle integer at offset " + opStart + " has "
                    + t.length() + " digits, more than the limit " + Unpickler.MAX_INT_DIGITS);
        }
        try {
            return normalise(new BigInteger(t.trim()));
        } catch (NumberFormatException e) {
            throw corrupt("has an invalid integer '" + s + "'");
        }
    }

    Object longBytes(int n) {
        if (n == 0) {
            return 0L;
        }
        if (n > Unpickler.MAX_INT_DIGITS / 2) {
            throw new UnpicklingException("pickle integer at offset " + opStart + " has " + n
                    + " bytes, more than the limit " + Unpickler.MAX_INT_DIGITS / 2);
        }
        byte[] le = bytes(n);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = le[n - 1 - i];
        }
        return normalise(new BigInteger(be));
    }

    Double parseFloat(String s) {
        switch (s) {
            case "nan":
                return Double.NaN;
            case "inf":
                return Double.POSITIVE_INFINITY;
            case "-inf":
                return Double.NEGATIVE_INFINITY;
            default:
                try {
                    if (s.length() > 400 || !s.matches("[-+]?[0-9.]+([eE][-+]?[0-9]+)?")) {
                        throw new NumberFormatException();
                    }
                    return Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    throw corrupt("has an invalid float '" + s + "'");
                }
        }
    }

    /** Protocol 0 STRING: a Python 2 str literal with quotes and backslash escapes. */
    String parseQuoted(String s) {
        if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1)
                || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            throw corrupt("has an unquoted string argument");
        }
        String body = s.substring(1, s.length() - 1);
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 == body.length()) {
                out.append(c);
                continue;
            }
            char e = body.charAt(++i);
            switch (e) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'v' -> out.append('\u000b');
                case '\\' -> out.append('\\');
                case '\'' -> out.append('\'');
                case '"' -> out.append('"');
                case 'x' -> {
                    if (i + 2 >= body.length()) {
                        throw corrupt("has a bad \\x escape");
                    }
                    try {
                        out.append((char) Integer.parseInt(body.substring(i + 1, i + 3), 16));
                    } catch (NumberFormatException | StringIndexOutOfBoundsException ex) {
                        throw corrupt("has a bad \\x escape");
                    }
                    i += 2;
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        int k = 1;
                        while (k < 3 && i + 1 < body.length() && body.charAt(i + 1) >= '0'
                                && body.charAt(i + 1) <= '7') {
                            v = v * 8 + body.charAt(++i) - '0';
                            k++;
                        }
                        out.append((char) (v & 0xFF));
                    } else {
                        out.append('\\').append(e);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Protocol 0 UNICODE: latin-1 text with \\uXXXX and \\UXXXXXXXX escapes. */
    String rawUnicodeEscape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')) {
                int digits = s.charAt(i + 1) == 'u' ? 4 : 8;
                if (i + 2 + digits > s.length()) {
                    throw corrupt("has a truncated \\" + s.charAt(i + 1) + " escape");
                }
                int cp;
                try {
                    cp = (int) Long.parseLong(s.substring(i + 2, i + 2 + digits), 16);
                } catch (NumberFormatException e) {
                    throw corrupt("has a bad \\" + s.charAt(i + 1) + " escape");
                }
                if (!Character.isValidCodePoint(cp)) {
                    throw corrupt("has an escape beyond Unicode: " + Integer.toHexString(cp));
                }
                out.appendCodePoint(cp);
                i += 1 + digits;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Object normalise(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }
}
