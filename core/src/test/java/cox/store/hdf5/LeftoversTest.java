package cox.store.hdf5;

import static org.assertj.core.api.Assertions.assertThat;

import hdf.hdf5lib.H5;
import hdf.hdf5lib.HDF5Constants;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a killed writer leaves in store.h5 (retired datasets, unpublished tables) does not trip the next one. */
class LeftoversTest {
    @TempDir
    Path dir;

    @Test
    void widening_afterAKilledWriterRetiredDatasets_stillWorks() throws Exception {
        Path file = dir.resolve("store.h5");
        Path crashed = dir.resolve("crashed.h5");
        try (PandasStoreFile f = PandasStoreFile.create(file)) {
            PandasTable t = f.createTable("rows", PandasStoreFileTest.text("s"), 1);
            t.append(List.<Object[]>of(new Object[] {"a"}));
            t.append(List.<Object[]>of(new Object[] {"bbbb"})); // widens: the old dataset is retired
            f.flush();
            // the file as a writer killed now leaves it: flushed, never closed, retired dataset still there
            java.nio.file.Files.copy(file, crashed);
            Hdf5Library.LOCK.lock();
            try {
                H5.H5Gclose(H5.H5Gcreate(f.fileId(), "/.cox4j_new_ghost", HDF5Constants.H5P_DEFAULT,
                        HDF5Constants.H5P_DEFAULT, HDF5Constants.H5P_DEFAULT));
                assertThat(H5.H5Lexists(f.fileId(), "/.cox4j_retired/rows_0", HDF5Constants.H5P_DEFAULT)).isTrue();
                String next = f.retiredName("rows");
                assertThat(next).isEqualTo("/.cox4j_retired/rows_1");
            } finally {
                Hdf5Library.LOCK.unlock();
            }
        }
        // the next writer clears what the killed one left and widens again without a name clash
        try (PandasStoreFile f = PandasStoreFile.open(crashed, true)) {
            assertThat(f.tableNames()).containsExactly("rows");
            PandasTable t = f.table("rows");
            t.append(List.<Object[]>of(new Object[] {"c".repeat(50)}));
            assertThat((String[]) t.read(0, 3)[0]).containsExactly("a", "bbbb", "c".repeat(50));
        }
        try (PandasStoreFile f = PandasStoreFile.open(crashed, false)) {
            Hdf5Library.LOCK.lock();
            try {
                assertThat(H5.H5Lexists(f.fileId(), "/.cox4j_retired", HDF5Constants.H5P_DEFAULT)).isFalse();
            } finally {
                Hdf5Library.LOCK.unlock();
            }
        }
    }
}
