package cox.cli;

/**
 * A usage error found where no command line is at hand (writing the output, say): the command's
 * error handler reports it as picocli's own usage errors, exit status 2 and a pointer at
 * {@code --help}.
 */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }

    /**
     * No run in {@code dir} has table {@code table}: the message every command gives, naming the
     * tables there are.
     */
    static UsageException noTable(java.nio.file.Path dir, String table, java.util.Collection<String> tables) {
        return new UsageException("no run in " + cox.io.Locations.text(dir) + " has a table '" + table + "'"
                + (tables.isEmpty() ? " (it holds no runs)" : "; the tables are " + String.join(", ", tables)));
    }
}
