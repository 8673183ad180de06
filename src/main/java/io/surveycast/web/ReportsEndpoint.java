package io.surveycast.web;

import io.surveycast.cli.ReportJson;
import io.surveycast.config.InvalidInputException;
import io.surveycast.report.Breakdown;
import io.surveycast.report.Reports;
import java.time.LocalDate;
import org.apache.camel.Exchange;

/**
 * {@code GET /api/reports?campaign=&from=&to=&by=}: the rows of {@code report --format json}
 * (from and to are UTC dates, inclusive; by is campaign, wave, channel, month, quarter or attr:NAME).
 */
public final class ReportsEndpoint {
    private final Reports reports;

    /** @param reports the server's one {@link Reports}, whose bound the dashboard shares (503 beyond it) */
    public ReportsEndpoint(Reports reports) {
        this.reports = reports;
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
        java.util.List<io.surveycast.report.ReportRow> rows;
        try {
            rows = reports.run(request.query("campaign"), from, to, by);
        } catch (InvalidInputException e) {
            throw ApiProblem.unprocessable(e.getMessage().replaceFirst("^--", ""));
        }
        HttpResponses.json(exchange, 200, ReportJson.rows(rows));
    }
}
