package cox.store;

import cox.exceptions.CoxException;
import cox.exceptions.CoxIOException;
import cox.exceptions.StoreException;
import cox.exceptions.StoreLockedException;
import cox.io.Locations;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Copies a closed run to another folder of any {@code java.nio} file system (a local folder, HDFS,
 * S3, an in-memory one) so that a reader there never takes a half-copied run for a run, and a
 * copy that was interrupted is completed or replaced by the next push, never read. The contract is
 * {@link Store#publish(Path, Path, boolean)}'s; this class is how.
 *
 * <p>Only {@code Files} calls go to the target, through {@link TargetWrites} for the ones that
 * write (so that tests can stop a push part-way, as a crash would).
 *
 * <p>Not thread-safe; two pushes of one run to one target at once are not supported.
 */
final class RunPublisher {
    /** The push's record of the run it is copying, in the target's run folder. */
    static final String MANIFEST = ".cox.push";
    /** What a file being copied into place is named, until it is moved there: {@code NAME + TEMP_SUFFIX}. */
    static final String TEMP_SUFFIX = ".cox-push-tmp";
    /** As {@code cox ls}'s {@code active}: a store without a journal written this recently may still be being written. */
    static final Duration ACTIVE_WINDOW = Duration.ofMinutes(2);
    /** The manifest's first line: format 2 has the SHA-256 of every file (1 had it for the store files only). */
    private static final String MANIFEST_HEADER = "cox-push 2";
    private static final String MANIFEST_HEADER_1 = "cox-push 1";
    private static final String H5 = StoreFiles.H5;
    private static final String JOURNAL = StoreFiles.JOURNAL;
    private static final String CHECKPOINT = StoreFiles.CHECKPOINT;
    /** The files that make a run and say what its rows are: copied under a temporary name and moved into place, last. */
    private static final List<String> STORE_FILES = List.of(CHECKPOINT, JOURNAL, H5);

    /** The writes a push makes at the target. */
    interface TargetWrites {
        /** Opens {@code file} for writing, created or emptied. */
        OutputStream create(Path file) throws IOException;

        /** Moves {@code from} onto {@code to}, replacing it, atomically where the file system can. */
        void move(Path from, Path to) throws IOException;

        /** Deletes {@code file} if it exists. */
        void delete(Path file) throws IOException;

        /** Makes folder {@code dir} and its parents. */
        void createDirectories(Path dir) throws IOException;
    }

    /** The target's own file system, through {@code Files}. */
    static final TargetWrites FILES = new TargetWrites() {
        @Override
        public OutputStream create(Path file) throws IOException {
            return Files.newOutputStream(file);
        }

        @Override
        public void move(Path from, Path to) throws IOException {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public void delete(Path file) throws IOException {
            Files.deleteIfExists(file);
        }

        @Override
        public void createDirectories(Path dir) throws IOException {
            if (!keepsNoFolders(dir)) {
                Files.createDirectories(dir);
            }
        }
    };

    /**
     * Whether {@code path} is of an object store, where a folder is only the common prefix of its
     * objects' keys: nothing to make (and the S3 provider's {@code createDirectories} fails on a
     * prefix of several levels).
     */
    static boolean keepsNoFolders(Path path) {
        String scheme = path.getFileSystem().provider().getScheme();
        return scheme.equalsIgnoreCase("s3") || scheme.equalsIgnoreCase("s3x");
    }

    private final TargetWrites writes;
    private final Clock clock;

    RunPublisher(TargetWrites writes, Clock clock) {
        this.writes = Objects.requireNonNull(writes, "writes");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * What the source run is: its files, their sizes and SHA-256 digests. At the target it says what
     * the files there hold: a file there with the size its manifest gives has the digest it gives
     * (a push deletes a file at the target before it writes a manifest that would say otherwise).
     */
    private record Manifest(Map<String, Long> files, Map<String, String> digests) {
        /** Whether {@code other} is a push of the same state of the run: the same store files, byte for byte. */
        boolean sameRun(Manifest other) {
            if (other == null) {
                return false;
            }
            for (String name : STORE_FILES) {
                if (!Objects.equals(files.get(name), other.files.get(name))
                        || !Objects.equals(digests.get(name), other.digests.get(name))) {
                    return false;
                }
            }
            return true;
        }

        /** Whether {@code other} says file {@code rel} has this manifest's size and digest. */
        boolean sameFile(Manifest other, String rel) {
            return other != null && digests.containsKey(rel) && Objects.equals(files.get(rel), other.files.get(rel))
                    && digests.get(rel).equals(other.digests.get(rel));
        }

        String text() {
            StringBuilder sb = new StringBuilder(MANIFEST_HEADER).append('\n');
            for (Map.Entry<String, Long> e : files.entrySet()) {
                String digest = digests.getOrDefault(e.getKey(), "-");
                sb.append(e.getValue()).append(' ').append(digest).append(' ').append(e.getKey()).append('\n');
            }
            return sb.toString();
        }

        /** The manifest {@link #text()} wrote, or null if {@code text} is not one (a push interrupted while writing it). */
        static Manifest parse(String text) {
            String[] lines = text.split("\n", -1);
            if (lines.length < 2 || !(lines[0].equals(MANIFEST_HEADER) || lines[0].equals(MANIFEST_HEADER_1))
                    || !lines[lines.length - 1].isEmpty()) {
                return null;
            }
            Map<String, Long> files = new TreeMap<>();
            Map<String, String> digests = new TreeMap<>();
            for (int i = 1; i < lines.length - 1; i++) {
                String[] parts = lines[i].split(" ", 3);
                if (parts.length != 3) {
                    return null;
                }
                try {
                    files.put(parts[2], Long.parseLong(parts[0]));
                } catch (NumberFormatException e) {
                    return null;
                }
                if (!parts[1].equals("-")) {
                    digests.put(parts[2], parts[1]);
                }
            }
            return new Manifest(files, digests);
        }
    }

    /** How the files at the target are treated. */
    private enum Treatment {
        /** Nothing there: copy all. */
        FRESH,
        /**
         * This push's own earlier, unfinished copy: keep what has the right size and, in the target's
         * manifest, the right digest; delete what the run lacks.
         */
        RESUME,
        /** Something else, to be replaced: delete every file there, then copy all. */
        REPLACE
    }

    /**
     * Pushes the run in folder {@code runDir} to {@code collection/EXP_ID}.
     *
     * @throws IllegalArgumentException if {@code runDir} is no run folder or the target is the run itself
     * @throws StoreLockedException if a writer holds the run
     * @throws StoreException if the run is not closed, or the target holds another run and
     *     {@code replace} is false, or the run changed while it was copied
     * @throws CoxIOException if a file cannot be read or written, or the target's file system
     *     fails in any other way (an object store's client's exceptions among them)
     */
    Publication publish(Path runDir, Path collection, boolean replace) {
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(collection, "collection");
        Path src = isLocal(runDir) ? runDir.toAbsolutePath().normalize() : runDir;
        if (src.getFileName() == null) {
            throw new IllegalArgumentException("not a run's folder: " + Locations.text(runDir));
        }
        String expId = src.getFileName().toString();
        Store.checkExpId(expId);
        // with a trailing slash, which the S3 provider needs to take a path for a folder (others drop it)
        Path dst = collection.resolve(expId + "/");
        if (isLocal(collection) && isLocal(src) && dst.toAbsolutePath().normalize().equals(src)) {
            throw new IllegalArgumentException("cannot push run " + expId + " onto itself: " + Locations.text(collection)
                    + " is the folder it is in");
        }
        StoreFiles files = new StoreFiles(src);
        checkClosed(files, expId);
        Manifest mine = manifestOf(src, expId);
        String where = Locations.text(dst);
        try {
            return copy(files, dst, expId, mine, replace);
        } catch (IOException e) {
            throw new CoxIOException("cannot push run " + expId + " to " + where + ": " + e, e);
        } catch (UncheckedIOException e) {
            // Files.walk's iterator reports a listing's failure so
            throw new CoxIOException("cannot push run " + expId + " to " + where + ": " + e.getCause(), e);
        } catch (UnsupportedOperationException e) {
            // ReadOnlyFileSystemException among them, and what cox4j-hadoop's file systems do not write (APPEND ...)
            throw new CoxIOException("cannot push run " + expId + " to " + where + ": its file system ("
                    + dst.getFileSystem().provider().getScheme() + ") does not write" + (e.getMessage() == null ? ""
                    : " (" + e.getMessage() + ")"), e);
        } catch (CoxException e) {
            throw e.withContext("pushing run " + expId + " to " + where);
        } catch (RuntimeException e) {
            // what a provider throws unchecked: the AWS SDK's exceptions (no credentials, access denied) among them
            throw new CoxIOException("cannot push run " + expId + " to " + where + ": " + e, e);
        }
    }

    /** Refuses a run a writer holds or last left unclosed, and one without a journal written just now. */
    private void checkClosed(StoreFiles files, String expId) {
        Path dir = files.dir();
        if (!files.exists()) {
            throw new IllegalArgumentException("no run at " + Locations.text(dir) + ": it has neither store.h5 nor a journal");
        }
        String run = "run " + expId + " (" + Locations.text(dir) + ")";
        if (isLocal(dir) && WriterProbe.isLocked(files)) {
            throw new StoreLockedException(run + " is open for writing: only a closed run is pushed; push it once its"
                    + " store is closed");
        }
        if (Files.isRegularFile(files.journal())) {
            if (!WriterProbe.closedCleanly(files)) {
                throw new StoreException(run + " was not closed cleanly (its writer was killed or crashed, or rows came"
                        + " after its close), so its store.h5 may be behind its journal: open it for writing once (Store.open,"
                        + " then close) to bring store.h5 up to date, then push it");
            }
            if (!Files.isRegularFile(files.h5())) {
                throw new StoreException(run + " has a journal but no store.h5: open it for writing once (Store.open,"
                        + " then close) to write store.h5, then push it");
            }
        } else {
            Instant last = WriterProbe.lastWrite(files);
            if (last.isAfter(clock.instant().minus(ACTIVE_WINDOW))) {
                throw new StoreException(run + " has no cox4j journal (Python cox or pandas wrote it, and they take no lock)"
                        + " and its store.h5 changed at " + last + ", within the last " + ACTIVE_WINDOW.toMinutes()
                        + " minutes: it may still be being written; push it when it is idle");
            }
        }
    }

    /** The run's files to push (all regular files but the lock, the writers' temporary files and the summary), their sizes and digests. */
    private Manifest manifestOf(Path src, String expId) {
        Map<String, Long> files = new TreeMap<>();
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String rel = relative(src, p);
                if (!a.isRegularFile() || !pushed(rel)) {
                    continue;
                }
                if (rel.indexOf('\n') >= 0 || rel.indexOf('\r') >= 0) {
                    throw new IllegalArgumentException("run " + expId + " has a file whose name holds a line break: '"
                            + rel.replace("\n", "\\n").replace("\r", "\\r") + "'; cox push cannot name it");
                }
                files.put(rel, a.size());
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot list the files of run " + expId + " (" + Locations.text(src) + "): " + e, e);
        } catch (UncheckedIOException e) {
            throw new CoxIOException("cannot list the files of run " + expId + " (" + Locations.text(src) + "): "
                    + e.getCause(), e);
        }
        for (String name : files.keySet()) {
            digests.put(name, digest(src.resolve(name)));
        }
        return new Manifest(files, digests);
    }

    /**
     * Whether a file of a run folder (path relative to it) is pushed: not the lock, the summary
     * (written afresh at the target), a push's manifest or temporary file, nor a writer's temporary
     * file (a checkpoint, journal, rebuilt store.h5 or object cell being written) or a store.h5 a
     * rebuild set aside.
     */
    private static boolean pushed(String rel) {
        StoreFiles none = new StoreFiles(Path.of(""));
        for (Path p : List.of(none.lock(), none.checkpointTmp(), none.rebuild(), none.journalBeingMade())) {
            if (rel.equals(p.toString())) {
                return false;
            }
        }
        if (rel.startsWith(StoreFiles.TABLE_OBJECTS + "/")) {
            String name = rel.substring(rel.lastIndexOf('/') + 1);
            if (name.startsWith(ObjectCells.TEMP_PREFIX) && name.endsWith(ObjectCells.TEMP_SUFFIX)) {
                return false;
            }
        }
        return !rel.equals(RunSummary.FILE_NAME) && !rel.equals(RunSummary.FILE_NAME + ".tmp") && !rel.equals(MANIFEST)
                && !rel.startsWith(StoreFiles.SET_ASIDE) && !rel.endsWith(TEMP_SUFFIX);
    }

    private Publication copy(StoreFiles files, Path dst, String expId, Manifest mine, boolean replace) throws IOException {
        Path src = files.dir();
        Map<String, Long> there = listing(dst);
        boolean manifestThere = there.containsKey(MANIFEST);
        Manifest theirs = manifestThere ? readManifest(dst) : null;
        boolean runThere = there.containsKey(H5) || there.containsKey(JOURNAL);
        boolean wantSummary = mine.files().containsKey(JOURNAL);
        List<String> others = there.keySet().stream().filter(f -> !f.endsWith(TEMP_SUFFIX) && !f.equals(MANIFEST)).toList();
        Treatment mode;
        Publication.Outcome outcome;
        if (runThere) {
            boolean same = theirs != null ? mine.sameRun(theirs) && sameSizes(mine, there) : sameBytes(mine, there, dst);
            if (same) {
                if (complete(mine, theirs, there, wantSummary)) {
                    return new Publication(expId, dst, Publication.Outcome.UNCHANGED, List.of(), List.copyOf(mine.files().keySet()),
                            List.of(), 0);
                }
                mode = Treatment.RESUME;
                outcome = Publication.Outcome.RESUMED;
            } else if (!replace) {
                throw new StoreException(Locations.text(dst) + " holds another run with experiment id " + expId + " (" + difference(mine, there, theirs)
                        + "): push with replace (cox push --replace) to replace it");
            } else {
                mode = Treatment.REPLACE;
                outcome = Publication.Outcome.REPLACED;
            }
        } else if (!others.isEmpty()) {
            if (manifestThere) {
                // a push stopped before it placed store.h5: never readable
                boolean same = mine.sameRun(theirs);
                mode = same ? Treatment.RESUME : Treatment.REPLACE;
                outcome = same ? Publication.Outcome.RESUMED : Publication.Outcome.REPLACED;
            } else if (!replace) {
                throw new StoreException(Locations.text(dst) + " holds files (" + String.join(", ", first(others, 5)) + ") but no run,"
                        + " and no cox push left them: push with replace (cox push --replace) to replace them");
            } else {
                mode = Treatment.REPLACE;
                outcome = Publication.Outcome.REPLACED;
            }
        } else {
            mode = Treatment.FRESH;
            outcome = Publication.Outcome.PUBLISHED;
        }

        // what is kept: a file there whose size and digest, in the target's manifest, are the run's
        // (a file there has what the manifest says whenever it has the size it says); store files of
        // a run no push left are kept when their bytes were compared (sameBytes)
        Set<String> kept = new TreeSet<>();
        if (mode == Treatment.RESUME) {
            for (Map.Entry<String, Long> f : mine.files().entrySet()) {
                String rel = f.getKey();
                boolean sameSize = f.getValue().equals(there.get(rel));
                if (sameSize && (mine.sameFile(theirs, rel) || (theirs == null && STORE_FILES.contains(rel)))) {
                    kept.add(rel);
                }
            }
        }
        List<String> deleted = new ArrayList<>();
        if (mode == Treatment.REPLACE) {
            // the old run stops being one before anything else is deleted, then every file of it goes:
            // none of its files may be taken for the new run's by a push that resumes this one
            for (String name : List.of(RunSummary.FILE_NAME, JOURNAL, CHECKPOINT, H5)) {
                if (there.containsKey(name)) {
                    writes.delete(dst.resolve(name));
                    deleted.add(name);
                }
            }
            for (String rel : there.keySet()) {
                if (!deleted.contains(rel) && !rel.equals(MANIFEST)) {
                    writes.delete(dst.resolve(rel));
                    deleted.add(rel);
                }
            }
        } else {
            // leftovers: a file the run lacks is an interrupted push's; in a run that is this one
            // (resumed after store.h5 was placed), only this push's temporary files are. And a file
            // to be copied again goes first, so that the manifest written next says nothing untrue
            for (String rel : there.keySet()) {
                boolean leftover = rel.endsWith(TEMP_SUFFIX) || (!runThere && !mine.files().containsKey(rel) && !rel.equals(MANIFEST));
                boolean stale = mine.files().containsKey(rel) && !kept.contains(rel);
                if (leftover || stale) {
                    writes.delete(dst.resolve(rel));
                    deleted.add(rel);
                }
            }
        }

        writes.createDirectories(dst);
        writeBytes(dst.resolve(MANIFEST), mine.text().getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> walk = Files.walk(src)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (!p.equals(src) && Files.isDirectory(p)) {
                    writes.createDirectories(dst.resolve(relative(src, p)));
                }
            }
        }

        List<String> copied = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        long bytes = 0;
        // the run's other files first, each straight to its name: no reader looks at them before store.h5 is there
        for (String rel : mine.files().keySet()) {
            if (STORE_FILES.contains(rel)) {
                continue;
            }
            if (kept.contains(rel)) {
                skipped.add(rel);
                continue;
            }
            bytes += copyFile(src.resolve(rel), dst.resolve(rel), mine.digests().get(rel), expId, true);
            copied.add(rel);
        }
        // then the store files under temporary names, each checked against the digest taken before
        Map<String, Path> staged = new LinkedHashMap<>();
        for (String name : STORE_FILES) {
            if (!mine.files().containsKey(name)) {
                continue;
            }
            if (kept.contains(name)) {
                skipped.add(name);
                continue;
            }
            Path tmp = dst.resolve(tempName(name));
            bytes += copyFile(src.resolve(name), tmp, mine.digests().get(name), expId, false);
            staged.put(name, tmp);
        }
        // a writer may have opened the run since it was checked: what was copied may be a state it
        // has not closed (its store.h5 behind its journal)
        checkClosed(files, expId);
        // store.h5 first: from here the folder is a run, complete, read from store.h5 alone until the
        // checkpoint and journal follow (a reader without a journal answers from store.h5)
        for (String name : List.of(H5, CHECKPOINT, JOURNAL)) {
            Path tmp = staged.get(name);
            if (tmp != null) {
                writes.move(tmp, dst.resolve(name));
                copied.add(name);
            }
        }
        if (wantSummary) {
            bytes += writeSummary(src, dst, mine.files().get(JOURNAL));
            copied.add(RunSummary.FILE_NAME);
        }
        return new Publication(expId, dst, outcome, copied, skipped, deleted, bytes);
    }

    /**
     * The regular files under {@code dir} and their sizes, relative to it; empty if it does not
     * exist. Listed without asking first whether it exists (on S3 a question about a missing key is
     * a request that fails, and the provider logs it as an error).
     */
    private static Map<String, Long> listing(Path dir) throws IOException {
        Map<String, Long> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                String rel = relative(dir, p);
                if (rel.isEmpty() && !a.isDirectory()) {
                    throw new IOException(Locations.text(dir) + " exists and is not a folder");
                }
                if (!a.isDirectory()) {
                    out.put(rel, a.size());
                }
            }
        } catch (NoSuchFileException e) {
            return out;
        }
        return out;
    }

    private static Manifest readManifest(Path dst) {
        try {
            return Manifest.parse(new String(Files.readAllBytes(dst.resolve(MANIFEST)), StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CoxIOException("cannot read " + Locations.text(dst.resolve(MANIFEST)) + ": " + e, e);
        }
    }

    /** Whether the target's store files have the sizes of the run's. */
    private static boolean sameSizes(Manifest mine, Map<String, Long> there) {
        for (String name : STORE_FILES) {
            Long size = mine.files().get(name);
            if (size != null && there.containsKey(name) && !size.equals(there.get(name))) {
                return false;
            }
        }
        return true;
    }

    /** Whether a run no push left (no manifest) has the run's store files byte for byte: compared by size, then by digest. */
    private static boolean sameBytes(Manifest mine, Map<String, Long> there, Path dst) {
        for (String name : STORE_FILES) {
            if (!Objects.equals(mine.files().get(name), there.get(name))) {
                return false;
            }
        }
        for (String name : STORE_FILES) {
            if (mine.files().containsKey(name) && !mine.digests().get(name).equals(digest(dst.resolve(name)))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether every file of the run is at the target with its size and, in the target's manifest,
     * its digest, and the summary too if the run has one.
     */
    private static boolean complete(Manifest mine, Manifest theirs, Map<String, Long> there, boolean wantSummary) {
        for (Map.Entry<String, Long> f : mine.files().entrySet()) {
            if (!f.getValue().equals(there.get(f.getKey())) || !mine.sameFile(theirs, f.getKey())) {
                return false;
            }
        }
        return !wantSummary || there.containsKey(RunSummary.FILE_NAME);
    }

    /** How the target's run differs from this one, for a message. */
    private static String difference(Manifest mine, Map<String, Long> there, Manifest theirs) {
        for (String name : List.of(H5, JOURNAL, CHECKPOINT)) {
            Long size = mine.files().get(name);
            Long other = there.get(name);
            if (!Objects.equals(size, other)) {
                return other == null ? "it has no " + name : size == null ? "it has a " + name + " this run lacks"
                        : "its " + name + " is " + other + " bytes, this run's " + size;
            }
            if (theirs != null && !Objects.equals(mine.digests().get(name), theirs.digests().get(name))) {
                return "its " + name + " holds other bytes";
            }
        }
        return "its store files hold other bytes";
    }

    private static List<String> first(Iterable<String> names, int n) {
        List<String> out = new ArrayList<>();
        for (String s : names) {
            if (out.size() == n) {
                out.add("...");
                break;
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Copies {@code from} to {@code to}; the bytes copied must have {@code digest}, else the run
     * changed since it was looked at and nothing more is done ({@code to} is deleted if
     * {@code deleteIfChanged}, so that no file at the target has the size but not the digest its
     * manifest gives).
     *
     * @return the bytes copied
     */
    private long copyFile(Path from, Path to, String digest, String expId, boolean deleteIfChanged) throws IOException {
        MessageDigest md = sha256();
        long n = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(from), md);
                OutputStream out = writes.create(to)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                out.write(buf, 0, r);
                n += r;
            }
        }
        if (!HexFormat.of().formatHex(md.digest()).equals(digest)) {
            if (deleteIfChanged) {
                writes.delete(to);
            }
            throw new StoreException("run " + expId + " changed while it was being pushed: " + Locations.text(from) + " no longer holds the"
                    + " bytes it held when the push began (did a writer open the run?); the copy is not readable at the"
                    + " target, push again");
        }
        return n;
    }

    private void writeBytes(Path to, byte[] bytes) throws IOException {
        Path tmp = to.resolveSibling(tempName(to.getFileName().toString()));
        try (OutputStream out = writes.create(tmp)) {
            out.write(bytes);
        }
        writes.move(tmp, to);
    }

    /**
     * Writes the target's run summary: the run's (the one its writer left, else one read from the
     * run), describing the target's store.h5 as it is now and its journal of {@code journalLength}
     * bytes, so that readers of the target use it exactly as they would the run's own.
     *
     * @return the bytes written
     */
    private long writeSummary(Path src, Path dst, long journalLength) throws IOException {
        RunSummary summary = RunSummary.written(src);
        if (summary == null) {
            try (Store store = Store.open(src.getParent(), src.getFileName().toString(), Mode.READ)) {
                summary = RunSummary.of(store);
            }
        }
        byte[] bytes = summary.fileBytes(journalLength, RunSummary.sizeAndTime(dst.resolve(H5)));
        writeBytes(dst.resolve(RunSummary.FILE_NAME), bytes);
        return bytes.length;
    }

    private static String tempName(String name) {
        return (name.startsWith(".") ? "" : ".") + name + TEMP_SUFFIX;
    }

    /**
     * {@code p}'s path below {@code dir}, names joined by {@code /}. By name elements rather than
     * {@code relativize}: the S3 provider lists a folder's children as relative paths under an
     * absolute folder, and keeps a folder's trailing slash on its name ({@code save/}).
     */
    private static String relative(Path dir, Path p) {
        int from = dir.getNameCount();
        if (p.getNameCount() < from) {
            throw new IllegalArgumentException(p + " is not in " + dir);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < p.getNameCount(); i++) {
            String name = p.getName(i).toString();
            name = name.length() > 1 && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
            if (i < from) {
                String expected = dir.getName(i).toString();
                if (!name.equals(expected) && !(name + "/").equals(expected)) {
                    throw new IllegalArgumentException(p + " is not in " + dir);
                }
                continue;
            }
            sb.append(sb.length() == 0 ? "" : "/").append(name);
        }
        return sb.toString();
    }

    private static String digest(Path file) {
        MessageDigest md = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0;) {
                md.update(buf, 0, r);
            }
        } catch (IOException e) {
            throw new CoxIOException("cannot read " + Locations.text(file) + ": " + e, e);
        } catch (UncheckedIOException e) {
            throw new CoxIOException("cannot read " + Locations.text(file) + ": " + e.getCause(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static boolean isLocal(Path p) {
        return cox.io.PositionalInputs.isLocal(p);
    }
}
