package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.jooq.DSLContext;

/** Response rates and NPS for a period (UTC dates, both inclusive), one campaign or all, grouped as asked. */
public final class Reports {
    private final DSLContext dsl;
    private final ReportQueries queries = new ReportQueries();

    public Reports(DSLContext dsl) {
        this.dsl = dsl;
    }

    public List<ReportRow> run(String campaign, LocalDate from, LocalDate to, Breakdown by) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("--to: " + to + " is before --from " + from);
        }
        if (campaign != null && !queries.campaignExists(dsl, campaign)) {
            throw new InvalidInputException("--campaign: no campaign " + campaign);
        }
        return queries.rows(dsl, campaign, from == null ? null : from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                to == null ? null : to.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant(), by);
    }
}
