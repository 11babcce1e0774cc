package cox.torch;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import cox.pickle.AllowList;
import cox.pickle.LoadSite;
import cox.pickle.PendingValue;
import cox.pickle.PersistentId;
import cox.pickle.PersistentLoader;
import cox.pickle.Pickler;
import cox.pickle.PythonGlobal;
import cox.pickle.Reduction;
import cox.pickle.Unpickler;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code data.pkl} of a torch.save file: a pickle whose tensors are
 * {@code torch._utils._rebuild_tensor_v2(storage, offset, size, stride, ...)} calls on storages
 * named by persistent ids {@code ('storage', torch.FloatStorage, KEY, location, numel)}, the
 * storages' bytes being the zip entries {@code data/KEY}. Written through {@link Pickler}
 * (protocol 2, as torch.save) and read through {@link Unpickler} with the plain-data, numpy and
 * torch entries below; this class knows the torch side of both, {@code cox.pickle} none of it.
 */
final class DataPkl {
    private static final PythonGlobal ORDERED_DICT = new PythonGlobal("collections", "OrderedDict");
    private static final PythonGlobal REBUILD_TENSOR = new PythonGlobal("torch._utils", "_rebuild_tensor_v2");
    private static final PythonGlobal REBUILD_PARAMETER = new PythonGlobal("torch._utils", "_rebuild_parameter");
    private static final Pickler PICKLER = Pickler.protocol(2);
    private static final Unpickler UNPICKLER = new Unpickler(torchEntries(NumpyArrays.register(
            AllowList.plainData().toBuilder())).build());

    private DataPkl() {
    }

    /** The bytes of storage {@code key} ({@code data/KEY} in the zip), little-endian, position to limit. */
    @FunctionalInterface
    interface StorageSource {
        ByteBuffer storage(String key);
    }

    /**
     * The data.pkl of {@code stateDict}: an {@code OrderedDict} of rebuilt tensors; each distinct
     * tensor (by identity) gets the next storage key and is added to {@code storages}.
     */
    static byte[] write(Map<String, Tensor> stateDict, List<Tensor> storages) {
        IdentityHashMap<Tensor, String> keys = new IdentityHashMap<>();
        Map<Object, Object> items = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                throw new IllegalArgumentException("state dict entry " + e.getKey() + " has a null key or tensor");
            }
            Tensor t = e.getValue();
            String key = keys.get(t);
            if (key == null) {
                key = Integer.toString(storages.size());
                keys.put(t, key);
                storages.add(t);
            }
            long[] shape = t.shape();
            Object[] size = new Object[shape.length];
            Object[] stride = new Object[shape.length];
            long s = 1;
            for (int d = shape.length - 1; d >= 0; d--) {
                size[d] = shape[d];
                stride[d] = s;
                s *= Math.max(shape[d], 1);
            }
            PersistentId storage = new PersistentId(new Object[] {"storage",
                new PythonGlobal("torch", t.dtype().storageClassName()), key, "cpu", t.numel()});
            items.put(e.getKey(), Reduction.call(REBUILD_TENSOR, storage, 0L, size, stride, false,
                    Reduction.call(ORDERED_DICT)));
        }
        return PICKLER.dumps(Reduction.call(ORDERED_DICT).withDictItems(items));
    }

    /**
     * What {@code pkl} holds, with tensors rebuilt on the storages {@code source} gives (views
     * materialised).
     *
     * @throws PickleSecurityException if it names a global outside the allow-list
     * @throws UnpicklingException if it is damaged, or a storage is missing or too small
     */
    static Object read(byte[] pkl, StorageSource source) {
        return UNPICKLER.loads(pkl, new StorageLoader(source));
    }

    /** The torch entries: the two rebuild functions, and the storage classes as values. */
    private static AllowList.Builder torchEntries(AllowList.Builder b) {
        b.allowCall(REBUILD_TENSOR, DataPkl::rebuildTensor);
        b.allowCall(REBUILD_PARAMETER, (args, site) -> {
            if (args.length < 1 || !(args[0] instanceof Tensor)) {
                throw site.corrupt("rebuilds a parameter from a " + (args.length < 1 ? "nothing"
                        : LoadSite.typeName(args[0])));
            }
            return args[0];
        });
        for (DType t : DType.values()) {
            b.allowValue(new PythonGlobal("torch", t.storageClassName()));
        }
        b.allowValue(new PythonGlobal("torch", "UntypedStorage"));
        b.allowValue(new PythonGlobal("torch.storage", "UntypedStorage"));
        return b;
    }

    private static boolean isStorageClass(PythonGlobal g) {
        if (g.name().equals("UntypedStorage")) {
            return g.module().equals("torch") || g.module().equals("torch.storage");
        }
        if (!g.module().equals("torch")) {
            return false;
        }
        for (DType t : DType.values()) {
            if (t.storageClassName().equals(g.name())) {
                return true;
            }
        }
        return false;
    }

    private static Tensor rebuildTensor(Object[] args, LoadSite site) {
        if (args.length < 4 || !(args[0] instanceof Storage) || !(args[1] instanceof Long)) {
            throw site.corrupt("calls torch._utils._rebuild_tensor_v2 without storage, offset, size and stride");
        }
        Storage s = (Storage) args[0];
        long[] size = site.longs(args[2], "size");
        long[] stride = site.longs(args[3], "stride");
        try {
            return Tensor.ofStrided(s.dtype, s.bytes.duplicate(), (Long) args[1], size, stride);
        } catch (IllegalArgumentException e) {
            throw new UnpicklingException("tensor on torch storage '" + s.key + "' does not fit: " + e.getMessage());
        }
    }

    /** A torch storage resolved from a persistent id; only a tensor rebuild may use it. */
    private static final class Storage implements PendingValue {
        final DType dtype;
        final ByteBuffer bytes;
        final String key;

        Storage(DType dtype, ByteBuffer bytes, String key) {
            this.dtype = dtype;
            this.bytes = bytes;
            this.key = key;
        }

        @Override
        public String typeName() {
            return "torch storage";
        }

        @Override
        public String whyUnfinished() {
            return "torch storage used outside a tensor";
        }
    }

    /** torch's {@code persistent_load}: storages by key, each read once per load. */
    private static final class StorageLoader implements PersistentLoader {
        private final StorageSource source;
        private final Map<String, Storage> cache = new HashMap<>();

        StorageLoader(StorageSource source) {
            this.source = source;
        }

        @Override
        public Object load(Object pid, LoadSite site) {
            Object[] t = pid instanceof Object[] a ? a : null;
            if (t == null || t.length < 5 || !"storage".equals(t[0]) || !(t[1] instanceof PythonGlobal)
                    || !(t[2] instanceof String) || !(t[4] instanceof Long)) {
                throw site.corrupt("has persistent id " + (t != null ? Arrays.deepToString(t) : String.valueOf(pid))
                        + ", not ('storage', class, key, location, numel)");
            }
            PythonGlobal cls = (PythonGlobal) t[1];
            if (!isStorageClass(cls)) {
                throw new PickleSecurityException("refused to load storage class " + cls + ": not on the allow-list");
            }
            DType dtype = cls.name().equals("UntypedStorage") ? DType.UINT8 : DType.fromStorageClassName(cls.name());
            String key = (String) t[2];
            long numel = (Long) t[4];
            Storage s = cache.get(key);
            if (s == null) {
                s = new Storage(dtype, source.storage(key), key);
                cache.put(key, s);
            }
            if (s.dtype != dtype) {
                // one storage seen as two types: reinterpret the same bytes
                s = new Storage(dtype, s.bytes, key);
            }
            if (numel < 0 || numel > s.bytes.remaining() / dtype.itemSize()) {
                throw new UnpicklingException("torch storage '" + key + "' should hold " + numel + " " + dtype
                        + " elements but has " + s.bytes.remaining() + " bytes");
            }
            return s;
        }
    }
}
