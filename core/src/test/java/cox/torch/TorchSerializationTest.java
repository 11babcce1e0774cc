package cox.torch;

import cox.exceptions.TorchFormatException;
import cox.testing.Bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchSerializationTest {
    @TempDir
    Path dir;

    static StateDict everyDtype() {
        StateDict sd = new StateDict();
        sd.put("f32", Tensor.ofFloats(new float[] {1.5f, -0f, Float.NaN, Float.NEGATIVE_INFINITY, 3, 4}, 2, 3));
        sd.put("f64", Tensor.ofDoubles(new double[] {1e-300, -1.0 / 3}, 2));
        sd.put("f16", Tensor.of(DType.FLOAT16, new byte[] {0, 0x38, (byte) 0xff, (byte) 0xfb}, 2));
        sd.put("bf16", Tensor.of(DType.BFLOAT16, new byte[] {(byte) 0x80, 0x3f}, 1));
        sd.put("i64", Tensor.ofLongs(new long[] {Long.MIN_VALUE, 1L << 62}, 2));
        sd.put("i32", Tensor.ofInts(new int[] {Integer.MAX_VALUE}));
        sd.put("i16", Tensor.ofShorts(new short[] {-32768, 1}, 1, 2));
        sd.put("i8", Tensor.ofBytes(new byte[] {-128, 127}, 2));
        sd.put("u8", Tensor.ofUnsignedBytes(new byte[] {(byte) 255}, 1));
        sd.put("bool", Tensor.ofBooleans(new boolean[] {true, false, true}, 3));
        sd.put("empty", Tensor.ofFloats(new float[0], 0, 3));
        sd.put("scalar", Tensor.ofDoubles(new double[] {2.5}));
        return sd;
    }

    @Test
    void saveLoad_everyDtype_roundTrips() throws IOException {
        Path file = dir.resolve("model.pt");
        TorchSerialization.save(everyDtype(), file);
        StateDict back = TorchSerialization.load(file);
        assertThat(back).containsExactlyEntriesOf(everyDtype());
        assertThat(new ArrayList<>(back.keySet())).isEqualTo(new ArrayList<>(everyDtype().keySet()));
    }

    @Test
    void save_layoutIsTorchs() throws IOException {
        Path file = dir.resolve("0b7c.pt");
        TorchSerialization.save(everyDtype(), file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            List<String> names = new ArrayList<>();
            zip.stream().forEach(e -> {
                names.add(e.getName());
                assertThat(e.getMethod()).isEqualTo(ZipEntry.STORED);
            });
            assertThat(names).startsWith("0b7c/data.pkl", "0b7c/data/0", "0b7c/data/1")
                    .endsWith("0b7c/version", "0b7c/byteorder");
            assertThat(new String(zip.getInputStream(zip.getEntry("0b7c/version")).readAllBytes(),
                    StandardCharsets.US_ASCII)).isEqualTo("3\n");
        }
        // every entry's data starts at a multiple of 64, as torch's writer aligns it
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int p = 0;
        int entries = 0;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            while (b.getInt(p) == 0x04034b50) {
                int n = b.getShort(p + 26) & 0xFFFF;
                int x = b.getShort(p + 28) & 0xFFFF;
                int start = p + 30 + n + x;
                assertThat(start % 64).isZero();
                String name = new String(b.array(), p + 30, n, StandardCharsets.UTF_8);
                p = start + (int) zip.getEntry(name).getSize() + 16;
                entries++;
            }
        }
        assertThat(entries).isEqualTo(15);
    }

    @Test
    void save_sameTensorTwice_storesItOnce() throws IOException {
        Tensor t = Tensor.ofFloats(new float[] {1, 2}, 2);
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("a", t);
        sd.put("b", t);
        Path file = dir.resolve("shared.pt");
        TorchSerialization.save(sd, file);
        try (ZipFile zip = new ZipFile(file.toFile())) {
            assertThat(zip.getEntry("shared/data/0")).isNotNull();
            assertThat(zip.getEntry("shared/data/1")).isNull();
        }
        assertThat(TorchSerialization.load(file)).containsExactlyEntriesOf(sd);
    }

    @Test
    void saveLoad_streams_useFolderArchive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TorchSerialization.save(everyDtype(), out);
        assertThat(new String(out.toByteArray(), 30, 16, StandardCharsets.US_ASCII)).isEqualTo("archive/data.pkl");
        assertThat(TorchSerialization.load(new ByteArrayInputStream(out.toByteArray())))
                .containsExactlyEntriesOf(everyDtype());
    }

    @Test
    void saveLoad_emptyStateDict() throws IOException {
        Path file = dir.resolve("empty");
        TorchSerialization.save(new StateDict(), file);
        assertThat(TorchSerialization.load(file)).isEmpty();
    }

    @Test
    void load_notAZip_saysSo() throws IOException {
        Path file = dir.resolve("junk");
        Files.write(file, "this is not a zip file at all, just text".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": not a zip file or truncated: no end of central directory record");
    }

    @Test
    void load_tinyFile_saysSo() throws IOException {
        Path file = dir.resolve("tiny");
        Files.write(file, new byte[] {'P', 'K'});
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": not a zip file (2 bytes)");
    }

    @Test
    void load_truncated_namesFile() throws IOException {
        Path file = dir.resolve("cut.pt");
        TorchSerialization.save(everyDtype(), file);
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length - 30));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessageStartingWith(file + ": ");
    }

    @Test
    void load_flippedDataByte_reportsCrc() throws IOException {
        Path file = dir.resolve("bad.pt");
        Map<String, Tensor> sd = Map.of("w", Tensor.ofFloats(new float[] {1, 2, 3, 4}, 4));
        TorchSerialization.save(sd, file);
        byte[] all = Files.readAllBytes(file);
        byte[] data = Tensor.ofFloats(new float[] {1, 2, 3, 4}, 4).toByteArray();
        int at = Bytes.indexOf(all, data);
        assertThat(at).as("where the tensor's bytes lie").isNotNegative();
        all[at + 5] ^= 0x10;
        Files.write(file, all);
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessageMatching("\\Q" + file + ": damaged entry bad/data/0: CRC actual 0x\\E[0-9a-f]+"
                        + " != expected 0x[0-9a-f]+");
    }

    @Test
    void load_legacyFormat_isNamed() throws IOException {
        Path file = dir.resolve("legacy.pt");
        Files.write(file, new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c,
            0x46, (byte) 0xf9, 0x20, 0x6a, (byte) 0xa8, 0x50, 0x19, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '.'});
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": legacy (pre-1.6, non-zip) torch.save format is not supported;"
                        + " re-save it with a current torch");
    }

    @Test
    void load_missingStorageEntry_namesIt() throws IOException {
        Path file = dir.resolve("nostorage.pt");
        byte[] pkl = dataPkl("FloatStorage", "0", 2);
        writeZip(file, Map.of("nostorage/data.pkl", pkl, "nostorage/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": data.pkl refers to storage '0' but there is no entry nostorage/data/0");
    }

    @Test
    void load_storageTooSmall_isRefused() throws IOException {
        Path file = dir.resolve("small.pt");
        writeZip(file, Map.of("small/data.pkl", dataPkl("FloatStorage", "0", 4),
                "small/data/0", new byte[8], "small/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessageContaining("torch storage '0' should hold 4 float32 elements but has 8 bytes");
    }

    @Test
    void load_maliciousDataPkl_isRefusedAndNothingRuns() throws IOException {
        Path file = dir.resolve("evil.pt");
        Path marker = dir.resolve("pwned");
        byte[] pkl = ("cos\nsystem\n(S'touch " + marker + "'\ntR.").getBytes(StandardCharsets.US_ASCII);
        writeZip(file, Map.of("evil/data.pkl", pkl, "evil/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": evil/data.pkl: refused to load global os.system: not on the allow-list");
        assertThat(marker).doesNotExist();
    }

    @Test
    void load_compressedEntry_isRefused() throws IOException {
        Path file = dir.resolve("deflated.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("deflated/data.pkl"));
            z.write(dataPkl("FloatStorage", "0", 0));
            z.putNextEntry(new ZipEntry("deflated/version"));
            z.write('3');
        }
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": entry deflated/data.pkl is compressed (method 8);"
                        + " torch.save files are stored uncompressed");
    }

    @Test
    void load_notAStateDict_namesTheEntry() throws IOException {
        Path file = dir.resolve("mixed.pt");
        // {'epoch': 3}
        byte[] pkl = {(byte) 0x80, 2, '}', 'X', 5, 0, 0, 0, 'e', 'p', 'o', 'c', 'h', 'K', 3, 's', '.'};
        writeZip(file, Map.of("mixed/data.pkl", pkl, "mixed/version", "3\n".getBytes(StandardCharsets.US_ASCII)));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": state dict entry 'epoch' is a Long, not a tensor");
        assertThat(TorchSerialization.loadObject(file)).isEqualTo(Map.of("epoch", 3L));
    }

    @Test
    void load_noVersionEntry_isRefused() throws IOException {
        Path file = dir.resolve("nover.pt");
        writeZip(file, Map.of("nover/data.pkl", dataPkl("FloatStorage", "0", 0)));
        assertThatThrownBy(() -> TorchSerialization.load(file))
                .isInstanceOf(TorchFormatException.class)
                .hasMessage(file + ": not a torch.save file: no nover/version entry");
    }

    /** {'w': _rebuild_tensor_v2(('storage', torch.CLS, KEY, 'cpu', numel), 0, (numel,), (1,), False, OrderedDict())}. */
    static byte[] dataPkl(String storageClass, String key, int numel) {
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {(byte) 0x80, 2, '}', 'X', 1, 0, 0, 0, 'w'});
        p.writeBytes("ctorch._utils\n_rebuild_tensor_v2\n((X\u0007\0\0\0storage".getBytes(StandardCharsets.ISO_8859_1));
        p.writeBytes(("ctorch\n" + storageClass + "\n").getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'X', (byte) key.length(), 0, 0, 0});
        p.writeBytes(key.getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'X', 3, 0, 0, 0, 'c', 'p', 'u', 'K', (byte) numel, 't', 'Q', 'K', 0,
            'K', (byte) numel, (byte) 0x85, 'K', 1, (byte) 0x85, (byte) 0x89});
        p.writeBytes("ccollections\nOrderedDict\n)Rt".getBytes(StandardCharsets.US_ASCII));
        p.writeBytes(new byte[] {'R', 's', '.'});
        return p.toByteArray();
    }

    static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            List<String> names = new ArrayList<>(entries.keySet());
            names.sort(null);
            for (String n : names) {
                byte[] b = entries.get(n);
                ZipEntry e = new ZipEntry(n);
                e.setMethod(ZipEntry.STORED);
                e.setSize(b.length);
                CRC32 crc = new CRC32();
                crc.update(b);
                e.setCrc(crc.getValue());
                z.putNextEntry(e);
                z.write(b);
            }
        }
    }

    @Test
    void load_everyDamagedOrCutByte_isAStateDictOrACoxException() throws IOException {
        Map<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("w", Tensor.ofFloats(new float[] {1, 2, 3, 4}, 2, 2));
        sd.put("b", Tensor.ofLongs(new long[] {7}, 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TorchSerialization.save(sd, out);
        byte[] good = out.toByteArray();
        int loaded = 0;
        for (int i = 0; i < good.length; i++) {
            for (int mask : new int[] {0x01, 0x80, 0xff}) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) mask;
                loaded += loadsOrFailsCleanly(bad, "byte " + i + " ^ 0x" + Integer.toHexString(mask));
            }
            loaded += loadsOrFailsCleanly(Arrays.copyOf(good, i), "cut at " + i);
        }
        // flips in padding and in the zip's unchecked fields still load; most do not
        assertThat(loaded).isPositive().isLessThan(good.length * 4);
    }

    /** 1 if {@code bytes} loads, 0 if it fails with a cox exception; anything else fails the test. */
    private static int loadsOrFailsCleanly(byte[] bytes, String what) {
        try {
            TorchSerialization.load(new ByteArrayInputStream(bytes));
            return 1;
        } catch (cox.exceptions.CoxException e) {
            assertThat(e.getMessage()).as(what).startsWith("<stream>: ");
            return 0;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }
}
