package cox.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The three runs the real Python cox wrote ({@code exp-0}, {@code exp-1}, {@code exp-2}: tables
 * metadata, results, special and objects, their {@code .table_objects/} and TensorBoard files; see
 * the README beside them), kept as test resources under {@code cox/testing/cox-python/} and copied
 * out into a test's folder, whether they are read from a folder of classes or from core's test-jar.
 */
public final class PythonCoxRuns {
    /** The runs' ids (their folder names). */
    public static final List<String> IDS = List.of("exp-0", "exp-1", "exp-2");

    private static final String ROOT = "/cox/testing/cox-python/";

    private PythonCoxRuns() {
    }

    /**
     * Copies all three runs into {@code folder} (made if missing), each as a sub-folder of its id.
     *
     * @return {@code folder}
     */
    public static Path copyAll(Path folder) {
        for (String id : IDS) {
            copy(id, folder);
        }
        return folder;
    }

    /** Copies run {@code id} (one of {@link #IDS}) into {@code folder}, as {@code folder/id}. */
    public static void copy(String id, Path folder) {
        if (!IDS.contains(id)) {
            throw new IllegalArgumentException("no Python cox run " + id + "; the runs are " + IDS);
        }
        URL url = PythonCoxRuns.class.getResource(ROOT + id);
        if (url == null) {
            throw new IllegalStateException("no resource " + ROOT + id + " on the class path (core's test classes or test-jar)");
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                synchronized (PythonCoxRuns.class) {
                    try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                        copyFolder(jar.getPath(ROOT + id), folder.resolve(id));
                    }
                }
            } else {
                copyFolder(Path.of(uri), folder.resolve(id));
            }
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Copies the folder {@code from} (of any file system) and all below it to {@code to}, parents
     * before children; an existing file at a target fails the copy.
     */
    public static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
