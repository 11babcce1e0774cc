package cox.web;

/**
 * An API request that cannot be answered: the status to send and a one-line message, sent as
 * {@code {"error": message}} (plus the filter's problem and position for a bad {@code where}).
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Integer position;
    private final String problem;

    ApiError(int status, String message) {
        this(status, message, null, null);
    }

    ApiError(int status, String message, String problem, Integer position) {
        super(message, null, false, false);
        this.status = status;
        this.problem = problem;
        this.position = position;
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    int status() {
        return status;
    }

    Integer position() {
        return position;
    }

    String problem() {
        return problem;
    }
}
