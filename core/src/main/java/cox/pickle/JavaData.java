package cox.pickle;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * How Java objects that are not Python values by themselves are pickled: primitive arrays as
 * lists, records as dicts of their components (declaration order), Java beans as dicts of their
 * properties (sorted by name).
 */
final class JavaData {
    private JavaData() {
    }

    /** The elements of a primitive array, boxed. */
    static Iterator<Object> primitiveIterator(Object array) {
        int n = Array.getLength(array);
        return new Iterator<>() {
            private int i;

            @Override
            public boolean hasNext() {
                return i < n;
            }

            @Override
            public Object next() {
                return Array.get(array, i++);
            }
        };
    }

    /** A record's components by name, in declaration order. */
    static Map<String, Object> recordToMap(Object record) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            Method acc = c.getAccessor();
            try {
                acc.setAccessible(true);
                m.put(c.getName(), acc.invoke(record));
            } catch (IllegalAccessException | RuntimeException e) {
                throw new IllegalArgumentException("cannot read component " + c.getName()
                        + " of record " + record.getClass().getName() + ": " + e, e);
            } catch (InvocationTargetException e) {
                throw new IllegalArgumentException("component " + c.getName() + " of record "
                        + record.getClass().getName() + " threw " + e.getCause(), e.getCause());
            }
        }
        return m;
    }

    /**
     * A Java bean's properties by name, sorted: a public class with a public no-arg constructor,
     * read through its public getters.
     *
     * @param plainData what may be pickled, for the message when {@code bean} is none of it
     * @throws IllegalArgumentException if it is not a bean with at least one property
     */
    static Map<String, Object> beanToMap(Object bean, String plainData) {
        Class<?> cls = bean.getClass();
        boolean noArgConstructor;
        try {
            noArgConstructor = Modifier.isPublic(cls.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            noArgConstructor = false;
        }
        TreeMap<String, Object> m = new TreeMap<>();
        if (noArgConstructor && Modifier.isPublic(cls.getModifiers())) {
            for (Method meth : cls.getMethods()) {
                if (meth.getParameterCount() != 0 || Modifier.isStatic(meth.getModifiers())
                        || meth.getDeclaringClass() == Object.class) {
                    continue;
                }
                String n = meth.getName();
                String prop;
                if (n.startsWith("get") && n.length() > 3 && meth.getReturnType() != void.class) {
                    prop = n.substring(3);
                } else if (n.startsWith("is") && n.length() > 2
                        && meth.getReturnType() == boolean.class) {
                    prop = n.substring(2);
                } else {
                    continue;
                }
                prop = prop.length() > 1 && Character.isUpperCase(prop.charAt(1))
                        ? prop : Character.toLowerCase(prop.charAt(0)) + prop.substring(1);
                try {
                    m.put(prop, meth.invoke(bean));
                } catch (IllegalAccessException e) {
                    throw new IllegalArgumentException("cannot read property " + prop + " of "
                            + cls.getName() + ": " + e, e);
                } catch (InvocationTargetException e) {
                    throw new IllegalArgumentException("property " + prop + " of " + cls.getName()
                            + " threw " + e.getCause(), e.getCause());
                }
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("cannot pickle a " + cls.getName() + ": not plain data (" + plainData + ")");
        }
        return m;
    }
}
