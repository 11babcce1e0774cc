package cox.pickle;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The allow-list entries of plain Python data ({@link AllowList#plainData()}): the builtin types
 * as values, and the few calls CPython's pickler makes to rebuild data (sets, bytes, ordered
 * dicts), each a few lines that build Java collections.
 */
final class PlainData {
    private static final List<String> BUILTIN_VALUES = List.of("int", "float", "str", "bool", "bytes", "bytearray",
            "list", "dict", "tuple", "set", "frozenset", "complex", "object");

    private PlainData() {
    }

    static AllowList.Builder register(AllowList.Builder b) {
        for (String name : BUILTIN_VALUES) {
            b.allowValue(new PythonGlobal("builtins", name));
        }
        b.allowCall(new PythonGlobal("builtins", "set"), (args, site) -> set("builtins.set", args, site));
        b.allowCall(new PythonGlobal("builtins", "frozenset"), (args, site) -> set("builtins.frozenset", args, site));
        b.allowCall(new PythonGlobal("builtins", "bytes"), (args, site) -> bytes("builtins.bytes", args, site));
        b.allowCall(new PythonGlobal("builtins", "bytearray"), (args, site) -> bytes("builtins.bytearray", args, site));
        b.allowCall(new PythonGlobal("_codecs", "encode"), (args, site) -> encode("_codecs.encode", args, site));
        b.allowCall(new PythonGlobal("collections", "OrderedDict"), PlainData::orderedDict);
        return b;
    }

    /** {@code set(iterable)} and {@code frozenset(iterable)}. */
    private static Object set(String key, Object[] args, LoadSite site) {
        Set<Object> s = new LinkedHashSet<>();
        if (args.length == 1) {
            for (Object o : iterable(args[0], key, site)) {
                s.add(site.hashable(o));
            }
        } else if (args.length != 0) {
            throw site.corrupt("calls " + key + " with " + args.length + " arguments");
        }
        return s;
    }

    /** {@code bytes()}, {@code bytes(b'...')}, {@code bytes([0, 255])}, {@code bytes(str, encoding)}. */
    private static Object bytes(String key, Object[] args, LoadSite site) {
        if (args.length == 0) {
            return new byte[0];
        }
        if (args.length == 1 && args[0] instanceof byte[]) {
            return args[0];
        }
        if (args.length == 1 && args[0] instanceof List<?> l) {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                Object v = l.get(i);
                if (!(v instanceof Long) || (Long) v < 0 || (Long) v > 255) {
                    throw site.corrupt("calls " + key + " with a list holding " + v);
                }
                b[i] = (byte) (long) (Long) v;
            }
            return b;
        }
        return encode(key, args, site);
    }

    /** {@code _codecs.encode(str, 'latin1')}, as Python 3 pickles bytes for protocols below 3. */
    private static byte[] encode(String key, Object[] args, LoadSite site) {
        if (args.length == 2 && args[0] instanceof String s && args[1] instanceof String encoding) {
            String enc = encoding.toLowerCase(Locale.ROOT).replace('_', '-');
            if (enc.equals("latin1") || enc.equals("latin-1") || enc.equals("iso-8859-1")) {
                for (int i = 0; i < s.length(); i++) {
                    if (s.charAt(i) > 0xFF) {
                        throw site.corrupt("encodes a non-latin-1 character with " + key);
                    }
                }
                return s.getBytes(StandardCharsets.ISO_8859_1);
            }
            if (enc.equals("utf-8") || enc.equals("utf8")) {
                return s.getBytes(StandardCharsets.UTF_8);
            }
            throw site.corrupt("calls " + key + " with encoding '" + encoding + "'");
        }
        throw site.corrupt("calls " + key + " with arguments other than (str, encoding)");
    }

    /** {@code collections.OrderedDict()} or {@code OrderedDict(pairs)}. */
    private static Object orderedDict(Object[] args, LoadSite site) {
        Map<Object, Object> m = new LinkedHashMap<>();
        if (args.length == 1) {
            for (Object pair : iterable(args[0], "collections.OrderedDict", site)) {
                Object[] kv = pair instanceof Object[] t ? t : pair instanceof List<?> l ? l.toArray() : null;
                if (kv == null || kv.length != 2) {
                    throw site.corrupt("builds an OrderedDict from a " + LoadSite.typeName(pair)
                            + ", not a key-value pair");
                }
                m.put(site.hashable(kv[0]), kv[1]);
            }
        } else if (args.length != 0) {
            throw site.corrupt("calls collections.OrderedDict with " + args.length + " arguments");
        }
        return m;
    }

    private static Iterable<?> iterable(Object o, String key, LoadSite site) {
        if (o instanceof Collection<?> c) {
            return c;
        }
        if (o instanceof Object[] t) {
            return Arrays.asList(t);
        }
        throw site.corrupt("calls " + key + " with a " + LoadSite.typeName(o) + ", not a list or tuple");
    }
}
