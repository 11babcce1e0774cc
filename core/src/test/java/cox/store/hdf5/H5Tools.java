package cox.store.hdf5;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of an HDF5 file for tests: our own accounting of its space, and the HDF Group's tools (h5dump, h5stat). */
final class H5Tools {
    private H5Tools() {
    }

    /** Bytes of the file that no object reachable from the root uses, by cox4j's own walk. */
    static long unaccountedSpace(Path file) {
        try (FileBytes f = FileBytes.openForReading(file)) {
            Superblock sb = Superblock.read(f);
            ObjectCopier walk = new ObjectCopier(f, sb, null, null);
            walk.addOccupied(sb.size());
            walk.copy(sb.rootHeader(), "/", 0);
            return f.length() - walk.occupied();
        }
    }

    /** Runs a command; fails with its output if it exits non-zero. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish");
            }
            String s = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + s);
            }
            return s;
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command[0] + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** h5stat's "Unaccounted space" of the file. */
    static long h5statUnaccounted(Path file) {
        String out = run("h5stat", "-S", file.toString());
        Matcher m = Pattern.compile("Unaccounted space: (\\d+) bytes").matcher(out);
        if (!m.find()) {
            throw new AssertionError("h5stat printed no unaccounted space:\n" + out);
        }
        return Long.parseLong(m.group(1));
    }

    /** h5dump's header and properties listing ({@code -H -p}), without its first line (which names the file). */
    static String h5dumpHeader(Path file) {
        String out = run("h5dump", "-H", "-p", file.toString());
        return out.substring(out.indexOf('\n') + 1);
    }

    /** Every line of {@code ptdump -av}, without the file name. */
    static List<String> ptdump(Path file) {
        List<String> lines = new ArrayList<>();
        for (String line : run("ptdump", "-av", file.toString()).split("\n")) {
            lines.add(line.replace(file.toString(), "FILE"));
        }
        return lines;
    }
}
