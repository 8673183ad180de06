package io.surveycast.followup;

import io.surveycast.config.InvalidInputException;
import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Measuring the loop ({@code cases report}, {@code GET /api/cases/report}, the overview's figures):
 * the cases opened from {@code from} to {@code to} (UTC days, both inclusive; either open-ended),
 * grouped by owner, campaign or category, as they stand at the clock's now. What each figure
 * counts is said in {@code sql/followup.sql} (statement case-report) and in the README.
 */
public final class CaseReport {
    /** Each grouping's fragment of sql/followup.sql, the expression a row's group is. */
    private static final Map<String, String> GROUPS = Map.of("owner", "group-owner", "campaign", "group-campaign",
            "category", "group-category");
    public static final Set<String> GROUPINGS = GROUPS.keySet();
    private static final NamedSql SQL = NamedSql.of("followup");
    private static final OffsetDateTime EARLIEST = OffsetDateTime.parse("1970-01-01T00:00:00Z");
    private static final OffsetDateTime LATEST = OffsetDateTime.parse("9999-12-31T00:00:00Z");

    /** What to report: checked by {@link #query}. */
    public record Query(LocalDate from, LocalDate to, String by) { }

    private CaseReport() { }

    /**
     * The query, checked: a bad value is refused naming the option or parameter ({@code prefix}
     * {@code --} for the CLI, empty for the API) so the caller can say which.
     */
    public static Query query(String from, String to, String by, String prefix) {
        List<String> errors = new ArrayList<>();
        LocalDate first = date(prefix + "from", from, errors);
        LocalDate last = date(prefix + "to", to, errors);
        if (first != null && last != null && last.isBefore(first)) {
            errors.add(prefix + "to: " + last + " is before from " + first);
        }
        String grouping = by == null || by.isBlank() ? null : by.strip();
        if (grouping != null && !GROUPINGS.contains(grouping)) {
            errors.add(prefix + "by: expected owner, campaign or category, got " + by);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        return new Query(first, last, grouping);
    }

    static List<CaseReportRow> rows(DSLContext dsl, Query query, Instant now) {
        Params params = new Params()
                .value("from", query.from() == null ? EARLIEST : query.from().atStartOfDay().atOffset(ZoneOffset.UTC))
                .value("to", query.to() == null ? LATEST : query.to().plusDays(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .part("group", SQL.get(query.by() == null ? "group-all" : GROUPS.get(query.by())).sql());
        return SQL.get("case-report").query(dsl, params).fetch(CaseReport::row);
    }

    private static CaseReportRow row(Record r) {
        long resurveyed = r.get("resurveyed", Long.class);
        long recovered = r.get("recovered", Long.class);
        return new CaseReportRow(r.get("grp", String.class), r.get("opened", Long.class), r.get("closed", Long.class),
                r.get("still_open", Long.class), r.get("overdue", Long.class),
                CaseReportRow.percent(r.get("closed_in_time", Long.class), r.get("decided", Long.class)),
                CaseReportRow.oneDecimal(r.get("median_hours_to_first_action", Double.class)),
                CaseReportRow.oneDecimal(r.get("median_hours_to_close", Double.class)),
                resurveyed, recovered, CaseReportRow.percent(recovered, resurveyed));
    }

    private static LocalDate date(String name, String text, List<String> errors) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalDate.parse(text.strip());
        } catch (java.time.format.DateTimeParseException e) {
            errors.add(name + ": not a date (YYYY-MM-DD): " + text);
            return null;
        }
    }
}
