package io.surveycast.cli;

import static io.surveycast.cli.Table.dash;
import static io.surveycast.cli.Table.row;

import io.surveycast.csv.SafeCsv;

import io.surveycast.config.InvalidInputException;
import io.surveycast.report.Breakdown;
import io.surveycast.report.ReportCsv;
import io.surveycast.report.ReportRow;
import io.surveycast.report.ReportSettings;
import io.surveycast.report.Reports;
import io.surveycast.report.SegmentFilter;
import java.io.IOException;
import java.time.LocalDate;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Shows response rates and NPS of the invitations sent in a period, grouped.",
                "Dates are UTC days, both inclusive. delivered = sent and not failed or bounced; "
                        + "response rate = responded / delivered; NPS = 100 x (promoters - detractors) / responded, "
                        + "with its margin of error at 95%%. Rates and shares are percentages with one decimal.",
                "A group with fewer than " + ReportRow.MIN_RESPONSES_FOR_NPS + " answers says \"too few answers\" "
                        + "instead of its NPS and margin of error in the table; JSON and CSV keep the numbers and "
                        + "flag it in too_few_answers.",
                "JSON also has per row: scores (0-10), reminder_lift (responses after each step, 0 = the invite, "
                        + "as counts and percentage points of delivered), skipped and deferred (by reason, "
                        + "by planned time).",
                "--by theme: a row per theme over the answers that mention it, plus mentions, comment_share and "
                        + "detractor_comment_share (percent of all comments and of detractors' comments) and nps_impact "
                        + "(overall NPS minus the NPS without the answers that mention the theme).",
                "Every row has revenue, revenue_weighted_nps and revenue_at_risk (the revenue attribute, "
                        + "SURVEYCAST_REVENUE_ATTRIBUTE, default mrr, of each respondent once, by their latest answer in the group; "
                        + "empty when no contact has it); with category in --by, churn_rate; with SURVEYCAST_INDUSTRY, benchmark."})
final class ReportCommand extends CliCommand {
    static final String[] COLUMNS = ReportCsv.COLUMNS;
    /** The columns a {@code --by theme} row adds (after {@link #COLUMNS}). */
    static final String[] THEME_COLUMNS = ReportCsv.THEME_COLUMNS;
    @Option(names = "--campaign", paramLabel = "KEY", description = "one campaign (default: all)")
    String campaign;

    @Option(names = "--from", paramLabel = "D", description = "first day, YYYY-MM-DD (UTC)")
    String from;

    @Option(names = "--to", paramLabel = "D", description = "last day, YYYY-MM-DD (UTC), inclusive")
    String to;

    @Option(names = "--by", paramLabel = "DIM[,DIM]", description = "grouping by one or two of campaign, wave, channel, "
            + "month, quarter, tenure, category, theme (alone), account, attr:NAME (default: one row)")
    String by;

    @Option(names = "--where", paramLabel = "attr:NAME=VALUE", description = "only contacts with that attribute value "
            + "(repeatable: values of one attribute OR-ed, different attributes AND-ed; the contact's current value)")
    List<String> where;

    @Option(names = "--churn-window", paramLabel = "PERIOD", defaultValue = "P365D",
            description = "churn_rate counts a churned_at within this ISO-8601 period after the answer (default P365D)")
    String churnWindow;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table", description = "output format")
    Format format;

    enum Format { table, csv, json }

    @Override
    public Integer call() throws IOException {
        Breakdown breakdown = Breakdown.parse(by);
        SegmentFilter segment = SegmentFilter.parse(where);
        Period window = period(churnWindow);
        LocalDate first = date("--from", from);
        LocalDate last = date("--to", to);
        boolean themes = breakdown.kind().equals("theme");
        ReportSettings settings = ReportSettings.fromSettings(context.settings());
        List<ReportRow> rows = new Reports(context.database().dsl(), Integer.MAX_VALUE, settings)
                .run(campaign, first, last, breakdown, segment, window);
        switch (format) {
            case json -> context.out().println(Json.write(ReportJson.rows(rows)));
            case csv -> {
                SafeCsv csv = new SafeCsv(context.out());
                ReportCsv.write(csv, rows, breakdown, settings.benchmark() != null);
                csv.flush();
                context.out().flush();
            }
            case table -> {
                if (themes) {
                    themeTable(rows);
                    break;
                }
                String line = "%-28s %8s %9s %7s %9s %8s %7s %7s %7s %7s %7s  %s";
                row(context.out(), line, "GROUP", "INVITED", "DELIVERED", "FAILED", "RESPONDED", "RATE %", "NPS",
                        "PROM %", "PASS %", "DETR %", "MOE ±", "");
                for (ReportRow r : rows) {
                    boolean tooFew = r.tooFewAnswers();
                    row(context.out(), line, r.group(), r.invited(), r.delivered(), r.failed(), r.responded(),
                            dash(r.responseRate()), tooFew ? "-" : dash(r.nps()), dash(r.promoterShare()),
                            dash(r.passiveShare()), dash(r.detractorShare()), tooFew ? "-" : dash(r.marginOfError()),
                            tooFew ? "too few answers (under " + ReportRow.MIN_RESPONSES_FOR_NPS + ")" : "");
                }
                if (rows.isEmpty()) {
                    context.out().println("(no invitations sent in that period)");
                }
            }
        }
        return Cli.OK;
    }

    /** {@code --by theme} as a table: what matters per theme, without the invitation counts (all answered). */
    private void themeTable(List<ReportRow> rows) {
        String line = "%-28s %8s %8s %11s %7s %7s %7s  %s";
        row(context.out(), line, "THEME", "MENTIONS", "COMM %", "DETR COMM %", "NPS", "MOE ±", "IMPACT", "");
        for (ReportRow r : rows) {
            boolean tooFew = r.tooFewAnswers();
            row(context.out(), line, r.group(), r.mentions(), dash(r.commentShare()), dash(r.detractorCommentShare()),
                    tooFew ? "-" : dash(r.nps()), tooFew ? "-" : dash(r.marginOfError()), dash(r.npsImpact()),
                    tooFew ? "too few answers (under " + ReportRow.MIN_RESPONSES_FOR_NPS + ")" : "");
        }
        if (rows.isEmpty()) {
            context.out().println("(no themes)");
        }
    }

    /** The revenue columns every row has (empty when no contact has the revenue attribute). */
    static final String[] OUTCOME_COLUMNS = ReportCsv.OUTCOME_COLUMNS;

    static Object[] outcomeValues(ReportRow r) {
        return ReportCsv.outcomeValues(r);
    }

    static Object[] themeValues(ReportRow r) {
        return ReportCsv.themeValues(r);
    }

    static Object[] values(ReportRow r) {
        return ReportCsv.values(r);
    }

    private static Period period(String text) {
        try {
            Period p = Period.parse(text);
            if (p.isNegative() || p.isZero()) {
                throw new InvalidInputException("--churn-window: must be a positive period (e.g. P365D): " + text);
            }
            return p;
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("--churn-window: not an ISO-8601 period (e.g. P365D, P6M): " + text);
        }
    }

    private static LocalDate date(String option, String text) {
        return parsed(text, LocalDate::parse, option + ": not a date (YYYY-MM-DD): " + text);
    }
}
