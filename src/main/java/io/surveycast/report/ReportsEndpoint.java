package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.time.LocalDate;
import org.apache.camel.Exchange;
import io.surveycast.http.ApiProblem;
import io.surveycast.http.ApiRequest;
import io.surveycast.http.HttpResponses;

/**
 * {@code GET /api/reports?campaign=&from=&to=&by=&where=&churn_window=}: the rows of {@code report --format json}
 * (from and to are UTC dates, inclusive; by is one or two dimensions as {@code report --by}; where,
 * repeatable, is {@code attr:NAME=VALUE} as {@code --where}; churn_window as {@code --churn-window}).
 */
public final class ReportsEndpoint {
    private final Reports reports;
    private final java.util.function.Function<java.util.List<ReportRow>, Object> json;

    /**
     * @param reports the server's one {@link Reports}, whose bound the dashboard shares (503 beyond it)
     * @param json    the rows as {@code report --format json} writes them
     */
    public ReportsEndpoint(Reports reports, java.util.function.Function<java.util.List<ReportRow>, Object> json) {
        this.reports = reports;
        this.json = json;
    }

    /**
     * The reports' bound reached, from the API or the dashboard's report pages (which share it):
     * 503 with Retry-After; null for any other exception.
     */
    public static ApiProblem problem(Exception e) {
        return e instanceof ReportsBusyException busy
                ? new ApiProblem(503, "Service Unavailable", busy.getMessage()).withHeader("Retry-After", "5") : null;
    }

    public void get(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange).repeatable("where");
        LocalDate from = request.date("from");
        LocalDate to = request.date("to");
        if (from != null && to != null && to.isBefore(from)) {
            throw ApiProblem.badRequest("to: " + to + " is before from " + from);
        }
        Breakdown by;
        try {
            by = Breakdown.parse(request.query("by"));
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(e.getMessage().replaceFirst("^--by", "by"));
        }
        SegmentFilter segment;
        java.time.Period window = Reports.DEFAULT_CHURN_WINDOW;
        try {
            segment = SegmentFilter.parse(request.queries("where"));
        } catch (InvalidInputException e) {
            throw ApiProblem.badRequest(e.getMessage().replaceFirst("^--where", "where"));
        }
        if (request.query("churn_window") != null) {
            try {
                window = java.time.Period.parse(request.query("churn_window"));
            } catch (java.time.format.DateTimeParseException e) {
                throw ApiProblem.badRequest("churn_window: not an ISO-8601 period (e.g. P365D): " + request.query("churn_window"));
            }
            if (window.isNegative() || window.isZero()) {
                throw ApiProblem.badRequest("churn_window: must be a positive period (e.g. P365D): " + request.query("churn_window"));
            }
        }
        java.util.List<ReportRow> rows;
        try {
            rows = reports.run(request.query("campaign"), from, to, by, segment, window);
        } catch (InvalidInputException e) {
            throw ApiProblem.unprocessable(e.getMessage().replaceFirst("^--", ""));
        }
        HttpResponses.json(exchange, 200, json.apply(rows));
    }
}
