package io.surveycast.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * One group of a report, with DESIGN.md's definitions: delivered = invitations whose invite was
 * sent and did not fail or bounce; response rate = responded / delivered; NPS = 100 x (promoters -
 * detractors) / responded; 95% margin of error = 196 x sqrt((p + d - (p - d)^2) / n), p and d the
 * promoter and detractor shares, n = responded. Rates and shares are percentages with one decimal,
 * null when their denominator is zero.
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
        Double medianHoursToRespond) {

    public long delivered() {
        return invited - failed;
    }

    public Double responseRate() {
        return percent(responded, delivered());
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
