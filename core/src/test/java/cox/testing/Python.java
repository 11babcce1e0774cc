package cox.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code /usr/bin/python3} (Debian's, where python3-pandas, -tables, -torch and -protobuf
 * live) for interoperability tests. Tests that use it are annotated {@link Interop}, so they run
 * in the Maven profile {@code interop} and are reported skipped elsewhere.
 */
public final class Python {
    /** The interpreter Debian's python3-* packages install into. */
    public static final String PYTHON = "/usr/bin/python3";

    private Python() {
    }

    /**
     * Runs {@code script} with {@code args}; fails with Python's output if it exits non-zero.
     *
     * @return what the script printed on stdout
     */
    public static String run(String script, String... args) {
        try {
            Path file = Files.createTempFile("cox4j-test", ".py");
            try {
                Files.writeString(file, script);
                List<String> cmd = new ArrayList<>(List.of(PYTHON, file.toString()));
                cmd.addAll(List.of(args));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
                byte[] out;
                byte[] err;
                Thread errReader;
                ByteSink errSink = new ByteSink(p);
                errReader = new Thread(errSink);
                errReader.start();
                out = p.getInputStream().readAllBytes();
                if (!p.waitFor(300, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new AssertionError("python did not finish in 300 s");
                }
                errReader.join();
                err = errSink.bytes;
                String stdout = new String(out, StandardCharsets.UTF_8);
                if (p.exitValue() != 0) {
                    throw new AssertionError("python exited " + p.exitValue() + "\nstdout:\n" + stdout + "\nstderr:\n"
                            + new String(err, StandardCharsets.UTF_8));
                }
                return stdout;
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot run " + PYTHON + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static final class ByteSink implements Runnable {
        private final Process process;
        volatile byte[] bytes = new byte[0];

        ByteSink(Process process) {
            this.process = process;
        }

        @Override
        public void run() {
            try {
                bytes = process.getErrorStream().readAllBytes();
            } catch (IOException e) {
                bytes = e.toString().getBytes(StandardCharsets.UTF_8);
            }
        }
    }
}
