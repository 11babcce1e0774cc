package cox.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the built {@code cox} command as a user does: {@code java cox.cli.CoxCommand ARGS} in its
 * own process (the test's class path: cli's and core's compiled classes and their libraries), in a
 * chosen working directory and environment, and collects its exit status and output.
 */
final class CliProcess {
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private CliProcess() {
    }

    static Result cox(Path workDir, String... args) {
        return cox(workDir, Map.of(), args);
    }

    static Result cox(Path workDir, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                CoxCommand.class.getName()));
        cmd.addAll(List.of(args));
        return run(workDir, env, cmd);
    }

    static Result run(Path workDir, Map<String, String> env, List<String> cmd) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            p.getOutputStream().close();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(p.getErrorStream(), err));
            errReader.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy(p.getInputStream(), out);
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish in 180 s: " + cmd);
            }
            errReader.join();
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try (in) {
            in.transferTo(out);
        } catch (IOException e) {
            out.writeBytes(e.toString().getBytes(StandardCharsets.UTF_8));
        }
    }
}
