package io.surveycast.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.TemplateStore;
import io.surveycast.config.InvalidInputException;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportCsv;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.user.Role;
import io.surveycast.http.Pages;
import io.surveycast.user.SessionAuth;
import io.surveycast.user.SignedInPages;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;

/**
 * The dashboard's overview at {@code /}: NPS by quarter with its 95% margin of error, the response
 * rate by quarter, and the latest detractor comments (gathered by {@link Overview}), filtered by
 * dates and segment ({@link DashboardFilter}). The chart data goes into the page as
 * escaped data attributes; a script served from the jar draws it with Chart.js.
 */
public final class DashboardPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CHART_JS = io.surveycast.http.StaticAssets.webjar("chart.js", "dist/chart.umd.min.js");
    private final SignedInPages pages;
    private final Reports reports;
    private final Overview overview;
    private final SegmentChoices choices;

    public DashboardPage(Overview overview, SegmentChoices choices, Reports reports, SessionAuth auth, TemplateStore templates,
                         String company) {
        this.overview = overview;
        this.choices = choices;
        this.pages = new SignedInPages(auth, templates, null, company);
        this.reports = reports;
    }

    /** {@code GET /?from=&to=&where=}: the overview, filtered; {@code download=quarters}: its quarters as CSV. */
    public void overview(Exchange exchange) {
        var user = pages.user(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        try {
            var query = FilterPages.query(exchange);
            DashboardFilter filter = DashboardFilter.of(query);
            if ("quarters".equals(FilterPages.param(query, "download"))) {
                List<ReportRow> quarters = overview.quarters(filter, true);
                FilterPages.download(exchange, "nps-by-quarter.csv",
                        csv -> ReportCsv.write(csv, quarters, Breakdown.parse("quarter"), reports.benchmark() != null));
                return;
            }
            Map<String, Object> model = pages.model(user.get());
            model.putAll(overview.figures(filter));
            model.putAll(FilterPages.model("/", filter, choices.values()));
            model.put("chartJs", CHART_JS);
            pages.render(exchange, 200, "dashboard", model);
        } catch (InvalidInputException e) {
            Pages.text(exchange, 400, e.getMessage() + "\n");
        }
    }

    /** {"labels": [quarters], "nps": [..], "moe": [..], "rate": [..], "responded": [..]} for the charts. */
    static String trend(List<ReportRow> quarters) {
        ObjectNode data = JSON.createObjectNode();
        ArrayNode labels = data.putArray("labels");
        ArrayNode nps = data.putArray("nps");
        ArrayNode moe = data.putArray("moe");
        ArrayNode rate = data.putArray("rate");
        ArrayNode responded = data.putArray("responded");
        for (ReportRow q : quarters) {
            labels.add(q.group());
            nps.add(q.nps());
            moe.add(q.marginOfError());
            rate.add(q.responseRate());
            responded.add(q.responded());
        }
        return data.toString();
    }

}
