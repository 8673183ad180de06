package io.surveycast.digest;

import io.surveycast.report.ReportRow;
import java.util.List;

/**
 * What one digest says, every figure as {@code report} gives it for the same days and filter:
 * the period's row ({@code null} when no invitation was sent in it), the previous period's NPS,
 * the top themes, the open and overdue follow-up cases (of the campaign filtered on), and up to
 * five comments with links to their responses.
 */
record DigestContent(String digest, DigestPeriod period, DigestPeriod previousPeriod, ReportRow current, Double previousNps,
                     List<Theme> themes, Cases cases, List<Comment> comments, String dashboardUrl) {

    record Theme(String name, long mentions, Double commentShare, Double nps) {
    }

    /** Open (not closed) and, of them, overdue follow-up cases; {@code atLeast} when the count stopped at its limit. */
    record Cases(int open, int overdue, boolean atLeast) {
    }

    record Comment(int score, String category, String text, String campaign, String url) {
    }

    Double nps() {
        return current == null ? null : current.nps();
    }

    /** NPS minus the previous period's, null when either is missing. */
    Double npsChange() {
        Double now = nps();
        return now == null || previousNps == null ? null
                : java.math.BigDecimal.valueOf(now - previousNps).setScale(1, java.math.RoundingMode.HALF_UP).doubleValue();
    }
}
