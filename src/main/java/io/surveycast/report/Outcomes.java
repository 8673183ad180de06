package io.surveycast.report;

import java.math.BigDecimal;

/**
 * What a report row's respondents are worth: each respondent (contact) of the group once, with
 * their latest answer in it. {@code revenue} sums their current revenue attribute (null when none of
 * them has a number there, or when no contact has the attribute at all); promoter and detractor
 * revenue are the shares of it whose latest answer is a promoter or a detractor. {@code churned}
 * counts the respondents whose {@code churned_at} falls within the churn window after that answer
 * (null unless the breakdown has {@code category}).
 */
public record Outcomes(long respondents, BigDecimal revenue, BigDecimal promoterRevenue, BigDecimal detractorRevenue,
        Long churned) {

    /** 100 x (promoters' revenue - detractors' revenue) / revenue, one decimal; null without revenue. */
    Double revenueWeightedNps() {
        if (revenue == null || revenue.signum() == 0) {
            return null;
        }
        return ReportRow.round(100.0 * promoterRevenue.subtract(detractorRevenue).doubleValue() / revenue.doubleValue());
    }

    /** The revenue of the respondents whose latest answer in the group is a detractor's. */
    BigDecimal revenueAtRisk() {
        return revenue == null ? null : detractorRevenue;
    }

    /** The share of respondents who churned within the window, in percent, one decimal. */
    Double churnRate() {
        return churned == null || respondents == 0 ? null : ReportRow.round(100.0 * churned / respondents);
    }
}
