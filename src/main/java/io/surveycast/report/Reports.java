package io.surveycast.report;

import io.surveycast.config.InvalidInputException;
import java.time.LocalDate;
import java.time.Period;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.jooq.DSLContext;

/** Response rates and NPS for a period (UTC dates, both inclusive), one campaign or all, grouped as asked. */
public final class Reports {
    /** Default of {@code SURVEYCAST_REPORT_CONCURRENCY}: reports running at once in a server. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** Where the replica's outcomes run beside the roll-ups: at most one per running report (the semaphore bounds them). */
    private static final java.util.concurrent.Executor OUTCOMES = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
    private final DSLContext dsl;
    private final ReportQueries queries = new ReportQueries();
    private final Semaphore running;
    private final int limit;
    private final ReportSettings settings;
    private final ReplicaQueries replicaQueries = new ReplicaQueries();
    /** The DuckDB copy of the report facts, null without one (the command line). */
    private final ReportReplica replica;
    private final long sparseFactsPerDay;

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
        this(dsl, concurrency, ReportSettings.DEFAULT);
    }

    /** @param settings the revenue and account attributes and the industry benchmark */
    public Reports(DSLContext dsl, int concurrency, ReportSettings settings) {
        this(dsl, concurrency, settings, null);
    }

    /**
     * @param replica the report replica, or null: breakdowns past the roll-ups and every revenue and
     *                churn figure read it once it is loaded, PostgreSQL's raw rows until then
     */
    Reports(DSLContext dsl, int concurrency, ReportSettings settings, ReportReplica replica) {
        this(dsl, concurrency, settings, replica, SPARSE_FACTS_PER_DAY);
    }

    /** @param sparseFactsPerDay see {@link #SPARSE_FACTS_PER_DAY} (0: the roll-ups whenever they can answer) */
    Reports(DSLContext dsl, int concurrency, ReportSettings settings, ReportReplica replica, long sparseFactsPerDay) {
        this.sparseFactsPerDay = sparseFactsPerDay;
        this.dsl = dsl;
        this.limit = concurrency;
        this.running = new Semaphore(concurrency);
        this.settings = settings;
        this.replica = replica;
    }

    /** Whether reports read the replica now: false without one and while it loads. */
    boolean onReplica() {
        return replica != null && replica.loaded();
    }

    /** The industry benchmark rows carry (SURVEYCAST_INDUSTRY), null when none is set. */
    public Benchmark benchmark() {
        return settings.benchmark();
    }

    public List<ReportRow> run(String campaign, LocalDate from, LocalDate to, Breakdown by) {
        return run(campaign, from, to, by, SegmentFilter.NONE, DEFAULT_CHURN_WINDOW);
    }

    /** Default of {@code --churn-window}: a respondent churned within a year of their answer. */
    public static final Period DEFAULT_CHURN_WINDOW = Period.ofDays(365);

    /**
     * @param segment     {@code --where}: only the invitations of the contacts it matches
     * @param churnWindow how long after an answer a churn counts, for {@code churn_rate} (breakdowns with {@code category})
     */
    public List<ReportRow> run(String campaign, LocalDate from, LocalDate to, Breakdown by, SegmentFilter segment,
                               Period churnWindow) {
        return limited(() -> runNow(campaign, from, to, by, segment, churnWindow, true, true));
    }

    /**
     * The same rows without revenue, churn and the median time to answer (null in every row), for a
     * view that shows none of them (every page but Segments, digests): at ten million invitations each
     * respondent's latest answer per group costs more than the counts, and the median over the roll-ups
     * half of a roll-up report.
     */
    public List<ReportRow> runWithoutOutcomes(String campaign, LocalDate from, LocalDate to, Breakdown by,
                                              SegmentFilter segment) {
        return limited(() -> runNow(campaign, from, to, by, segment, DEFAULT_CHURN_WINDOW, false, false));
    }

    private <T> T limited(Supplier<T> report) {
        if (!running.tryAcquire()) {
            throw new ReportsBusyException(limit);
        }
        try {
            return report.get();
        } finally {
            running.release();
        }
    }

    private List<ReportRow> runNow(String campaign, LocalDate from, LocalDate to, Breakdown by, SegmentFilter segment,
                                   Period churnWindow, boolean outcomes, boolean median) {
        if (from != null && to != null && to.isBefore(from)) {
            throw new InvalidInputException("--to: " + to + " is before --from " + from);
        }
        if (churnWindow.isNegative() || churnWindow.isZero()) {
            throw new InvalidInputException("--churn-window: must be a positive ISO-8601 period (e.g. P365D): " + churnWindow);
        }
        if (campaign != null && !queries.campaignExists(dsl, campaign)) {
            throw new InvalidInputException("--campaign: no campaign " + campaign);
        }
        for (Breakdown.Dimension d : by.dimensions()) {
            if (d.kind().equals("attr")) {
                requireAttribute("--by: " + d, d.attribute());
            } else if (d.kind().equals("account")) {
                requireAttribute("--by: account (SURVEYCAST_ACCOUNT_ATTRIBUTE)", settings.accountAttribute());
            }
        }
        for (String name : segment.values().keySet()) {
            requireAttribute("--where: attr:" + name, name);
        }
        ReportQuery q = new ReportQuery(campaign, from, to == null ? null : to.plusDays(1), by, segment,
                settings.accountAttribute(), median);
        // revenue only when some contact may have the attribute: reports without it cost what they did
        String revenue = outcomes && queries.attributeSeen(dsl, settings.revenueAttribute()) ? settings.revenueAttribute() : null;
        boolean withOutcomes = outcomes && (revenue != null || by.has("category"));
        Answer answer = onRollups(q) && !sparseOnReplica(q) ? rollupAnswer(q, withOutcomes, revenue, churnWindow)
                : replica(duck -> {
                    List<ReportRow> rows = replicaQueries.rows(duck, q);
                    return new Answer(rows, rows.isEmpty() || !withOutcomes ? null
                            : replicaQueries.outcomes(duck, q, revenue != null, churnWindow));
                }).orElseGet(() -> postgresAnswer(q, withOutcomes, revenue, churnWindow));
        // every path gives the same rows: one that skipped the median gives none, any other drops it here
        List<ReportRow> rows = median ? answer.rows() : answer.rows().stream().map(ReportRow::withoutMedian).toList();
        if (answer.outcomes() == null) {
            return settings.benchmark() == null ? rows : rows.stream().map(r -> r.with(null, settings.benchmark())).toList();
        }
        return rows.stream().map(r -> r.with(answer.outcomes().getOrDefault(r.groups(), none(by)),
                settings.benchmark())).toList();
    }

    /**
     * How many times answers mention each theme, per quarter (keyed by its first day), over the days
     * from {@code first} (a quarter's first day) to {@code last} (both inclusive) and the segment:
     * the {@code mentions} of a theme report of each quarter (none: no entry), in one statement on the
     * replica (the Themes page's trend), a theme report per quarter on PostgreSQL.
     */
    public Map<String, Map<LocalDate, Long>> themeMentionsByQuarter(LocalDate first, LocalDate last, SegmentFilter segment) {
        return limited(() -> {
            for (String name : segment.values().keySet()) {
                requireAttribute("--where: attr:" + name, name);
            }
            ReportQuery q = new ReportQuery(null, first, last.plusDays(1), Breakdown.parse("theme"), segment,
                    settings.accountAttribute());
            return replica(duck -> replicaQueries.mentionsByQuarter(duck, q)).orElseGet(() -> {
                Map<String, Map<LocalDate, Long>> out = new java.util.HashMap<>();
                for (LocalDate start = first; !start.isAfter(last); start = start.plusMonths(3)) {
                    LocalDate end = start.plusMonths(3).minusDays(1);
                    for (ReportRow r : runNow(null, start, end.isAfter(last) ? last : end, Breakdown.parse("theme"), segment,
                            DEFAULT_CHURN_WINDOW, false, false)) {
                        if (r.mentions() > 0) {
                            out.computeIfAbsent(r.group(), k -> new java.util.TreeMap<>()).put(start, r.mentions());
                        }
                    }
                }
                return out;
            });
        });
    }

    /** A report's rows and, when asked, their outcomes by group (else null). */
    private record Answer(List<ReportRow> rows, Map<List<String>, Outcomes> outcomes) {
    }

    /** Campaign, channel, month, quarter or nothing, without --where: the roll-ups answer these in ~100 ms. */
    private static boolean onRollups(ReportQuery q) {
        return q.segment().isEmpty() && switch (q.by().kind()) {
            case "all", "campaign", "channel", "month", "quarter" -> true;
            default -> false;
        };
    }

    /**
     * Below this many counted invitations per campaign-day the replica counts faster than the
     * roll-ups, which read a bucket of delays per hour of each day: at ten million invitations the
     * roll-ups took about 210 us per campaign-day, the replica 26 ns per invitation (docs/PERFORMANCE.md).
     */
    static final long SPARSE_FACTS_PER_DAY = 5_000;

    /** Whether the replica is loaded and the report's campaign-days hold few invitations (a daily trigger campaign). */
    private boolean sparseOnReplica(ReportQuery q) {
        return onReplica() && replica.sparse(q.campaign(), q.from(), q.toExclusive(), sparseFactsPerDay);
    }

    /** The rows from PostgreSQL's roll-ups; revenue and churn from the replica when loaded (per respondent, no roll-up adds them up). */
    private Answer rollupAnswer(ReportQuery q, boolean withOutcomes, String revenue, Period churnWindow) {
        // the replica's outcomes and PostgreSQL's roll-ups at once (a campaign by quarter: about 60 ms
        // each); the roll-ups read the days not yet rolled up raw, so they are exact before the
        // replica's sync has refreshed them too
        boolean beside = withOutcomes && onReplica();
        java.util.concurrent.CompletableFuture<Map<List<String>, Outcomes>> fromReplica = beside
                ? java.util.concurrent.CompletableFuture.supplyAsync(() -> replica(duck -> replicaQueries.outcomes(duck, q,
                        revenue != null, churnWindow)).orElse(null), OUTCOMES)
                : java.util.concurrent.CompletableFuture.completedFuture(null);
        if (!beside) {
            queries.refresh(dsl);
        }
        List<ReportRow> rows = queries.rows(dsl, q);
        Map<List<String>, Outcomes> outcomes = join(fromReplica);
        if (rows.isEmpty() || !withOutcomes) {
            return new Answer(rows, null);
        }
        return new Answer(rows, outcomes != null ? outcomes : queries.outcomes(dsl, q, revenue, churnWindow.toString()));
    }

    /** The replica's outcomes computed beside the roll-ups; an error is the caller's, as if it ran in its thread. */
    private static <T> T join(java.util.concurrent.CompletableFuture<T> running) {
        try {
            return running.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Everything from PostgreSQL, as without a replica. */
    private Answer postgresAnswer(ReportQuery q, boolean withOutcomes, String revenue, Period churnWindow) {
        queries.refresh(dsl);
        List<ReportRow> rows = queries.rows(dsl, q);
        return new Answer(rows, rows.isEmpty() || !withOutcomes ? null
                : queries.outcomes(dsl, q, revenue, churnWindow.toString()));
    }

    /** {@code q} over the replica brought up to date, empty without one or while it loads. */
    private <T> java.util.Optional<T> replica(ReportReplica.ReplicaQuery<T> q) {
        return replica == null ? java.util.Optional.empty() : replica.query(dsl, q);
    }

    /** The outcomes of a group without respondents. */
    private static Outcomes none(Breakdown by) {
        return new Outcomes(0, null, java.math.BigDecimal.ZERO, java.math.BigDecimal.ZERO, by.has("category") ? 0L : null);
    }

    private void requireAttribute(String what, String name) {
        if (!queries.attributeExists(dsl, name)) {
            List<String> known = queries.attributeNames(dsl, 20);
            throw new InvalidInputException(what + ": unknown attribute, no contact has " + name
                    + (known.isEmpty() ? " (no contact has any attribute)" : " (known: " + String.join(", ", known)
                    + (known.size() == 20 ? ", ..." : "") + ")"));
        }
    }

    /**
     * Brings the roll-ups up to date with the raw rows (the days written since the last refresh).
     * Reports are exact without it (they read those days raw), only slower; {@link #run} does it first.
     * Returns the campaign-days recomputed, 0 when another refresh is running.
     */
    public int refresh() {
        // the replica's sync refreshes first: the timer keeps it close to PostgreSQL, so a report has little to reload
        return onReplica() ? replica.sync(dsl) : queries.refresh(dsl);
    }
}
