package cox.cli;

import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * The first parameter of the commands that read a folder of runs ({@code ls}, {@code df},
 * {@code diff}, {@code sql}, {@code export}, {@code serve}), shared as a picocli mixin so that
 * each says the same.
 */
final class RunsDirOptions {
    @Parameters(index = "0", paramLabel = "DIR", description = "A folder of cox stores (one sub-folder per run).")
    Path dir;
}
