package cox.cli;

import cox.exceptions.CoxException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An error as one line a user reads: no Java class names (a file system error is said in words:
 * {@code no such file or folder}, {@code permission denied}), and each path once (where a message
 * names a folder and then a file in it, as context added on the way up does, only the file is
 * kept). Stateless.
 */
final class ErrorText {
    /** A Java class name, qualified, of an exception or error, and the ": " after it. */
    private static final Pattern JAVA_EXCEPTION = Pattern.compile(
            "\\b(?:[a-z][a-z0-9_]*\\.)+([A-Z][A-Za-z0-9_$]*(?:Exception|Error))\\b(?::\\s*)?");

    /** An absolute path: starts a message or follows a space or an opening quote or bracket. */
    private static final Pattern PATH = Pattern.compile("(?<=^|[\\s(\\['\"])/[^\\s:,;'\"()\\[\\]]+");

    /** The words that tie a path to what precedes it: dropped with a path said again later. */
    private static final Pattern TIE = Pattern.compile("\\s+(?:of|in|at|from|to)?\\s*$");

    /** What a Java exception's simple name says, where its message alone does not (a path). */
    private static final Map<String, String> REASONS = Map.of(
            "NoSuchFileException", "no such file or folder",
            "AccessDeniedException", "permission denied",
            "FileAlreadyExistsException", "already exists",
            "NotDirectoryException", "not a folder",
            "DirectoryNotEmptyException", "the folder is not empty",
            "ClosedByInterruptException", "interrupted");

    private ErrorText() {
    }

    /**
     * The message of an error on one line, cleaned ({@link #clean}). An error none of cox's own
     * (a bug) is said to be an internal error and, unless {@code debug} (the stack trace is
     * printed), points at {@code --debug}.
     */
    static String oneLine(Throwable e, boolean debug) {
        String remote = remoteReason(e);
        boolean expected = e instanceof CoxException || e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException || remote != null;
        String message = e instanceof IOException io ? described(io) : e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : "";
        }
        if (remote != null) {
            message = isRemoteError(e) ? remote : message + ": " + remote;
        }
        String flat = message.replace("\r", "").replace('\n', ' ');
        // only cox's own messages grow by context naming a path again; others (SQL's) may quote the user's text
        String line = (e instanceof CoxException ? clean(flat) : withoutClassNames(flat)).strip();
        if (!expected) {
            line = line.isEmpty() ? "internal error" : "internal error: " + line;
            return debug ? line : line + " (run with --debug for the stack trace)";
        }
        return line.isEmpty() ? "failed" : line;
    }

    /**
     * What the object store's client (the AWS SDK under the S3 provider) said, when it is the cause
     * of {@code e}: its message without the request's ids, and what to set for a missing region or
     * refused credentials; null if no such client failed. Found by class name: the cli does not
     * compile against the SDK, which is on the class path at run time only.
     */
    static String remoteReason(Throwable e) {
        Throwable remote = null;
        for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
            if (isRemoteError(t)) {
                remote = t;
            }
        }
        if (remote == null || remote.getMessage() == null) {
            return null;
        }
        String m = remote.getMessage();
        int ids = m.indexOf(" (Service: ");
        String words = (ids > 0 ? m.substring(0, ids) : m).replaceAll("\\S+@[0-9a-f]+", "").strip();
        if (m.contains("Unable to load region")) {
            return "no AWS region is set: set AWS_REGION (e.g. us-east-1), or a region in ~/.aws/config";
        }
        if (m.contains("Unable to load credentials")) {
            return "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
        }
        if (m.contains("Status Code: 403")) {
            return words + " (403): the AWS credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) are refused"
                    + " or may not read this";
        }
        return words;
    }

    private static boolean isRemoteError(Throwable t) {
        return t.getClass().getName().startsWith("software.amazon.awssdk.");
    }

    /**
     * Why a file operation failed, in words, for a message that names the file itself:
     * {@code cannot write /a/b: } + {@code no such file or folder}.
     */
    static String reason(IOException e) {
        String words = REASONS.get(e.getClass().getSimpleName());
        if (words != null) {
            return words;
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? "input/output error" : withoutClassNames(m);
    }

    /** An I/O error that reached the command unexplained: its reason and the file(s) it names. */
    private static String described(IOException e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            return reason(e) + ": " + f.getFile() + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile());
        }
        return reason(e);
    }

    /**
     * {@code message} without Java class names ({@code java.nio.file.NoSuchFileException: /a} is
     * {@code no such file or folder: /a}) and with each path said once: a path that a later one
     * repeats or lies under is dropped, with the word tying it ({@code of}, {@code in}...).
     */
    static String clean(String message) {
        return message == null ? "" : onePathEach(withoutClassNames(message));
    }

    /** {@code message} with each Java exception class name said in words, or left out. */
    static String withoutClassNames(String message) {
        Matcher m = JAVA_EXCEPTION.matcher(message);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String words = REASONS.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(words == null ? "" : words + (m.group().endsWith(" ") ? ": " : "")));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String onePathEach(String message) {
        Matcher m = PATH.matcher(message);
        List<int[]> spans = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
            paths.add(m.group());
        }
        StringBuilder out = new StringBuilder(message);
        for (int i = paths.size() - 1; i >= 0; i--) {
            String p = paths.get(i);
            boolean repeated = false;
            for (int j = i + 1; j < paths.size() && !repeated; j++) {
                String later = paths.get(j);
                repeated = later.equals(p) || later.startsWith(p.endsWith("/") ? p : p + "/");
            }
            if (repeated) {
                int start = spans.get(i)[0];
                Matcher tie = TIE.matcher(out.substring(0, start));
                out.delete(tie.find() ? tie.start() : start, spans.get(i)[1]);
            }
        }
        return out.indexOf(": ") == 0 ? out.substring(2) : out.toString();
    }
}
