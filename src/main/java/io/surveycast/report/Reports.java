package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.jooq.DSLContext;

/** Response rates and NPS for a period (UTC dates, both inclusive), one campaign or all, grouped as asked. */
public final class Reports {
    /** Default of {@code SURVEYCAST_REPORT_CONCURRENCY}: reports running at once in a server. */
    public static final int DEFAULT_CONCURRENCY = 4;
    private final DSLContext dsl;
    private final ReportQueries queries = new ReportQueries();
    private final Semaphore running;
    private final int limit;

    /** Unbounded: one report at a time anyway, as in the CLI. */
    public Reports(DSLContext dsl) {
        this(dsl, Integer.MAX_VALUE);
    }

    /**
     * @param concurrency reports that may run at once, over the API and the dashboard together; one
     *                    more fails at once with {@link ReportsBusyException} instead of waiting: 100
     *                    waiting reports held every HTTP worker thread and database connection, and
     *                    {@code /health} and survey pages queued behind them
     */
    public Reports(DSLContext dsl, int concurrency) {
        this.dsl = dsl;
        this.limit = concurrency;
        this.running = new Semaphore(concurrency);
    }

    public List<ReportRow> run(String campaign, LocalDate from, LocalDate to, Breakdown by) {
        if (!running.tryAcquire()) {
            throw new ReportsBusyException(limit);
        }
        try {
            return runNow(campaign, from, to, by);
        } finally {
            running.release();
        }
    }

    private List<ReportRow> runNow(String campaign, LocalDate from, LocalDate to, Breakdown by) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("--to: " + to + " is before --from " + from);
        }
        if (campaign != null && !queries.campaignExists(dsl, campaign)) {
            throw new InvalidInputException("--campaign: no campaign " + campaign);
        }
        if (by.kind().equals("attr") && !queries.attributeExists(dsl, by.attribute())) {
            List<String> known = queries.attributeNames(dsl, 20);
            throw new InvalidInputException("--by: " + by + ": unknown attribute, no contact has " + by.attribute()
                    + (known.isEmpty() ? " (no contact has any attribute)" : " (known: " + String.join(", ", known)
                    + (known.size() == 20 ? ", ..." : "") + ")"));
        }
        queries.refresh(dsl);
        return queries.rows(dsl, campaign, from, to == null ? null : to.plusDays(1), by);
    }

    /**
     * Brings the roll-ups up to date with the raw rows (the days written since the last refresh).
     * Reports are exact without it (they read those days raw), only slower; {@link #run} does it first.
     * Returns the campaign-days recomputed, 0 when another refresh is running.
     */
    public int refresh() {
        return queries.refresh(dsl);
    }
}
