package io.surveycast.digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.surveycast.followup.CaseFilter;
import io.surveycast.followup.Cases;
import io.surveycast.followup.FollowUpCase;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportRow;
import io.surveycast.report.Reports;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import org.jooq.DSLContext;

/**
 * Gathers a digest's content: every figure from {@link Reports} (the period without a breakdown,
 * the previous period, {@code --by theme}), so it equals {@code report} for the same days and
 * filter; cases from follow-up; the comments of the answers the report counts.
 */
final class DigestComposer {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final int COMMENTS = 5;
    static final int THEMES = 3;
    private final DSLContext dsl;
    private final Reports reports;
    private final Cases cases;
    private final String publicUrl;
    private final DigestQueries queries = new DigestQueries();

    DigestComposer(DSLContext dsl, Reports reports, Cases cases, String publicUrl) {
        this.dsl = dsl;
        this.reports = reports;
        this.cases = cases;
        this.publicUrl = publicUrl.replaceAll("/+$", "");
    }

    DigestContent compose(DigestDefinition d, DigestPeriod period, Instant at) {
        DigestPeriod previous = period.previous(d.length());
        ReportRow current = only(report(d, period, Breakdown.ALL));
        ReportRow before = only(report(d, previous, Breakdown.ALL));
        List<DigestContent.Theme> themes = report(d, period, Breakdown.parse("theme")).stream()
                .filter(r -> r.mentions() != null && r.mentions() > 0)
                .sorted(Comparator.comparingLong(ReportRow::responded).reversed().thenComparing(ReportRow::group))
                .limit(THEMES)
                .map(r -> new DigestContent.Theme(r.group(), r.mentions(), r.commentShare(), r.nps()))
                .toList();
        List<FollowUpCase> open = cases.list(new CaseFilter(null, null, d.campaign(), null, false, CaseFilter.MAX_LIMIT));
        var caseCounts = new DigestContent.Cases(open.size(), (int) open.stream().filter(c -> c.overdueAt(at)).count(),
                open.size() >= CaseFilter.MAX_LIMIT);
        List<DigestContent.Comment> comments = queries.comments(dsl, period, d.campaign(), segmentJson(d), COMMENTS).stream()
                .map(c -> new DigestContent.Comment(c.score(), category(c.score()), c.comment(), c.campaign(),
                        publicUrl + "/responses/" + c.responseId()))
                .toList();
        return new DigestContent(d.name(), period, previous, current, before == null ? null : before.nps(), themes,
                caseCounts, comments, publicUrl + "/");
    }

    private List<ReportRow> report(DigestDefinition d, DigestPeriod period, Breakdown by) {
        try {
            // the digest shows no revenue or churn
            return reports.runWithoutOutcomes(d.campaign(), period.from(), period.last(), by, d.segment());
        } catch (io.surveycast.config.InvalidInputException e) {
            // a filter attribute no contact has (yet): the filter matches nobody, as report's answer would say
            return List.of();
        }
    }

    /** The one row of a report without a breakdown; null when nothing was sent in the period. */
    private static ReportRow only(List<ReportRow> rows) {
        return rows.isEmpty() || rows.get(0).invited() + rows.get(0).responded() == 0 ? null : rows.get(0);
    }

    static String category(int score) {
        return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor";
    }

    private static String segmentJson(DigestDefinition d) {
        try {
            return JSON.writeValueAsString(d.attributes());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
