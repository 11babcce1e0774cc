package cox.torch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cox.pickle.PickleWriter;
import cox.pickle.PythonGlobal;
import cox.pickle.SafeUnpickler;
import cox.testing.PythonCanonical;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pickles and torch.save files, both directions against the real /usr/bin/python3 with pickle,
 * numpy and torch ({@link NumpyPickles}, {@link TorchSerialization}; protocol 0 through
 * {@link PickleWriter}): values are
 * compared through {@link PythonCanonical}, which both sides compute the same way.
 */
@EnabledIfSystemProperty(named = "cox.interop", matches = "true")
class PicklePythonInteropTest {
    @TempDir
    Path dir;

    static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c",
                PythonCanonical.PYTHON_CANON + "\n" + script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        assertThat(rc).as("python failed: %s", err).isZero();
        return new String(out, StandardCharsets.UTF_8).strip();
    }

    static Map<String, Object> sample() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("str", "héllo \u4e2d \uD83D\uDE00 \\ \n \r \0");
        m.put("empty", "");
        m.put("bytes", new byte[] {0, -1, 'a'});
        m.put("int", 42L);
        m.put("int32", Integer.MIN_VALUE);
        m.put("long", Long.MIN_VALUE);
        m.put("big", new BigInteger("-123456789012345678901234567890123"));
        m.put("nan", Double.NaN);
        m.put("neg_zero", -0.0);
        m.put("inf", Double.NEGATIVE_INFINITY);
        m.put("tiny", Double.MIN_VALUE);
        m.put("bool", true);
        m.put("none", null);
        m.put("list", new ArrayList<>(List.of(1L, "two", List.of(3.0))));
        m.put("tuple", new Object[] {1L, "two"});
        m.put("set", new LinkedHashSet<>(List.of("a", 2L)));
        m.put("global", PythonGlobal.FLOAT);
        m.put("nested", Map.of("k", Arrays.asList(true, null)));
        m.put("f32", Tensor.ofFloats(new float[] {1.5f, Float.NaN, -0f, 4, 5, 6}, 2, 3));
        m.put("i64", Tensor.ofLongs(new long[] {7}));
        m.put("bool_t", Tensor.ofBooleans(new boolean[] {true, false}, 2));
        m.put("f16", Tensor.of(DType.FLOAT16, new byte[] {0, 0x3c, 1, 0}, 2));
        m.put("u8", Tensor.ofUnsignedBytes(new byte[] {(byte) 200}, 1));
        m.put("empty_t", Tensor.ofDoubles(new double[0], 2, 0));
        return m;
    }

    @Test
    void javaPickle_pythonLoadsTheSameValue() throws Exception {
        Map<String, Object> v = sample();
        Path f = dir.resolve("v.pkl");
        Files.write(f, NumpyPickles.dumps(v));
        String py = python("import pickle, sys\nprint(canon(pickle.load(open(sys.argv[1], 'rb'))))", f.toString());
        assertThat(py).isEqualTo(PythonCanonical.of(NumpyPickles.loads(Files.readAllBytes(f))));
        // the Java value itself (Integer → int, tuple, set) canonicalises the same after loading
        assertThat(PythonCanonical.of(NumpyPickles.loads(NumpyPickles.dumps(v)))).contains("i:-2147483648");
    }

    @Test
    void javaProtocol0_pythonLoadsTheSameValue() throws Exception {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("schema", Map.of("lr", PythonGlobal.FLOAT));
        v.put("cols", List.of(new Object[] {0L, "index"}, "é\u4e2d\uD83D\uDE00\\\n"));
        v.put("floats", List.of(0.1, -0.0, 1e300, Double.NaN));
        v.put("big", new BigInteger("123456789012345678901234567890"));
        v.put("bytes", new byte[] {0, 1, -1});
        Path f = dir.resolve("p0.pkl");
        Files.write(f, PickleWriter.dumpsProtocol0(v));
        String py = python("import pickle, sys\nb = open(sys.argv[1], 'rb').read()\n"
                + "assert pickle.dumps(pickle.loads(b), protocol=0).replace(b'cbuiltins', b'c__builtin__') is not None\n"
                + "print(canon(pickle.loads(b)))", f.toString());
        assertThat(py).isEqualTo(PythonCanonical.of(SafeUnpickler.loads(Files.readAllBytes(f))));
        assertThat(py).contains("g:builtins.float");
    }

    @Test
    void pythonPickles_javaLoadsTheSameValue() throws Exception {
        String script = String.join("\n",
                "import pickle, sys, collections, numpy as np",
                "v = {'s': 'h\\u00e9 \\U0001F600', 'e': '', 'b': b'\\x00\\xff', 'big': -2**200, 'f': -0.0,",
                "     'nan': float('nan'), 't': (1, (2,)), 'set': {1, 'a'}, 'fs': frozenset([2]),",
                "     'od': collections.OrderedDict(x=1), 'cls': int, 'arr': np.arange(6, dtype='<i2').reshape(2, 3).T,",
                "     'np_f': np.float32(0.1), 'np_b': np.bool_(False), 'np_u8': np.uint64(2**64 - 1)}",
                "for proto in range(6):",
                "    open(sys.argv[1] + str(proto), 'wb').write(pickle.dumps(v, protocol=proto))",
                "print(canon(v))");
        String prefix = dir.resolve("py").toString();
        String expected = python(script, prefix);
        for (int proto = 0; proto < 6; proto++) {
            Object v = NumpyPickles.loads(Files.readAllBytes(Path.of(prefix + proto)));
            assertThat(PythonCanonical.of(v)).as("protocol %d", proto).isEqualTo(expected);
        }
    }

    @Test
    void javaTorchSave_torchLoadsEqual() throws Exception {
        StateDict sd = new StateDict();
        sd.put("f32", Tensor.ofFloats(new float[] {1.5f, Float.NaN, -0f, 4, 5, 6}, 2, 3));
        sd.put("f64", Tensor.ofDoubles(new double[] {-1.0 / 3}, 1));
        sd.put("f16", Tensor.of(DType.FLOAT16, new byte[] {0, 0x3c}, 1));
        sd.put("bf16", Tensor.of(DType.BFLOAT16, new byte[] {(byte) 0x80, 0x3f, 0, (byte) 0xc0}, 2));
        sd.put("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE}));
        sd.put("i32", Tensor.ofInts(new int[] {1, 2, 3, 4}, 2, 2));
        sd.put("i16", Tensor.ofShorts(new short[] {-1}, 1));
        sd.put("i8", Tensor.ofBytes(new byte[] {-128}, 1));
        sd.put("u8", Tensor.ofUnsignedBytes(new byte[] {(byte) 255}, 1));
        sd.put("bool", Tensor.ofBooleans(new boolean[] {true, false}, 2));
        sd.put("empty", Tensor.ofFloats(new float[0], 0, 4));
        sd.put("alias", sd.get("f32"));
        Path f = dir.resolve("state.pt");
        TorchSerialization.save(sd, f);
        String expected = PythonCanonical.of(new LinkedHashMap<>(sd));
        String py = python(String.join("\n",
                "import torch, sys",
                "a = torch.load(sys.argv[1])",
                "b = torch.load(sys.argv[1], weights_only=True)",
                "assert a['alias'].data_ptr() == a['f32'].data_ptr()",
                "print(canon(dict(a)))",
                "print(canon(dict(b)))"), f.toString());
        assertThat(py.split("\n")).containsExactly(expected, expected);
    }

    @Test
    void torchSave_javaLoadsEqual() throws Exception {
        String script = String.join("\n",
                "import torch, sys",
                "base = torch.arange(24, dtype=torch.float64)",
                "sd = {'base': base, 'view': base.view(2, 3, 4).permute(2, 0, 1)[1:, :, ::2],",
                "      'h': torch.tensor([1.5, -2], dtype=torch.float16), 'bf': torch.tensor([3.0], dtype=torch.bfloat16),",
                "      'z': torch.tensor(True), 'i8': torch.tensor([-3], dtype=torch.int8)}",
                "torch.save(sd, sys.argv[1])",
                "print(canon(sd))");
        Path f = dir.resolve("py.pt");
        String expected = python(script, f.toString());
        assertThat(PythonCanonical.of(new LinkedHashMap<>(TorchSerialization.load(f)))).isEqualTo(expected);
    }

    @Test
    void coxObjectCells_loadAsPythonDoes() throws Exception {
        assumeTrue(Files.isDirectory(CoxPythonFixturesTest.FIXTURES), "no cox-python fixtures");
        String script = String.join("\n",
                "import pandas, pickle, base64, json, sys, glob",
                "out = []",
                "for store in sorted(glob.glob(sys.argv[1] + '/exp-*/store.h5')):",
                "    for cell in pandas.read_hdf(store, 'objects')['obj']:",
                "        out.append([cell, canon(pickle.loads(base64.b64decode(cell)))])",
                "print(json.dumps(out))");
        String json = python(script, CoxPythonFixturesTest.FIXTURES.toString());
        // [["base64...", "canon"], ...] — simple enough to split without a JSON library
        String[] parts = json.substring(3, json.length() - 3).split("\"\\], \\[\"");
        assertThat(parts).hasSize(3);
        for (String part : parts) {
            String[] cellAndCanon = part.split("\", \"");
            String cell = cellAndCanon[0].replace("\\n", "\n");
            Object v = NumpyPickles.loads(Base64.getMimeDecoder().decode(cell));
            assertThat(PythonCanonical.of(v)).isEqualTo(cellAndCanon[1]);
            assertThat(((Map<?, ?>) v).get("layers")).isEqualTo(List.of(64L, 32L));
        }
    }
}
