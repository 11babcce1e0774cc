package cox.hadoop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.nio.file.ProviderMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** Path arithmetic, with no cluster: Hadoop's local file system behind a made-up scheme is not needed, only names. */
class HadoopPathTest {
    private static Path p(String s) throws IOException {
        Configuration conf = new Configuration();
        Path root = HadoopPaths.of(URI.create("file:///"), conf);
        return root.getFileSystem().getPath(s);
    }

    @Test
    void absoluteAndRelative() throws IOException {
        assertThat(p("/runs/a").isAbsolute()).isTrue();
        assertThat(p("runs/a").isAbsolute()).isFalse();
        assertThat(p("/runs//a/").toString()).isEqualTo("/runs/a");
        assertThat(p("/").getRoot()).isEqualTo(p("/"));
        assertThat(p("runs").getRoot()).isNull();
    }

    @Test
    void namesParentsAndFileName() throws IOException {
        Path x = p("/runs/a/store.h5");
        assertThat(x.getFileName()).isEqualTo(p("store.h5"));
        assertThat(x.getParent()).isEqualTo(p("/runs/a"));
        assertThat(x.getParent().getParent().getParent()).isEqualTo(p("/"));
        assertThat(p("/").getParent()).isNull();
        assertThat(p("/").getFileName()).isNull();
        assertThat(p("a").getParent()).isNull();
        assertThat(p("a/b").getParent()).isEqualTo(p("a"));
        assertThat(x.getNameCount()).isEqualTo(3);
        assertThat(x.getName(1)).isEqualTo(p("a"));
        assertThat(x.subpath(1, 3)).isEqualTo(p("a/store.h5"));
        List<String> names = new ArrayList<>();
        x.forEach(n -> names.add(n.toString()));
        assertThat(names).containsExactly("runs", "a", "store.h5");
        assertThatThrownBy(() -> x.getName(3)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void resolveRelativizeNormalize() throws IOException {
        assertThat(p("/runs").resolve("a/store.h5")).isEqualTo(p("/runs/a/store.h5"));
        assertThat(p("/runs").resolve("/other")).isEqualTo(p("/other"));
        assertThat(p("/runs").resolve("")).isEqualTo(p("/runs"));
        assertThat(p("/runs/a").resolveSibling("b")).isEqualTo(p("/runs/b"));
        assertThat(p("/runs").relativize(p("/runs/a/b"))).isEqualTo(p("a/b"));
        assertThat(p("/runs/a").relativize(p("/runs/b"))).isEqualTo(p("../b"));
        assertThat(p("/runs/./a/../b").normalize()).isEqualTo(p("/runs/b"));
        assertThat(p("/../x").normalize()).isEqualTo(p("/x"));
        assertThat(p("../x/..").normalize()).isEqualTo(p(".."));
    }

    @Test
    void startsWithEndsWith() throws IOException {
        Path x = p("/runs/a/store.h5");
        assertThat(x.startsWith(p("/runs"))).isTrue();
        assertThat(x.startsWith("/runs/a")).isTrue();
        assertThat(x.startsWith(p("/run"))).isFalse();
        assertThat(x.startsWith(p("runs"))).isFalse();
        assertThat(x.endsWith("a/store.h5")).isTrue();
        assertThat(x.endsWith("store")).isFalse();
        assertThat(x.startsWith(Path.of("/runs"))).isFalse();
    }

    @Test
    void equalsHashCodeCompareAndUri() throws IOException {
        assertThat(p("/runs/a")).isEqualTo(p("/runs//a")).hasSameHashCodeAs(p("/runs//a"));
        assertThat(p("/runs/a")).isNotEqualTo(p("/runs/b")).isNotEqualTo(Path.of("/runs/a"));
        assertThat(p("/runs/a").compareTo(p("/runs/b"))).isNegative();
        assertThat(p("/runs/a b").toUri()).isEqualTo(URI.create("file:/runs/a%20b"));
        assertThatThrownBy(() -> p("/runs").resolve(Path.of("x"))).isInstanceOf(ProviderMismatchException.class);
        assertThatThrownBy(() -> p("/runs").toFile()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void pathMatchers() throws IOException {
        Path x = p("/runs/a/store.h5");
        assertThat(x.getFileSystem().getPathMatcher("glob:/runs/*/store.h5").matches(x)).isTrue();
        assertThat(x.getFileSystem().getPathMatcher("regex:.*\\.h5").matches(x)).isTrue();
        assertThat(x.getFileSystem().getPathMatcher("glob:*.h5").matches(x)).isFalse();
    }
}
