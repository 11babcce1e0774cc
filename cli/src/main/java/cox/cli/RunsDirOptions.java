package cox.cli;

import cox.io.Locations;
import cox.store.Store;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;

/**
 * The first parameter of the commands that read a folder of runs ({@code ls}, {@code df},
 * {@code diff}, {@code sql}, {@code export}, {@code serve}), shared as a picocli mixin so that
 * each says the same.
 */
final class RunsDirOptions {
    @Parameters(index = "0", paramLabel = "DIR", converter = RunsLocation.class,
            description = "A folder of cox stores (one sub-folder per run): a path, or a URI such as s3://bucket/runs.")
    Path dir;

    /**
     * Checks that DIR is not one run's folder (a store itself), a usage error naming the folder
     * to give instead: its parent.
     *
     * @return DIR
     * @throws CommandLine.ParameterException if DIR holds a store itself
     */
    Path folderOfRuns(CommandSpec spec) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (absolute.getParent() != null && Store.isExperiment(absolute)) {
            throw new CommandLine.ParameterException(spec.commandLine(), Locations.text(dir) + " is one run's folder (it holds store.h5 or "
                    + ".cox.journal), not a folder of runs: give its parent folder, " + Locations.text(absolute.getParent()));
        }
        return dir;
    }
}
