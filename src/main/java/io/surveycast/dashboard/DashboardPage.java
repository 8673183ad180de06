package io.surveycast.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.surveycast.channel.TemplateStore;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import io.surveycast.user.Role;
import io.surveycast.http.Pages;
import io.surveycast.user.SessionAuth;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.jooq.DSLContext;

/**
 * The dashboard's overview at {@code /}: NPS by quarter with its 95% margin of error, the response
 * rate by quarter, and the latest detractor comments. The chart data goes into the page as
 * escaped data attributes; a script served from the jar draws it with Chart.js.
 */
public final class DashboardPage {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CHART_JS = io.surveycast.http.StaticAssets.webjar("chart.js", "dist/chart.umd.min.js");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private final DSLContext dsl;
    private final Clock clock;
    private final SessionAuth auth;
    private final TemplateStore templates;
    private final String company;
    private final Reports reports;
    private final DashboardQueries queries = new DashboardQueries();

    public DashboardPage(DSLContext dsl, Reports reports, Clock clock, SessionAuth auth, TemplateStore templates, String company) {
        this.dsl = dsl;
        this.clock = clock;
        this.auth = auth;
        this.templates = templates;
        this.company = company;
        this.reports = reports;
    }

    public void overview(Exchange exchange) {
        var user = auth.require(exchange, Role.VIEWER);
        if (user.isEmpty()) {
            return;
        }
        Map<String, Object> model = figures();
        model.put("company", company);
        model.put("chartJs", CHART_JS);
        model.put("user", user.get().name());
        model.put("role", user.get().role().id());
        Pages.html(exchange, 200, templates.render("web", "dashboard", null, "html", model));
    }

    /**
     * The overview's figures as its page model: NPS, margin and response rate over 90 days, the
     * trend by quarter and the latest detractor comments (with their contact and response id).
     * Also what a wall display shows (share/SharePage), which leaves the contacts out.
     */
    public Map<String, Object> figures() {
        LocalDate today = clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
        List<ReportRow> quarters = reports.run(null, today.minusYears(2).withDayOfMonth(1), today, Breakdown.parse("quarter"));
        ReportRow total = reports.run(null, today.minusDays(90), today, Breakdown.ALL).stream().findFirst().orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("trend", trend(quarters));
        model.put("hasData", !quarters.isEmpty());
        model.put("nps90", total == null || total.nps() == null ? "–" : format(total.nps()));
        model.put("moe90", total == null || total.marginOfError() == null ? "" : "± " + format(total.marginOfError()));
        model.put("rate90", total == null || total.responseRate() == null ? "–" : format(total.responseRate()) + " %");
        model.put("responded90", total == null ? 0 : total.responded());
        model.put("loop", io.surveycast.followup.LoopFigures.overview(dsl, today.minusDays(90), today, clock.instant()));
        model.put("comments", queries.latestDetractorComments(dsl, 10).stream().map(c -> Map.<String, Object>of(
                "id", c.responseId(), "score", c.score(), "comment", c.comment(), "contact", c.contact(),
                "campaign", c.campaign(), "at", DAY.format(c.at()))).toList());
        return model;
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

    private static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }

}
