package cox.spark;

import cox.exceptions.CoxIOException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs of a remote folder and the sizes of their {@code store.h5}, from listings alone: one
 * listing of the folder, then one of each run's folder (several at once, as each is a round
 * trip to the name node or the object store), whose children carry their sizes. No store is
 * opened, and no file is asked about one by one ({@code Store.isExperiment} would ask twice per
 * run). Used on the driver to plan a scan.
 */
final class RunListing {
    private static final Logger LOG = LoggerFactory.getLogger(RunListing.class);

    /** A run folder holds one of these: the names of {@code StoreFiles.h5()} and {@code journal()} (docs/format.md). */
    static final String STORE_H5 = "store.h5";
    static final String JOURNAL = ".cox.journal";

    /** How many run folders are listed at once. */
    private static final int PARALLEL_LISTINGS = 16;

    private RunListing() {
    }

    /**
     * The experiments among the folders of {@code directory} (or among {@code only}, when given)
     * whose ids pass {@code keep}, with the size of their {@code store.h5} (0 for a run with a
     * journal only), in id order. With {@code skipErrors}, a run folder that may not be listed
     * (access denied) is kept with size 0: the executor that reads it skips it and counts it as
     * any unreadable run; a failure of the storage ({@link RunErrors}) fails the listing anyway.
     *
     * @param directory the storage folder, on any file system
     * @param keep which experiment ids to list
     * @param only the one run folder to look at, or null for every child folder
     * @param skipErrors whether a run folder that cannot be listed is left to the executors to skip
     * @return id to store size, sorted by id
     * @throws CoxIOException naming the folder if it cannot be listed
     */
    static Map<String, Long> runs(Path directory, Predicate<String> keep, String only, boolean skipErrors) {
        List<String> candidates = new ArrayList<>();
        if (only != null) {
            if (keep.test(only)) {
                candidates.add(only);
            }
        } else {
            try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
                for (Path c : children) {
                    String id = c.getFileName().toString();
                    if (keep.test(id) && Files.isDirectory(c)) { // a listed child's attributes cost no request
                        candidates.add(id);
                    }
                }
            } catch (DirectoryIteratorException e) {
                throw new CoxIOException("cannot list the experiments in " + directory.toUri() + ": " + e.getCause(),
                        e.getCause());
            } catch (IOException | UncheckedIOException e) {
                throw new CoxIOException("cannot list the experiments in " + directory.toUri(), e);
            }
        }
        Map<String, Long> out = new TreeMap<>();
        if (candidates.isEmpty()) {
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(PARALLEL_LISTINGS, candidates.size()), r -> {
            Thread t = new Thread(r, "cox-run-listing");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Long>> sizes = new ArrayList<>();
            for (String id : candidates) {
                sizes.add(pool.submit(() -> storeSize(directory.resolve(id), skipErrors)));
            }
            for (int i = 0; i < candidates.size(); i++) {
                Long size = sizes.get(i).get();
                if (size != null) {
                    out.put(candidates.get(i), size);
                }
            }
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new CoxIOException("cannot list the runs in " + directory.toUri(), c);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CoxIOException("interrupted listing the runs in " + directory.toUri(), e);
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * The size of the run's store.h5 (0 with a journal only, or with {@code skipErrors} when the
     * folder may not be listed), or null if the folder holds no experiment.
     */
    private static Long storeSize(Path run, boolean skipErrors) {
        Long h5 = null;
        boolean journal = false;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(run)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.equals(STORE_H5) || name.equals(JOURNAL)) {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        if (name.equals(STORE_H5)) {
                            h5 = a.size();
                        } else {
                            journal = true;
                        }
                    }
                }
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return null;
        } catch (IOException | UncheckedIOException | DirectoryIteratorException e) {
            Throwable cause = e instanceof DirectoryIteratorException d ? d.getCause() : e;
            CoxIOException failure = new CoxIOException("cannot list experiment folder " + run.toUri() + ": " + cause, cause);
            if (!skipErrors || RunErrors.isStorageFailure(cause)) {
                throw failure;
            }
            LOG.warn("cox: cannot list experiment folder {} ({}); the executor reading it skips it", run.toUri(), cause);
            return 0L;
        }
        return h5 != null ? h5 : journal ? Long.valueOf(0) : null;
    }
}
