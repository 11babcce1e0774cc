package cox.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.exceptions.StoreFormatException;
import cox.testing.Interop;
import cox.testing.Python;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17, finding 6: a changed byte in a {@code .table_objects/} file changed a PICKLE value
 * ({@code {epochs=90}} read as {@code {epochs=9}}) without an error, since the journal held only
 * the file's id. cox4j now names each file by the SHA-256 of its bytes.
 */
class ObjectFileDigestTest {
    @TempDir
    Path dir;

    @Test
    void uid_isTheFilesContentDigest_andEqualValuesShareAFile() throws Exception {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("objects", ObjectColumnsTest.SCHEMA);
            Map<String, Object> row = Map.of("obj", 1L, "pick", Map.of("epochs", 90L), "state", new ObjectColumnsTest.Model());
            t.appendRow(row);
            t.appendRow(row);
            List<Object> picks = t.df().getColumn("pick").toList();
            List<Object> states = t.df().getColumn("state").toList();
            assertThat(picks.get(1)).isEqualTo(picks.get(0));
            assertThat(states.get(1)).isEqualTo(states.get(0));
            for (Object uid : List.of(picks.get(0), states.get(0))) {
                Path file = s.path().resolve(".table_objects").resolve((String) uid);
                assertThat(UUID.fromString((String) uid).version()).isEqualTo(8);
                assertThat(ObjectCells.contentUid(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))))
                        .isEqualTo(uid);
            }
            try (var files = Files.list(s.path().resolve(".table_objects"))) {
                assertThat(files.count()).as("no temporary file is left").isEqualTo(2);
            }
            assertThat(t.getPickle((String) picks.get(1))).isEqualTo(Map.of("epochs", 90L));
        }
    }

    @Test
    void everyChangedByte_ofAPickleFile_isANamedError() throws Exception {
        String uid;
        Path file;
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("config", Schema.of("pick", Store.PICKLE));
            t.appendRow(Map.of("pick", Map.of("epochs", 90L)));
            uid = (String) t.df().getColumn("pick").get(0);
            file = s.path().resolve(".table_objects").resolve(uid);
        }
        byte[] good = Files.readAllBytes(file);
        Random random = new Random(17);
        try (Store r = Store.open(dir, "exp", Mode.READ)) {
            Table t = r.table("config");
            for (int i = 0; i < good.length; i++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 + random.nextInt(255));
                Files.write(file, bad);
                assertThatThrownBy(() -> t.getPickle(uid))
                        .as("byte %d changed", i)
                        .isInstanceOf(StoreFormatException.class)
                        .hasMessageContaining("object file " + file + " was changed after it was written")
                        .hasMessageContaining("instead of " + uid);
            }
            Files.write(file, java.util.Arrays.copyOf(good, good.length - 1));
            assertThatThrownBy(() -> t.getPickle(uid)).isInstanceOf(StoreFormatException.class);
            Files.write(file, good);
            assertThat(t.getPickle(uid)).isEqualTo(Map.of("epochs", 90L));
        }
    }

    @Test
    void aChangedStateDictFile_isANamedError() throws Exception {
        String uid;
        Path file;
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("weights", Schema.of("state", Store.PYTORCH_STATE));
            t.appendRow(Map.of("state", new ObjectColumnsTest.Model()));
            uid = (String) t.df().getColumn("state").get(0);
            file = s.path().resolve(".table_objects").resolve(uid);
        }
        byte[] good = Files.readAllBytes(file);
        Random random = new Random(6);
        try (Store r = Store.open(dir, "exp", Mode.READ)) {
            Table t = r.table("weights");
            for (int trial = 0; trial < 200; trial++) {
                byte[] bad = good.clone();
                bad[random.nextInt(bad.length)] ^= (byte) (1 + random.nextInt(255));
                Files.write(file, bad);
                assertThatThrownBy(() -> t.getStateDict(uid)).isInstanceOf(StoreFormatException.class)
                        .hasMessageContaining("was changed after it was written");
            }
        }
    }

    @Test
    void aPythonStyleUuid4File_isReadUnchecked() throws Exception {
        try (Store s = Store.open(dir, "exp")) {
            Table t = s.addTable("config", Schema.of("pick", Store.PICKLE));
            t.appendRow(Map.of("pick", Map.of("epochs", 90L)));
            String uid = (String) t.df().getColumn("pick").get(0);
            Path objects = s.path().resolve(".table_objects");
            String uuid4 = "8667a56b-2850-40ef-a42c-a0487b75317d";
            Files.copy(objects.resolve(uid), objects.resolve(uuid4));
            assertThat(t.getPickle(uuid4)).isEqualTo(Map.of("epochs", 90L));
        }
    }

    @Test
    @Interop
    void python_readsTheFilesCoxNamesByContent() {
        Path store;
        try (Store s = Store.open(dir, "exp")) {
            store = s.path();
            s.addTable("objects", ObjectColumnsTest.SCHEMA).appendRow(Map.of("obj", 1L, "pick", Map.of("epochs", 90L),
                    "state", new ObjectColumnsTest.Model()));
        }
        String out = Python.run(String.join("\n",
                "import sys, os, pickle, torch, pandas as pd",
                "exp = sys.argv[1]",
                "df = pd.read_hdf(os.path.join(exp, 'store.h5'), 'objects')",
                "pick = pickle.load(open(os.path.join(exp, '.table_objects', df['pick'][0]), 'rb'))",
                "state = torch.load(os.path.join(exp, '.table_objects', df['state'][0]), weights_only=True)",
                "print(pick, state['w'].tolist())"), store.toString());
        assertThat(out.strip()).isEqualTo("{'epochs': 90} [[1.0, 2.0], [3.0, 4.0]]");
    }
}
