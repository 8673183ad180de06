package io.surveycast.report;

import io.surveycast.csv.SafeCsv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Report rows as CSV, the columns of {@code report --format csv}: the command and the dashboard's
 * downloads write the same file. Cells go through {@link SafeCsv}: text (a group, an attribute value)
 * is neutralised, the numbers the report computes are written as they are.
 */
public final class ReportCsv {
    public static final String[] COLUMNS = {"group", "invited", "delivered", "failed", "responded", "response_rate", "nps",
        "promoters", "passives", "detractors", "margin_of_error", "promoters_count", "passives_count", "detractors_count",
        "median_hours_to_respond", "too_few_answers"};
    /** The columns a {@code --by theme} row adds (after {@link #COLUMNS}). */
    public static final String[] THEME_COLUMNS = {"mentions", "comment_share", "detractor_comment_share", "nps_impact"};
    /** The revenue columns every row has (empty when no contact has the revenue attribute). */
    public static final String[] OUTCOME_COLUMNS = {"revenue", "revenue_weighted_nps", "revenue_at_risk"};

    private ReportCsv() {
    }

    /**
     * The header and one record per row.
     *
     * @param by        the breakdown the rows were asked with (two dimensions: {@code group_1}, {@code group_2})
     * @param benchmark whether an industry benchmark is set (the columns are there even without rows)
     */
    public static void write(SafeCsv csv, List<ReportRow> rows, Breakdown by, boolean benchmark) {
        boolean themes = by.kind().equals("theme");
        boolean pair = by.dimensions().size() == 2;
        boolean churn = by.has("category");
        List<String> header = new ArrayList<>(List.of(COLUMNS));
        if (pair) {
            header.set(0, "group_1");
            header.add(1, "group_2");
        }
        for (int s = 0; s <= 10; s++) {
            header.add("score_" + s);
        }
        if (themes) {
            header.addAll(List.of(THEME_COLUMNS));
        }
        header.addAll(List.of(OUTCOME_COLUMNS));
        if (churn) {
            header.add("churn_rate");
        }
        if (benchmark) {
            header.addAll(List.of("benchmark", "benchmark_source"));
        }
        csv.text(header);
        for (ReportRow r : rows) {
            List<Object> record = new ArrayList<>(Arrays.asList(values(r)));
            if (pair) {
                record.set(0, r.groups().get(0));
                record.add(1, r.groups().get(1));
            }
            record.addAll(r.scores());
            if (themes) {
                record.addAll(Arrays.asList(themeValues(r)));
            }
            record.addAll(Arrays.asList(outcomeValues(r)));
            if (churn) {
                record.add(r.churnRate());
            }
            if (benchmark) {
                record.add(r.benchmarkNps());
                record.add(r.benchmarkSource());
            }
            csv.values(record);
        }
    }

    /** The values of {@link #COLUMNS}. */
    public static Object[] values(ReportRow r) {
        return new Object[] {r.group(), r.invited(), r.delivered(), r.failed(), r.responded(), r.responseRate(), r.nps(),
            r.promoterShare(), r.passiveShare(), r.detractorShare(), r.marginOfError(), r.promoters(), r.passives(),
            r.detractors(), r.medianHoursToRespond(), r.tooFewAnswers()};
    }

    public static Object[] outcomeValues(ReportRow r) {
        return new Object[] {r.revenue(), r.revenueWeightedNps(), r.revenueAtRisk()};
    }

    public static Object[] themeValues(ReportRow r) {
        return new Object[] {r.mentions(), r.commentShare(), r.detractorCommentShare(), r.npsImpact()};
    }
}
