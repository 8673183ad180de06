package io.surveycast.report;

import java.time.LocalDate;

/** What one report asks: the campaign (or all), the UTC days ({@code toExclusive} excluded), the breakdown and the segment. */
record ReportQuery(String campaign, LocalDate from, LocalDate toExclusive, Breakdown by, SegmentFilter segment,
        String accountAttribute) {
}
