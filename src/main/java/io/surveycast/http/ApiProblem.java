package io.surveycast.http;

/** An HTTP error answered as RFC 9457 problem details by the error route configuration. */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;
    private final java.util.Map<String, Object> extensions;

    public ApiProblem(int status, String title, String detail) {
        this(status, title, detail, java.util.Map.of());
    }

    /** With extension members (RFC 9457 section 3.2), e.g. {@code errors}: one entry per bad field. */
    public ApiProblem(int status, String title, String detail, java.util.Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
        this.extensions = java.util.Map.copyOf(extensions);
    }

    private java.util.Map<String, String> headers = java.util.Map.of();

    /** This problem with a response header, e.g. {@code Allow} on a 405. */
    public ApiProblem withHeader(String name, String value) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        headers = java.util.Map.copyOf(more);
        return this;
    }

    public java.util.Map<String, String> headers() {
        return headers;
    }

    public java.util.Map<String, Object> extensions() {
        return extensions;
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "Bad Request", detail);
    }

    public static ApiProblem unprocessable(String detail) {
        return new ApiProblem(422, "Unprocessable Content", detail);
    }

    /**
     * A 422 whose {@code errors} name each bad field of a refused batch, nothing of which was
     * written: the detail is the one error's own message, or how many there are.
     */
    public static ApiProblem invalidFields(String single, java.util.List<java.util.Map<String, Object>> errors) {
        return new ApiProblem(422, "Unprocessable Content",
                errors.size() == 1 ? single : errors.size() + " invalid fields; nothing was written",
                java.util.Map.of("errors", errors));
    }

    /**
     * One entry of a 422's {@code errors}, members in this order: the item's {@code index} in a
     * batch and its {@code external_id} (each only when known), the {@code field}, the {@code reason}.
     */
    public static java.util.Map<String, Object> fieldError(Integer index, String externalId, String field, String reason) {
        java.util.Map<String, Object> error = new java.util.LinkedHashMap<>();
        if (index != null) {
            error.put("index", index);
        }
        if (externalId != null) {
            error.put("external_id", externalId);
        }
        error.put("field", field);
        error.put("reason", reason);
        return error;
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "Not Found", detail);
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public static ApiProblem unauthorized() {
        return new ApiProblem(401, "Unauthorized", "send a valid API token as: Authorization: Bearer <token>");
    }

    public static ApiProblem forbidden(String needed) {
        return new ApiProblem(403, "Forbidden", "this needs the " + needed + " role");
    }
}
