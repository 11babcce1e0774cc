package cox.pickle;

import cox.exceptions.PickleSecurityException;
import cox.exceptions.UnpicklingException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Crafted pickles: each must end in a clear exception, run nothing and allocate little. */
class SafeUnpicklerTest {

    private static byte[] b(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    @Test
    void osSystem_viaGlobalAndReduce_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cos\nsystem\n(S'echo pwned'\ntR.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global os.system: not on the allow-list");
    }

    @Test
    void posixSystem_protocol2_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002cposix\nsystem\nX\u0002\0\0\0ls\u0085R.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global posix.system: not on the allow-list");
    }

    @Test
    void subprocessPopen_viaStackGlobal_isRefused() {
        byte[] p = b("\u0080\u0004\u008c\nsubprocess\u008c\u0005Popen\u0093\u008c\u0002ls\u0085R.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global subprocess.Popen: not on the allow-list");
    }

    @Test
    void builtinsEval_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("c__builtin__\neval\n(S'1+1'\ntR.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global __builtin__.eval: not on the allow-list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cbuiltins\nexec\n(S'1'\ntR.")))
                .hasMessage("refused to load global builtins.exec: not on the allow-list");
    }

    @Test
    void getattrChain_isRefused() {
        byte[] p = b("cbuiltins\ngetattr\n(cbuiltins\nobject\nS'__subclasses__'\ntR)R.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global builtins.getattr: not on the allow-list");
    }

    @Test
    void allowedValueType_isNotCallable() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cbuiltins\nint\n(S'5'\ntR.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to call global builtins.int: not on the allow-list of callables");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002cbuiltins\nobject\n)\u0081.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to call global builtins.object: not on the allow-list of callables");
    }

    @Test
    void nestedReduce_refusesInnerGlobal() {
        // set(os.popen('id').read()) — refused at the inner global before anything is called
        byte[] p = b("cbuiltins\nset\n(cos\npopen\n(S'id'\ntRtR.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global os.popen: not on the allow-list");
    }

    @Test
    void instAndObjOpcodes_areChecked() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("(S'ls'\nios\nsystem\n.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global os.system: not on the allow-list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("(cos\nsystem\nS'ls'\no.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global os.system: not on the allow-list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("(cbuiltins\nobject\no.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to call global builtins.object: not on the allow-list of callables");
    }

    @Test
    void buildOnNonData_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("]}b.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to set the state (BUILD) of a list at offset 2");
    }

    @Test
    void extensionCodes_areRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002\u0082\u0001.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load a copyreg extension code (EXT1 at offset 2): not on the allow-list");
    }

    @Test
    void numpyAndTorch_areNotPlainData() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cnumpy.core.multiarray\n_reconstruct\n.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global numpy.core.multiarray._reconstruct: not on the allow-list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cnumpy\nndarray\n.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global numpy.ndarray: not on the allow-list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("ctorch._utils\n_rebuild_tensor_v2\n.")))
                .isInstanceOf(PickleSecurityException.class)
                .hasMessage("refused to load global torch._utils._rebuild_tensor_v2: not on the allow-list");
    }

    @Test
    void bytearrayOfHugeCount_isRefusedWithoutAllocating() {
        byte[] p = b("cbuiltins\nbytearray\n(J\u00ff\u00ff\u00ff\u007ftR.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("corrupt pickle: REDUCE at offset 27 calls builtins.bytearray with arguments"
                        + " other than (str, encoding)");
    }

    @Test
    void hugeBinunicode8_isRefusedWithoutAllocating() {
        byte[] p = b("\u0080\u0004\u008d\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ffabc.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("truncated or corrupt pickle: BINUNICODE8 at offset 2 declares length"
                        + " 18446744073709551615 but only 4 bytes are left");
    }

    @Test
    void hugeBinbytes8AndBinunicode_areRefused() {
        byte[] p = b("\u0080\u0004\u008e\u0000\u0000\u0000\u0000\u0000\u0001\u0000\u0000.");
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .hasMessage("truncated or corrupt pickle: BINBYTES8 at offset 2 declares length"
                        + " 1099511627776 but only 1 bytes are left");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("X\u00ff\u00ff\u00ff\u00ff.")))
                .hasMessage("truncated or corrupt pickle: BINUNICODE at offset 0 declares length"
                        + " 4294967295 but only 1 bytes are left");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0005\u0096\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff\u007f.")))
                .hasMessageContaining("BYTEARRAY8 at offset 2 declares length 9223372036854775807");
    }

    @Test
    void hugeLong4_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002\u008b\u00ff\u00ff\u00ff\u007f.")))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("truncated or corrupt pickle: LONG4 at offset 2 declares length 2147483647"
                        + " but only 1 bytes are left");
        byte[] big = new byte[5000];
        byte[] p = cat(b("\u0080\u0002\u008b\u0088\u0013\u0000\u0000"), big, b("."));
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .hasMessage("pickle integer at offset 2 has 5000 bytes, more than the limit 2150");
        char[] digits = new char[5000];
        Arrays.fill(digits, '9');
        assertThatThrownBy(() -> SafeUnpickler.loads(b("L" + new String(digits) + "L\n.")))
                .hasMessage("pickle integer at offset 0 has 5000 digits, more than the limit 4300");
    }

    @Test
    void truncatedStreams_sayTruncated() {
        byte[] whole = PickleWriter.dumps(Map.of("key", List.of(1L, "two", 3.0)));
        for (int cut = 0; cut < whole.length - 1; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            assertThatThrownBy(() -> SafeUnpickler.loads(part))
                    .isInstanceOf(UnpicklingException.class)
                    .hasMessageContaining("truncated");
        }
        assertThatThrownBy(() -> SafeUnpickler.loads(new byte[0]))
                .hasMessage("truncated pickle: no STOP opcode before the end of input at offset 0");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002G\u0000\u0000")))
                .hasMessage("truncated pickle: BINFLOAT at offset 2 needs 8 more bytes, 2 left");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("cos\nsys")))
                .hasMessage("truncated pickle: GLOBAL at offset 0 has no terminating newline");
    }

    @Test
    void corruptStreams_sayWhatIsWrong() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002\u00ff.")))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("corrupt pickle: unknown opcode 0xff at offset 2");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0006N.")))
                .hasMessage("unsupported pickle protocol 6 at offset 0 (0 to 5 are read)");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("a.")))
                .hasMessage("corrupt pickle: APPEND at offset 0 pops from an empty stack");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("NNa.")))
                .hasMessage("corrupt pickle: APPEND at offset 2 appends to a None, not a list");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("h\u0005.")))
                .hasMessage("corrupt pickle: BINGET at offset 0 reads memo entry 5, which was never stored");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("NN.")))
                .hasMessage("corrupt pickle: STOP at offset 2 leaves 1 items and 0 marks on the stack");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("t.")))
                .hasMessage("corrupt pickle: TUPLE at offset 0 needs a MARK but there is none");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("}]Ns.")))
                .hasMessage("corrupt pickle: SETITEM at offset 3 uses an unhashable list as a dict key or set member");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("NNR.")))
                .hasMessage("corrupt pickle: REDUCE at offset 2 calls a None, which is not callable");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("Ix\n.")))
                .hasMessage("corrupt pickle: INT at offset 0 has an invalid integer 'x'");
        assertThatThrownBy(() -> SafeUnpickler.loads(b("F1.5d\n.")))
                .hasMessage("corrupt pickle: FLOAT at offset 0 has an invalid float '1.5d'");
    }

    @Test
    void persistentIds_withoutALoader_areRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("Pabc\n.")))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("pickle uses persistent id abc at offset 0, but no persistent ids are expected here");
    }

    @Test
    void outOfBandBuffers_areRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0005\u0097.")))
                .hasMessage("unsupported pickle feature: NEXT_BUFFER at offset 2 (out-of-band buffers)");
    }

    @Test
    void deepNesting_endsInExceptionNotStackOverflow() {
        int depth = 200_000;
        byte[] p = new byte[2 + depth + (depth - 1) + 1];
        p[0] = (byte) 0x80;
        p[1] = 2;
        Arrays.fill(p, 2, 2 + depth, (byte) ']');
        Arrays.fill(p, 2 + depth, p.length - 1, (byte) 'a');
        p[p.length - 1] = '.';
        assertThatThrownBy(() -> SafeUnpickler.loads(p))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("pickle nests containers deeper than 1000 levels");
        // many marks, never closed
        byte[] marks = new byte[100_001];
        Arrays.fill(marks, (byte) '(');
        marks[100_000] = '.';
        assertThatThrownBy(() -> SafeUnpickler.loads(marks))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("corrupt pickle: STOP at offset 100000 pops from an empty stack");
    }

    @Test
    void nestingAtTheLimit_loads() {
        int depth = 1000;
        byte[] p = new byte[depth + (depth - 1) + 1];
        Arrays.fill(p, 0, depth, (byte) ']');
        Arrays.fill(p, depth, p.length - 1, (byte) 'a');
        p[p.length - 1] = '.';
        assertThat(SafeUnpickler.loads(p)).isInstanceOf(List.class);
    }

    @Test
    void selfReference_isRefused() {
        assertThatThrownBy(() -> SafeUnpickler.loads(b("\u0080\u0002]q\u0000h\u0000a.")))
                .isInstanceOf(UnpicklingException.class)
                .hasMessage("pickle holds a container that contains itself; cyclic structures are not loaded");
    }

    @Test
    void sharedReferences_areFine() {
        Object v = SafeUnpickler.loads(b("\u0080\u0002(]q\u0000h\u0000h\u0000t."));
        Object[] t = (Object[]) v;
        assertThat(t).hasSize(3);
        assertThat(t[0]).isSameAs(t[1]).isSameAs(t[2]);
    }

    @Test
    void globalsAsValues_loadAsPythonGlobal() {
        Object v = SafeUnpickler.loads(b("(dp0\nVlr\np1\nc__builtin__\nfloat\np2\nsVepochs\np3\n"
                + "c__builtin__\nlong\np4\nsVname\np5\nc__builtin__\nunicode\np6\ns."));
        assertThat(v).isEqualTo(Map.of("lr", new PythonGlobal("builtins", "float"),
                "epochs", PythonGlobal.INT, "name", PythonGlobal.STR));
    }

    @Test
    void everyDamagedOrCutByte_isAValueOrAnUnpicklingException() {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("name", "résultats");
        value.put("list", List.of(1L, -70000L, 1L << 40, 2.5, true));
        value.put("tuple", new Object[] {"a", new byte[] {1, 2}, null});
        value.put("set", java.util.Set.of("x"));
        value.put("global", PythonGlobal.FLOAT);
        for (byte[] good : List.of(PickleWriter.dumps(value), PickleWriter.dumpsProtocol0(value))) {
            for (int i = 0; i < good.length; i++) {
                for (int mask : new int[] {0x01, 0x20, 0x80, 0xff}) {
                    byte[] bad = good.clone();
                    bad[i] ^= (byte) mask;
                    loadsOrFailsCleanly(bad, "byte " + i + " ^ 0x" + Integer.toHexString(mask));
                }
                loadsOrFailsCleanly(Arrays.copyOf(good, i), "cut at " + i);
            }
        }
    }

    private static void loadsOrFailsCleanly(byte[] pickle, String what) {
        try {
            SafeUnpickler.loads(pickle);
        } catch (UnpicklingException e) {
            assertThat(e.getMessage()).as(what).isNotBlank();
        } catch (RuntimeException | StackOverflowError e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }
}
