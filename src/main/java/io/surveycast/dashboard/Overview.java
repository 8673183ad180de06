package io.surveycast.dashboard;

import io.surveycast.followup.LoopFigures;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;

/**
 * The overview's figures, gathered in one place for every page that shows them (the dashboard's
 * {@code /}, a read-only wall display): NPS and response rate over the period (by default the last
 * 90 days), NPS and response rate by quarter (by default the last two years), the follow-up loop's
 * figures for the same days, the latest detractor comments. A {@link DashboardFilter} narrows the figures to its dates and segment, through
 * {@link Reports}.
 */
public final class Overview {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private final DSLContext dsl;
    private final Reports reports;
    private final Clock clock;
    private final DashboardQueries queries = new DashboardQueries();

    public Overview(DSLContext dsl, Reports reports, Clock clock) {
        this.dsl = dsl;
        this.reports = reports;
        this.clock = clock;
    }

    /**
     * The quarters of the trend: the filter's dates, else from two years ago to today.
     * @param outcomes with revenue (a download), or without (the page shows none)
     */
    public List<ReportRow> quarters(DashboardFilter filter, boolean outcomes) {
        LocalDate today = today();
        LocalDate from = filter.from() != null ? filter.from() : filter.to() != null ? null : today.minusYears(2).withDayOfMonth(1);
        LocalDate to = filter.to() != null ? filter.to() : filter.from() != null ? null : today;
        return outcomes ? reports.run(null, from, to, Breakdown.parse("quarter"), filter.segment(), Reports.DEFAULT_CHURN_WINDOW)
                : reports.runWithoutOutcomes(null, from, to, Breakdown.parse("quarter"), filter.segment());
    }

    /**
     * The template model's figures: {@code trend} (chart data), {@code hasData}, {@code period} (in
     * words), {@code nps90}, {@code moe90}, {@code rate90}, {@code responded90} (over the filter's
     * dates, else the last 90 days) and {@code comments} (the segment's latest detractor comments, any date).
     */
    public Map<String, Object> figures(DashboardFilter filter) {
        LocalDate today = today();
        List<ReportRow> quarters = quarters(filter, false);
        boolean dated = filter.from() != null || filter.to() != null;
        LocalDate from = dated ? filter.from() : today.minusDays(90);
        LocalDate to = dated ? filter.to() : today;
        ReportRow total = reports.runWithoutOutcomes(null, from, to, Breakdown.ALL, filter.segment())
                .stream().findFirst().orElse(null);
        Map<String, Object> model = new HashMap<>();
        model.put("trend", DashboardPage.trend(quarters));
        model.put("hasData", !quarters.isEmpty());
        model.put("period", dated ? (from == null ? "up to " + to : to == null ? "since " + from : from + " to " + to)
                : "last 90 days");
        model.put("nps90", total == null || total.nps() == null ? "–" : format(total.nps()));
        model.put("moe90", total == null || total.marginOfError() == null ? "" : "± " + format(total.marginOfError()));
        model.put("rate90", total == null || total.responseRate() == null ? "–" : format(total.responseRate()) + " %");
        model.put("responded90", total == null ? 0 : total.responded());
        model.put("loop", LoopFigures.overview(dsl, from, to, clock.instant()));
        model.put("comments", queries.latestDetractorComments(dsl, filter.segment(), 10).stream().map(c -> Map.<String, Object>of(
                "id", c.responseId(), "score", c.score(), "comment", c.comment(), "contact", c.contact(),
                "campaign", c.campaign(), "at", DAY.format(c.at()))).toList());
        return model;
    }

    private LocalDate today() {
        return clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    static String format(double value) {
        return String.format(java.util.Locale.ROOT, "%.1f", value);
    }
}
