package cox.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cox.io.PositionalInput;
import cox.io.PositionalInputs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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

/** The provider over a real HDFS, in process (MiniDFSCluster): listing, attributes, positional reads, and the writes a push makes. */
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
            assertThat(fs.isReadOnly()).isFalse();
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
    void checkAccess_readAndHadoopsWritePermission() throws IOException {
        Path f = runs().resolve("a/store.h5");
        f.getFileSystem().provider().checkAccess(f, AccessMode.READ);
        f.getFileSystem().provider().checkAccess(f, AccessMode.WRITE); // the test's user owns the file
        assertThatThrownBy(() -> f.getFileSystem().provider().checkAccess(f, AccessMode.EXECUTE))
                .isInstanceOf(AccessDeniedException.class);
        assertThat(Files.isReadable(f)).isTrue();
        assertThat(Files.isWritable(f)).isTrue();
        assertThat(Files.isWritable(runs().resolve("a/nope"))).isFalse();
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

    private static Path scratch(String name) throws IOException {
        Path d = runs().resolveSibling("scratch-" + name);
        hdfs.delete(new org.apache.hadoop.fs.Path(d.toUri().getPath()), true);
        hdfs.mkdirs(new org.apache.hadoop.fs.Path(d.toUri().getPath()));
        return d;
    }

    private static byte[] hdfsBytes(Path p) throws IOException {
        try (InputStream in = hdfs.open(new org.apache.hadoop.fs.Path(p.toUri().getPath()))) {
            return in.readAllBytes();
        }
    }

    @Test
    void newOutputStream_createsAndTruncates_readableAtOnce() throws IOException {
        Path d = scratch("out");
        Path f = d.resolve("x.bin");
        try (OutputStream out = Files.newOutputStream(f)) {
            out.write(big, 0, 5_000_000);
            out.write(7);
        }
        assertThat(Files.size(f)).isEqualTo(5_000_001);
        byte[] expected = java.util.Arrays.copyOf(big, 5_000_001);
        expected[5_000_000] = 7;
        assertThat(hdfsBytes(f)).isEqualTo(expected);
        Files.write(f, new byte[] {4, 5}); // CREATE, TRUNCATE_EXISTING, WRITE: replaces
        assertThat(Files.readAllBytes(f)).containsExactly(4, 5);
        Files.writeString(d.resolve("y.txt"), "hello", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        assertThat(Files.readString(d.resolve("y.txt"))).isEqualTo("hello");
        assertThatThrownBy(() -> Files.write(d.resolve("y.txt"), new byte[1], StandardOpenOption.CREATE_NEW))
                .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("y.txt");
        // java.nio's contract, not Hadoop's habit: the folder must be there
        assertThatThrownBy(() -> Files.write(d.resolve("no/z.bin"), new byte[1]))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("no/z.bin");
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path(d.toUri().getPath() + "/no"))).isFalse();
        assertThatThrownBy(() -> Files.write(d.resolve("w.bin"), new byte[1], StandardOpenOption.WRITE))
                .isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.write(d, new byte[1])).isInstanceOf(java.nio.file.FileSystemException.class)
                .hasMessageContaining("folder");
    }

    @Test
    void newByteChannel_write_isSequentialAndWriteOnly() throws IOException {
        Path d = scratch("channel");
        Path f = d.resolve("c.bin");
        try (SeekableByteChannel ch = Files.newByteChannel(f, StandardOpenOption.WRITE, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            assertThat(ch).isNotInstanceOf(PositionalInput.class);
            assertThat(ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}))).isEqualTo(3);
            ByteBuffer direct = ByteBuffer.allocateDirect(2).put((byte) 4).put((byte) 5).flip();
            assertThat(ch.write(direct)).isEqualTo(2);
            assertThat(ch.position()).isEqualTo(5);
            assertThat(ch.size()).isEqualTo(5);
            ch.position(5);
            assertThatThrownBy(() -> ch.position(0)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("sequentially");
            assertThatThrownBy(() -> ch.read(ByteBuffer.allocate(1))).isInstanceOf(NonReadableChannelException.class);
        }
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3, 4, 5);
        // writing into a file without emptying it, appending, reading and writing at once: not a push's
        assertThatThrownBy(() -> Files.newByteChannel(f, StandardOpenOption.WRITE))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("TRUNCATE_EXISTING");
        assertThatThrownBy(() -> Files.newByteChannel(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("APPEND");
        assertThatThrownBy(() -> Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.WRITE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(Files.readAllBytes(f)).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void createDirectory_oneLevel_andCreateDirectories() throws IOException {
        Path d = scratch("dirs");
        Files.createDirectory(d.resolve("one"));
        assertThat(Files.isDirectory(d.resolve("one"))).isTrue();
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("one")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("two/three")))
                .isInstanceOf(NoSuchFileException.class);
        assertThat(Files.exists(d.resolve("two"))).isFalse();
        Files.write(d.resolve("file"), new byte[] {1});
        assertThatThrownBy(() -> Files.createDirectory(d.resolve("file")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> Files.createDirectories(d.resolve("file")))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.isRegularFile(d.resolve("file"))).isTrue();
        Files.createDirectories(d.resolve("two/three/four"));
        assertThat(Files.isDirectory(d.resolve("two/three/four"))).isTrue();
        Files.createDirectories(d.resolve("two/three/four")); // there already: fine
    }

    @Test
    void delete_fileOrEmptyFolder_neverRecursive() throws IOException {
        Path d = scratch("delete");
        Files.createDirectories(d.resolve("sub/empty"));
        Files.write(d.resolve("sub/f"), new byte[] {1});
        assertThatThrownBy(() -> Files.delete(d.resolve("sub"))).isInstanceOf(DirectoryNotEmptyException.class)
                .hasMessageContaining("/sub");
        assertThat(Files.exists(d.resolve("sub/f"))).isTrue();
        Files.delete(d.resolve("sub/f"));
        assertThat(Files.exists(d.resolve("sub/f"))).isFalse();
        assertThatThrownBy(() -> Files.delete(d.resolve("sub/f"))).isInstanceOf(NoSuchFileException.class);
        assertThat(Files.deleteIfExists(d.resolve("sub/f"))).isFalse();
        assertThat(Files.deleteIfExists(d.resolve("sub/empty"))).isTrue();
        Files.delete(d.resolve("sub"));
        assertThat(Files.exists(d.resolve("sub"))).isFalse();
    }

    @Test
    void move_renames_replacesOnAsk_atomicOnHdfs() throws IOException {
        Path d = scratch("move");
        Path a = d.resolve("a");
        Path b = d.resolve("b");
        Files.write(a, new byte[] {1});
        Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
        assertThat(Files.exists(a)).isFalse();
        assertThat(Files.readAllBytes(b)).containsExactly(1);
        Files.write(a, new byte[] {2});
        assertThatThrownBy(() -> Files.move(a, b)).isInstanceOf(FileAlreadyExistsException.class);
        // what cox push does: one rename that replaces the target, atomically on HDFS
        Files.move(a, b, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readAllBytes(b)).containsExactly(2);
        assertThat(Files.exists(a)).isFalse();
        Files.write(a, new byte[] {3});
        Files.move(a, b, StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readAllBytes(b)).containsExactly(3);
        assertThatThrownBy(() -> Files.move(a, b, StandardCopyOption.REPLACE_EXISTING))
                .isInstanceOf(NoSuchFileException.class);
        // a folder moves whole; an existing folder is no place to move into (Hadoop's rename would)
        Files.createDirectories(d.resolve("x/y"));
        Files.write(d.resolve("x/y/f"), new byte[] {4});
        Files.move(d.resolve("x"), d.resolve("z"));
        assertThat(Files.readAllBytes(d.resolve("z/y/f"))).containsExactly(4);
        Files.createDirectory(d.resolve("x"));
        Files.write(d.resolve("x/g"), new byte[] {5});
        assertThatThrownBy(() -> Files.move(d.resolve("z"), d.resolve("x"), StandardCopyOption.REPLACE_EXISTING))
                .isInstanceOf(DirectoryNotEmptyException.class);
        assertThatThrownBy(() -> Files.move(b, d.resolve("no/b"))).isInstanceOf(NoSuchFileException.class);
        assertThatThrownBy(() -> Files.move(b, d.resolve("c"), StandardCopyOption.COPY_ATTRIBUTES))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(Files.readAllBytes(b)).containsExactly(3);
    }

    @Test
    void atomicMove_isRefusedWhereARenameCopies() throws IOException {
        // a Hadoop file system of another scheme over the same bytes: the local one, which renames
        // atomically, is not known to; and s3a:// (copy, then delete) is what this guards
        Path local = HadoopPaths.of(base.toUri(), new Configuration());
        Path from = local.resolve("atomic-a");
        Files.write(from, new byte[] {1});
        assertThatThrownBy(() -> Files.move(from, local.resolve("atomic-b"), StandardCopyOption.ATOMIC_MOVE))
                .isInstanceOf(AtomicMoveNotSupportedException.class).hasMessageContaining("not atomically");
        Files.move(from, local.resolve("atomic-b"), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.readAllBytes(local.resolve("atomic-b"))).containsExactly(1);
        assertThat(java.nio.file.Files.readAllBytes(base.resolve("atomic-b"))).containsExactly(1);
    }

    @Test
    void whatAPushNeedsNot_isUnsupported() throws IOException {
        Path f = runs().resolve("a/store.h5");
        Path d = runs().resolve("new");
        assertThatThrownBy(() -> Files.copy(f, d)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("copying");
        assertThatThrownBy(() -> Files.setLastModifiedTime(f, FileTime.fromMillis(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Files.setAttribute(f, "basic:lastModifiedTime", FileTime.fromMillis(0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> Files.newByteChannel(f, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(f.getFileSystem().isReadOnly()).isFalse();
        assertThat(hdfs.exists(new org.apache.hadoop.fs.Path("/runs/new"))).isFalse();
        assertThat(Files.readAllBytes(f)).isEqualTo(small);
    }
}
