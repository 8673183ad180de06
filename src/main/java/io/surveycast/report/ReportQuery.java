package io.surveycast.report;

import java.time.LocalDate;

/**
 * What one report asks: the campaign (or all), the UTC days ({@code toExclusive} excluded), the breakdown and the segment,
 * and whether the median time to answer is wanted (no page shows it; computing it is half a roll-up report).
 */
record ReportQuery(String campaign, LocalDate from, LocalDate toExclusive, Breakdown by, SegmentFilter segment,
        String accountAttribute, boolean median) {
    /** With the median time to answer. */
    ReportQuery(String campaign, LocalDate from, LocalDate toExclusive, Breakdown by, SegmentFilter segment,
                String accountAttribute) {
        this(campaign, from, toExclusive, by, segment, accountAttribute, true);
    }
}
