package cox.cli;

import cox.io.Locations;
import cox.web.CoxServer;
import java.awt.Desktop;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cox serve DIR [--port 8080] [--host 127.0.0.1] [--open]}: the runs of DIR in the
 * browser, live (module {@code web}, {@link CoxServer}). Prints the address, serves until Ctrl-C
 * (SIGINT) or SIGTERM, then stops cleanly (the shutdown hook closes the server; the JVM exits with
 * 128 + the signal's number, as a shell expects). A folder that is not one exits 2, a port that
 * cannot be bound 1, each with a one-line message.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Look at the runs of DIR in the browser: a runs table, charts, parallel coordinates, diffs, "
                + "updated live. Read-only; listens on 127.0.0.1 unless --host says otherwise.", "",
                "Example:", "  cox serve runs --port 8080 --open"})
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RunsDirOptions runsDir = new RunsDirOptions();

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 opens it to the network).")
    String host;

    @CommandLine.Mixin
    MetadataTableOption metadataTable = new MetadataTableOption();

    @Option(names = "--open", description = "Open the page in the default browser.")
    boolean open;

    @Option(names = "--cache-dir", paramLabel = "DIR", converter = RunsLocation.LocalOnly.class,
            description = "Where to keep the runs' summaries between starts, so a restart reads only the stores that "
                    + "changed (default: $XDG_CACHE_HOME/cox4j/serve or ~/.cache/cox4j/serve, and the run index shared with "
                    + "cox ls and cox df in $XDG_CACHE_HOME/cox4j or ~/.cache/cox4j; the files can be deleted at any time).")
    Path cacheDir;

    @Option(names = "--no-cache", description = "Keep the summaries in memory only.")
    boolean noCache;

    PrintStream out = System.out;
    PrintStream err = System.err;

    @Override
    public Integer call() throws InterruptedException {
        // Jetty and Javalin log their start at INFO; the address printed below is what a user needs
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        // a failed start is reported below in one line, not as Javalin's stack trace
        System.setProperty("org.slf4j.simpleLogger.log.io.javalin.Javalin", "off");
        runsDir.folderOfRuns(spec);
        CoxServer server;
        try {
            server = CoxServer.builder(runsDir.dir).host(host).port(port).metadataTable(metadataTable.name)
                    .summaryDir(noCache ? null : cacheDir != null ? cacheDir : defaultCacheDir())
                    .runIndexDir(noCache ? null : cacheDir != null ? cacheDir : cox.readers.RunIndex.defaultDirectory())
                    .start();
        } catch (IllegalArgumentException e) {
            err.println("cox serve: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            err.println("cox serve: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(() -> {
            server.close();
            out.println("cox serve: stopped");
            out.flush();
        }, "cox-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("cox serve: " + Locations.text(server.directory()) + " at " + server.uri() + "  (Ctrl-C stops)");
        out.flush();
        if (open) {
            browse(server);
        }
        server.join();
        return 0;
    }

    private static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("cox4j").resolve("serve");
    }

    private void browse(CoxServer server) {
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                Desktop.getDesktop().browse(server.uri());
                return;
            }
            new ProcessBuilder("xdg-open", server.uri().toString()).inheritIO().start();
        } catch (IOException | UnsupportedOperationException e) {
            out.println("cox serve: cannot open a browser (" + e.getMessage() + "); open " + server.uri() + " yourself");
        }
    }
}
