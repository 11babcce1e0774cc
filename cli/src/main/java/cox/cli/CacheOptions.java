package cox.cli;

import cox.readers.CollectionReader;
import cox.readers.RunIndex;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --cache-dir DIR} and {@code --no-cache}: where the run index ({@link RunIndex}) of a
 * folder of runs is kept, for the commands that answer from run summaries ({@code ls}, {@code df},
 * {@code sql}, {@code export}, {@code serve}), shared as a picocli mixin so that each says the
 * same. The index only speeds up: with {@code --no-cache} every answer is read from the runs'
 * rows, and is the same.
 */
final class CacheOptions {
    @Option(names = "--cache-dir", paramLabel = "DIR", converter = RunsLocation.LocalOnly.class,
            description = "Where to keep the run index: each run's summary, reused while its files are unchanged"
                    + " (default: $XDG_CACHE_HOME/cox4j or ~/.cache/cox4j; deleting it is always safe).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Use no run index and no run summaries: read every run's rows"
            + " (slower; the answer is the same).")
    boolean noCache;

    /** @return the cache folder in use, or null with {@code --no-cache} */
    Path directory() {
        return noCache ? null : cacheDir != null ? cacheDir : RunIndex.defaultDirectory();
    }

    /**
     * Sets up {@code builder}'s run index as the options say.
     *
     * @param builder a reader builder of {@code dir}
     * @param dir the folder of runs
     * @return the builder
     */
    CollectionReader.Builder apply(CollectionReader.Builder builder, Path dir) {
        if (noCache) {
            return builder.useSummaries(false);
        }
        return builder.runIndex(RunIndex.load(directory(), dir));
    }
}
