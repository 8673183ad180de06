package io.surveycast.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One group of a report, with DESIGN.md's definitions: delivered = invitations whose invite was
 * sent and did not fail or bounce; response rate = responded / delivered; NPS = 100 x (promoters -
 * detractors) / responded; 95% margin of error = 196 x sqrt((p + d - (p - d)^2) / n), p and d the
 * promoter and detractor shares, n = responded. Rates and shares are percentages with one decimal,
 * null when their denominator is zero.
 *
 * <p>{@code lift}: the responses received after reminder step k was sent and before step k+1 (the
 * last step sent before the answer; step 0 is the invite), index k; {@link #liftPoints()} gives them
 * as percentage points of delivered, so they add up to the response rate (to rounding).
 * {@code skipped} and {@code deferred}: invitations of the group planned in the period (by
 * {@code planned_at}), by reason; an invitation that expired before its invite went out is skipped
 * {@code expired}.
 *
 * <p>Under {@link #MIN_RESPONSES_FOR_NPS} answers a group's NPS says little (one detractor is
 * "-100.0 ± 0.0": the margin formula assumes many answers): {@link #tooFewAnswers()} flags it, the
 * table prints "too few answers" instead of NPS and margin, JSON and CSV keep the numbers beside the flag.
 *
 * <p>{@code offline}: the answers among {@code responded} that were collected elsewhere and imported
 * ({@code responses import}): they count in NPS, shares, margin and scores, not in invited, delivered,
 * the response rate, the lift or the time to answer (they had no invite of ours).
 *
 * <p>{@code --by theme}: a row per theme counts the answers that mention it (invited = responded =
 * mentions), and {@code theme} holds what it is weighed against (see {@link ThemeShare}).
 */
public record ReportRow(
        String group,
        long invited,
        long failed,
        long responded,
        long promoters,
        long passives,
        long detractors,
        List<Long> scores,                // how many answered 0, 1, ... 10
        Double medianHoursToRespond,
        List<Long> lift,                  // responses by the last step sent before them, 0 = the invite
        Map<String, Long> skipped,        // reason -> invitations
        Map<String, Long> deferred,       // reason -> invitations
        ThemeShare theme,                 // --by theme only, else null
        long offline,                     // of responded: answers collected elsewhere, with no invite
        List<String> groups,              // the value of each dimension (two with --by A,B; group joins them)
        Outcomes outcomes,                // revenue and churn, null when not computed
        Benchmark benchmark) {            // SURVEYCAST_INDUSTRY's published NPS, else null

    public ReportRow(String group, long invited, long failed, long responded, long promoters, long passives,
            long detractors, List<Long> scores, Double medianHoursToRespond, List<Long> lift, Map<String, Long> skipped,
            Map<String, Long> deferred) {
        this(group, invited, failed, responded, promoters, passives, detractors, scores, medianHoursToRespond, lift,
                skipped, deferred, null);
    }

    public ReportRow(String group, long invited, long failed, long responded, long promoters, long passives,
            long detractors, List<Long> scores, Double medianHoursToRespond, List<Long> lift, Map<String, Long> skipped,
            Map<String, Long> deferred, ThemeShare theme) {
        this(group, invited, failed, responded, promoters, passives, detractors, scores, medianHoursToRespond, lift,
                skipped, deferred, theme, 0, List.of(group), null, null);
    }

    /** The same row without the median time to answer (a view that does not show it). */
    ReportRow withoutMedian() {
        return new ReportRow(group, invited, failed, responded, promoters, passives, detractors, scores,
                null, lift, skipped, deferred, theme, offline, groups, outcomes, benchmark);
    }

    /** This row with its outcomes and benchmark. */
    ReportRow with(Outcomes outcomes, Benchmark benchmark) {
        return new ReportRow(group, invited, failed, responded, promoters, passives, detractors, scores,
                medianHoursToRespond, lift, skipped, deferred, theme, offline, groups, outcomes, benchmark);
    }

    /** The revenue of the row's respondents (each once), null when unknown. */
    public java.math.BigDecimal revenue() {
        return outcomes == null ? null : outcomes.revenue();
    }

    /** NPS with each respondent's latest answer in the group weighted by their revenue. */
    public Double revenueWeightedNps() {
        return outcomes == null ? null : outcomes.revenueWeightedNps();
    }

    /** The revenue of the respondents whose latest answer in the group is a detractor's. */
    public java.math.BigDecimal revenueAtRisk() {
        return outcomes == null ? null : outcomes.revenueAtRisk();
    }

    /** With {@code category} in the breakdown: the share of respondents who churned within the window after their answer. */
    public Double churnRate() {
        return outcomes == null ? null : outcomes.churnRate();
    }

    /** The industry's published NPS (SURVEYCAST_INDUSTRY), null when none is set. */
    public Double benchmarkNps() {
        return benchmark == null ? null : benchmark.nps();
    }

    /** Where the benchmark was published and its year, null when none is set. */
    public String benchmarkSource() {
        return benchmark == null ? null : benchmark.source() + ", " + benchmark.year();
    }

    /** The fewest answers for which the table shows an NPS and its margin of error. */
    public static final int MIN_RESPONSES_FOR_NPS = 10;

    public long delivered() {
        return invited - failed;
    }

    /**
     * Answers to the invitations delivered, over them: the answers collected elsewhere
     * ({@link #offline()}, imported, with no invite of ours) count in NPS but not here, else a
     * phone campaign would lift the rate of the emails sent.
     */
    public Double responseRate() {
        return percent(responded - offline, delivered());
    }

    /** The lift of each step in percentage points of delivered (null when nothing was delivered). */
    public List<Double> liftPoints() {
        List<Double> points = new ArrayList<>(lift.size());
        for (Long n : lift) {
            points.add(percent(n, delivered()));
        }
        return points;
    }

    public Double nps() {
        return responded == 0 ? null : round(100.0 * (promoters - detractors) / responded);
    }

    public Double promoterShare() {
        return percent(promoters, responded);
    }

    public Double passiveShare() {
        return percent(passives, responded);
    }

    public Double detractorShare() {
        return percent(detractors, responded);
    }

    /** Some answers, but fewer than {@link #MIN_RESPONSES_FOR_NPS}. */
    public boolean tooFewAnswers() {
        return responded > 0 && responded < MIN_RESPONSES_FOR_NPS;
    }

    /** {@code --by theme}: the answers that mention the theme (null for other breakdowns). */
    public Long mentions() {
        return theme == null ? null : responded;
    }

    public Double commentShare() {
        return theme == null ? null : theme.commentShare();
    }

    public Double detractorCommentShare() {
        return theme == null ? null : theme.detractorCommentShare();
    }

    /** {@code --by theme}: overall NPS minus the NPS without the answers that mention the theme. */
    public Double npsImpact() {
        return theme == null ? null : theme.npsImpact(promoters, detractors, responded);
    }

    public Double marginOfError() {
        if (responded == 0) {
            return null;
        }
        double p = (double) promoters / responded;
        double d = (double) detractors / responded;
        return round(196 * Math.sqrt((p + d - (p - d) * (p - d)) / responded));
    }

    private static Double percent(long part, long whole) {
        return whole == 0 ? null : round(100.0 * part / whole);
    }

    static Double round(double value) {
        return BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP).doubleValue();
    }
}
