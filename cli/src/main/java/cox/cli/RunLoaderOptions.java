package cox.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of the commands that load runs into DuckDB ({@code cox sql}, {@code cox export}),
 * shared as a picocli mixin, and the {@link RunLoader} they describe.
 */
final class RunLoaderOptions {
    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Option(names = "--keep-serialized", split = ",", paramLabel = "COL",
            description = "Leave these OBJECT/PICKLE columns as stored text instead of decoding them.")
    List<String> keepSerialized = new ArrayList<>();

    @CommandLine.Mixin
    CacheOptions cache = new CacheOptions();

    @Option(names = "--skip-errors", description = "Skip runs that cannot be read (each is named on standard error).")
    boolean skipErrors;

    @Option(names = "--batch-runs", hidden = true, defaultValue = "256",
            description = "Runs read at a time (memory holds one batch besides the database).")
    int batchRuns;

    /** A loader of the runs in {@code dir} with these options, reporting to the command's standard error. */
    RunLoader open(Path dir, CommandLine.Model.CommandSpec spec) {
        RunLoader loader = new RunLoader(dir, skipErrors, metadataTable.name, keepSerialized, spec.commandLine().getErr(),
                spec.qualifiedName(), cache);
        loader.batchRuns(batchRuns);
        return loader;
    }
}
