package cox.cli;

import picocli.CommandLine.Option;

/**
 * {@code --metadata-table NAME}: the table whose row holds each run's parameters, for every
 * command that reads parameters ({@code df}, {@code diff}, {@code sql}, {@code export},
 * {@code serve}, {@code tensorboard-view}), shared as a picocli mixin so that each says the same.
 */
final class MetadataTableOption {
    @Option(names = "--metadata-table", paramLabel = "NAME", defaultValue = "metadata",
            description = "The table holding each run's parameters (default: ${DEFAULT-VALUE}).")
    String name;
}
