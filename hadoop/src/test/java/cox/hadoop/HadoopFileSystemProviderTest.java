package cox.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.ReadOnlyFileSystemException;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The provider over a real HDFS, in process (MiniDFSCluster): listing, attributes, positional reads, no writes. */
class HadoopFileSystemProviderTest {
    @TempDir
    static java.nio.file.Path base;

    private static MiniDFSCluster cluster;
    private static Configuration conf;
    private static org.apache.hadoop.fs.FileSystem hdfs;
    private static URI root;
    private static byte[] big;
    private static byte[] small;

    @BeforeAll
    static void startHdfs() throws IOException {
        conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        hdfs = cluster.getFileSystem();
        root = URI.create("hdfs://localhost:" + cluster.getNameNodePort());
        Random r = new Random(22);
        big = new byte[9 << 20]; // three 4 MiB ranges
        r.nextBytes(big);
        small = new byte[100_000];
        r.nextBytes(small);
        write("/runs/a/store.h5", small);
        write("/runs/a/big.bin", big);
        write("/runs/b/store.h5", new byte[] {1, 2, 3});
        write("/runs/with space/x.txt", "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        hdfs.mkdirs(new org.apache.hadoop.fs.Path("/runs/empty"));
    }

    private static void write(String p, byte[] bytes) throws IOException {
        try (FSDataOutputStream out = hdfs.create(new org.apache.hadoop.fs.Path(p))) {
            out.write(bytes);
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private static Path runs() throws IOException {
        return HadoopPaths.of(root.resolve("/runs"), conf);
    }

    /** The getFileStatus calls made to HDFS by this JVM (Hadoop counts them per scheme). */
    private static long fileStatusCalls() {
        Long n = org.apache.hadoop.fs.FileSystem.getGlobalStorageStatistics().get("DFSOpsCountStatistics")
                .getLong("op_get_file_status");
        return n == null ? 0 : n;
    }

    @Test
    void pathOf_uri_usesTheInstalledProvider() throws IOException {
        Path p = Path.of(root.resolve("/runs/a/store.h5"));
        assertThat(p.getFileSystem().provider()).isInstanceOf(HadoopFileSystemProvider.Hdfs.class);
        assertThat(p.toUri()).isEqualTo(root.resolve("/runs/a/store.h5"));
        assertThat(Files.size(p)).isEqualTo(small.length);
        assertThat(Files.readAllBytes(p)).isEqualTo(small);
        assertThat(Path.of(root.resolve("/runs"))).isEqualTo(p.getParent().getParent());
    }

    @Test
    void newFileSystem_takesTheConfigurationFromTheMap() throws IOException {
        URI other = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/");
        try (FileSystem fs = FileSystems.newFileSystem(other, Map.of(HadoopFileSystemProvider.CONF_KEY, conf,
                "dfs.client.read.shortcircuit", "false"))) {
            assertThat(fs.isReadOnly()).isTrue();
            Path b = fs.getPath("/runs", "b", "store.h5");
            assertThat(Files.readAllBytes(b)).containsExactly(1, 2, 3);
            assertThat(fs.provider().getFileSystem(other)).isSameAs(fs);
        }
        assertThatThrownBy(() -> FileSystems.getFileSystem(other))
                .isInstanceOf(java.nio.file.FileSystemNotFoundException.class);
    }

    @Test
    void hadoopPaths_sameHadoopFileSystem_sameNioFileSystem() throws IOException {
        Path a = HadoopPaths.of(root.resolve("/runs/a"), conf);
        Path a2 = HadoopPaths.of(root.resolve("/runs/a"), new Configuration(conf));
        assertThat(a).isEqualTo(a2).hasSameHashCodeAs(a2);
        assertThat(a.getFileSystem()).isSameAs(a2.getFileSystem());
        assertThat(HadoopPaths.isHadoopPath(a)).isTrue();
        assertThat(HadoopPaths.isHadoopPath(Path.of("/tmp"))).isFalse();
    }

    @Test
    void list_givesChildrenWhoseAttributesCostNoRequest() throws IOException {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(runs())) {
            s.forEach(children::add);
        }
        assertThat(children).extracting(p -> p.getFileName().toString())
                .containsExactlyInAnyOrder("a", "b", "empty", "with space");
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(runs().resolve("a"))) {
            s.forEach(files::add);
        }
        long before = fileStatusCalls();
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            assertThat(a.isRegularFile()).isTrue();
            assertThat(a.isDirectory()).isFalse();
            assertThat(a.size()).isEqualTo(f.getFileName().toString().equals("store.h5") ? small.length : big.length);
            assertThat(Files.isRegularFile(f)).isTrue();
            assertThat(Files.exists(f)).isTrue();
        }
        for (Path c : children) {
            assertThat(Files.isDirectory(c)).isTrue();
        }
        assertThat(fileStatusCalls()).isEqualTo(before);
        // a path not from a listing asks
        assertThat(Files.size(runs().resolve("a/store.h5"))).isEqualTo(small.length);
        assertThat(fileStatusCalls()).isEqualTo(before + 1);
    }

    @Test
    void filesList_filteredStream_andSpacesInNames() throws IOException {
        try (Stream<Path> s = Files.list(runs())) {
            assertThat(s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("a", "b", "empty", "with space");
        }
        Path spaced = runs().resolve("with space").resolve("x.txt");
        assertThat(Files.readString(spaced)).isEqualTo("hello");
        assertThat(spaced.toUri().toString()).endsWith("/runs/with%20space/x.txt");
        assertThat(Path.of(spaced.toUri())).isEqualTo(Path.of(root.resolve("/runs/with%20space/x.txt")));
    }

    @Test
    void readAttributes_fileAndFolder() throws IOException {
        BasicFileAttributes f = Files.readAttributes(runs().resolve("b/store.h5"), BasicFileAttributes.class);
        assertThat(f.size()).isEqualTo(3);
        assertThat(f.isRegularFile()).isTrue();
        long mtime = hdfs.getFileStatus(new org.apache.hadoop.fs.Path("/runs/b/store.h5")).getModificationTime();
        assertThat(f.lastModifiedTime()).isEqualTo(FileTime.fromMillis(mtime));
        assertThat(Files.getLastModifiedTime(runs().resolve("b/store.h5"))).isEqualTo(FileTime.fromMillis(mtime));
        BasicFileAttributes d = Files.readAttributes(runs().resolve("empty"), BasicFileAttributes.class);
        assertThat(d.isDirectory()).isTrue();
        assertThat(d.isRegularFile()).isFalse();
        assertThat(Files.readAttributes(runs().resolve("b/store.h5"), "size,isDirectory"))
                .containsEntry("size", 3L).containsEntry("isDirectory", false);
    }

    @Test
    void missingPaths_noSuchFile_andAFileIsNoFolder() throws IOException {
        Path missing = runs().resolve("nope/store.h5");
        assertThat(Files.exists(missing)).isFalse();
        assertThat(Files.isRegularFile(missing)).isFalse();
        assertThatThrownBy(() -> Files.size(missing)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("/runs/nope/store.h5");
        assertThatThrownBy(() -> Files.newByteChannel(missing)).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.newDirectoryStream(runs().resolve("nope")))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.newDirectoryStream(runs().resolve("b/store.h5")))
                .isInstanceOf(NotDirectoryException.class);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(runs().resolve("empty"))) {
            assertThat(s.iterator().hasNext()).isFalse();
        }
    }

    @Test
    void checkAccess_readsButNeverWrites() throws IOException {
        Path f = runs().resolve("a/store.h5");
        f.getFileSystem().provider().checkAccess(f, AccessMode.READ);
        assertThatThrownBy(() -> f.getFileSystem().provider().checkAccess(f, AccessMode.WRITE))
                .isInstanceOf(AccessDeniedException.class).hasMessageContaining("read-only");
        assertThat(Files.isReadable(f)).isTrue();
        assertThat(Files.isWritable(f)).isFalse();
    }

    @Test
    void channel_isAPositionalInputReadingHadoopsPositionalReads() throws IOException {
        Path f = runs().resolve("a/big.bin");
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.READ)) {
            assertThat(ch).isInstanceOf(PositionalInput.class);
            PositionalInput in = (PositionalInput) ch;
            assertThat(in.size()).isEqualTo(big.length);
            ByteBuffer b = ByteBuffer.allocate(1000);
            in.readFully(5_000_000, b);
            assertThat(b.array()).isEqualTo(java.util.Arrays.copyOfRange(big, 5_000_000, 5_001_000));
            ByteBuffer direct = ByteBuffer.allocateDirect(10);
            assertThat(in.read(big.length - 4, direct)).isEqualTo(4);
            assertThat(in.read(big.length, direct)).isEqualTo(-1);
            assertThatThrownBy(() -> in.readFully(big.length - 2, ByteBuffer.allocate(5)))
                    .isInstanceOf(java.io.EOFException.class).hasMessageContaining("big.bin");
            // the sequential view: position, read, seek
            ch.position(big.length - 3);
            ByteBuffer last = ByteBuffer.allocate(8);
            assertThat(ch.read(last)).isEqualTo(3);
            assertThat(ch.position()).isEqualTo(big.length);
            assertThat(ch.read(last)).isEqualTo(-1);
            assertThatThrownBy(() -> ch.write(ByteBuffer.allocate(1))).isInstanceOf(NonWritableChannelException.class);
        }
        try (InputStream in = Files.newInputStream(f)) {
            assertThat(in.readAllBytes()).isEqualTo(big);
        }
    }

    @Test
    void positionalInputs_smallFileInOneRangeRequest_bigInThree() throws IOException {
        long before = PositionalInputs.rangeRequests();
        try (PositionalInput in = PositionalInputs.open(runs().resolve("a/store.h5"))) {
            byte[] all = new byte[small.length];
            for (int off = 0; off < all.length; off += 4096) { // many small reads, as the HDF5 parser makes
                ByteBuffer b = ByteBuffer.wrap(all, off, Math.min(4096, all.length - off));
                in.readFully(off, b);
            }
            assertThat(all).isEqualTo(small);
        }
        assertThat(PositionalInputs.rangeRequests() - before).isEqualTo(1);
        before = PositionalInputs.rangeRequests();
        try (PositionalInput in = PositionalInputs.open(runs().resolve("a/big.bin"))) {
            byte[] all = new byte[big.length];
            for (int off = 0; off < all.length; off += 65536) {
                in.readFully(off, ByteBuffer.wrap(all, off, Math.min(65536, all.length - off)));
            }
            assertThat(all).isEqualTo(big);
        }
        assertThat(PositionalInputs.rangeRequests() - before).isEqualTo(3);
    }

    @Test
    void everyWriteIsRefused() throws IOException {
        Path f = runs().resolve("a/store.h5");
        Path d = runs().resolve("new");
        assertThatThrownBy(() -> Files.write(f, new byte[1])).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.newByteChannel(f, StandardOpenOption.WRITE))
                .isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.newOutputStream(d.resolve("x"))).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.createDirectory(d)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.createDirectories(d)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.delete(f)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.deleteIfExists(f)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.move(f, d)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.copy(f, d)).isInstanceOf(ReadOnlyFileSystemException.class);
        assertThatThrownBy(() -> Files.setLastModifiedTime(f, FileTime.fromMillis(0)))
                .isInstanceOf(ReadOnlyFileSystemException.class);
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/new"))).isFalse();
        assertThat(Files.readAllBytes(f)).isEqualTo(small);
    }
}
