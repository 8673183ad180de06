package io.surveycast.web;

import io.surveycast.cli.ReportJson;
import io.surveycast.config.InvalidInputException;
import io.surveycast.report.Breakdown;
import io.surveycast.report.Reports;
import java.time.LocalDate;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/reports?campaign=&from=&to=&by=}: the rows of {@code report --format json}
 * (from and to are UTC dates, inclusive; by is campaign, wave, channel, month, quarter or attr:NAME).
 */
public final class ReportsEndpoint {
    /** Default of {@code SURVEYCAST_REPORT_CONCURRENCY}: reports running at once over the API. */
    public static final int DEFAULT_CONCURRENCY = 4;
    private final Reports reports;
    private final Semaphore running;
    private final int limit;

    public ReportsEndpoint(Reports reports) {
        this(reports, DEFAULT_CONCURRENCY);
    }

    /**
     * @param concurrency reports that may run at once; one more is answered 503 with Retry-After at
     *                    once instead of waiting: 100 waiting reports held every HTTP worker thread
     *                    and database connection, and {@code /health} and survey pages queued behind them
     */
    public ReportsEndpoint(Reports reports, int concurrency) {
        this.reports = reports;
        this.limit = concurrency;
        this.running = new Semaphore(concurrency);
    }

    public void get(Exchange exchange) {
        ApiRequest request = new ApiRequest(exchange);
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
        if (!running.tryAcquire()) {
            throw new ApiProblem(503, "Service Unavailable", limit + " reports are already running; try again in a moment")
                    .withHeader("Retry-After", "5");
        }
        java.util.List<io.surveycast.report.ReportRow> rows;
        try {
            rows = reports.run(request.query("campaign"), from, to, by);
        } catch (InvalidInputException e) {
            throw ApiProblem.unprocessable(e.getMessage().replaceFirst("^--", ""));
        } finally {
            running.release();
        }
        HttpResponses.json(exchange, 200, ReportJson.rows(rows));
    }
}
