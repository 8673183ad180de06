package io.surveycast.web;

/** An HTTP error answered as RFC 9457 problem details by the error route configuration. */
public class ApiProblem extends RuntimeException {
    private final int status;
    private final String title;

    public ApiProblem(int status, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.title = title;
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
