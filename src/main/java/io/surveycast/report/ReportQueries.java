package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;

import io.surveycast.sql.NamedSql;
import io.surveycast.sql.Params;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.QueryPart;
import org.jooq.SQL;
import org.jooq.impl.DSL;

/**
 * The SQL of reports. An invitation counts when its invite went out (or failed trying), on the UTC
 * day it went out (the day it was to go, for one that failed before going); its skip and deferral
 * reasons count on the UTC day it was planned. Breakdowns by campaign, channel, month, quarter or
 * nothing read the roll-ups of V10 for clean days and the raw rows for days marked dirty, in one
 * statement; wave, attr:NAME and theme read the raw rows. See V10__report_rollups.sql for why that is exact.
 */
final class ReportQueries {
    /** The statements of reports, in src/main/resources/sql/report.sql. */
    private static final NamedSql NAMED = NamedSql.of("report");
    /** Advisory lock key of the roll-up refresh ("report" in ASCII). */
    private static final long REFRESH_LOCK = 0x7265706f7274L;

    /** Recomputes the days marked dirty from the raw rows, unless another refresh is running. Returns the days done. */
    int refresh(DSLContext dsl) {
        return refresh(dsl, false);
    }

    /**
     * @param wait whether to wait for a refresh running elsewhere instead of leaving the work to it:
     *             the report replica needs every write committed before it asked to be in the roll-up
     *             versions it reads next (V35)
     */
    int refresh(DSLContext dsl, boolean wait) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            Boolean locked = NAMED.get(wait ? "refresh-lock-wait" : "refresh-lock")
                    .query(tx, new Params().value("key", REFRESH_LOCK)).fetchOne("locked", Boolean.class);
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            // a new statement, so a new snapshot: it sees what the previous refresh committed
            return tx.resultQuery(refreshSql()).fetchOne("days", Integer.class);
        });
    }

    /** The refresh: the statement refresh of report.sql with its raw rows and decisions of the days taken. */
    static SQL refreshSql() {
        Params days = daysOf(DSL.name("k"));
        return NAMED.get("refresh").sql(new Params()
                .part("raw", NAMED.get("raw-of-days").sql(days))
                .part("decisions", NAMED.get("decisions-of-days").sql(days)));
    }

    /** The campaign-days of the table {@code keys}, for raw-of-days and decisions-of-days. */
    private static Params daysOf(Name keys) {
        return new Params().part("keys", keys).part("answer_step", NAMED.get("answer-step").sql());
    }

    List<ReportRow> rows(DSLContext dsl, String campaign, LocalDate from, LocalDate toExclusive, Breakdown by) {
        return rows(dsl, new ReportQuery(campaign, from, toExclusive, by, SegmentFilter.NONE, "account"));
    }

    List<ReportRow> rows(DSLContext dsl, ReportQuery q) {
        return withoutEmptyGroups(q, allRows(dsl, q));
    }

    /** The rows a report shows of those its statement gives (ReplicaQueries' too). */
    static List<ReportRow> withoutEmptyGroups(ReportQuery q, List<ReportRow> rows) {
        // every theme has its row, a theme nobody mentions too (its mentions are the news)
        String kind = q.by().kind();
        if (kind.equals("all") || kind.equals("campaign") || kind.equals("theme")) {
            return rows;
        }
        // no empty groups: a channel, period, wave or attribute value with nothing sent has only
        // skips and deferrals (the (none) channel of skipped invitations, a quarter planned ahead),
        // which the one-row and per-campaign reports show
        // (a group of answers collected elsewhere has none invited but answers: the offline channel)
        return rows.stream().filter(r -> r.invited() > 0 || r.offline() > 0).toList();
    }

    private List<ReportRow> allRows(DSLContext dsl, ReportQuery q) {
        return dsl.resultQuery(sql(q)).fetch(r -> {
            List<Long> scores = new ArrayList<>(11);
            for (int s = 0; s <= 10; s++) {
                scores.add(r.get("s" + s, Long.class));
            }
            Double median = r.get("median_seconds", Double.class);
            List<Long> lift = new ArrayList<>();
            Integer[] steps = r.get("lift_steps", Integer[].class);
            Long[] counts = r.get("lift_counts", Long[].class);
            if (steps != null) {
                for (int i = 0; i < steps.length; i++) {
                    while (lift.size() <= steps[i]) {
                        lift.add(0L);
                    }
                    lift.set(steps[i], counts[i]);
                }
            }
            Map<String, Long> skipped = new TreeMap<>();
            Map<String, Long> deferred = new TreeMap<>();
            String[] kinds = r.get("d_kinds", String[].class);
            String[] reasons = r.get("d_reasons", String[].class);
            Long[] ns = r.get("d_counts", Long[].class);
            if (kinds != null) {
                for (int i = 0; i < kinds.length; i++) {
                    (kinds[i].equals("skip") ? skipped : deferred).put(reasons[i], ns[i]);
                }
            }
            List<String> groups = groups(r);
            return new ReportRow(String.join(" / ", groups), r.get("invited", Long.class), r.get("failed", Long.class),
                    r.get("responded", Long.class), r.get("promoters", Long.class), r.get("passives", Long.class),
                    r.get("detractors", Long.class), List.copyOf(scores),
                    median == null ? null : ReportRow.round(median / 3600), List.copyOf(lift),
                    new LinkedHashMap<>(skipped), new LinkedHashMap<>(deferred), themeShare(r),
                    r.get("offline", Long.class), groups, null, null);
        });
    }

    /** The group of a row: one value, or the two of a two-dimension breakdown (a text[]). */
    private static List<String> groups(org.jooq.Record r) {
        Object grp = r.get("grp");
        if (grp instanceof Object[] pair) {
            return java.util.Arrays.stream(pair).map(String::valueOf).toList();
        }
        return List.of(String.valueOf(grp));
    }

    /**
     * Revenue and churn per group (outcomes-report), keyed by the groups of {@link #rows}.
     * @param revenue the revenue attribute, or null when no contact has it (revenue is then null)
     * @param window  the churn window, an ISO-8601 period; churn is counted only with {@code category} in the breakdown
     */
    Map<List<String>, Outcomes> outcomes(DSLContext dsl, ReportQuery q, String revenue, String window) {
        boolean churn = q.by().has("category");
        Map<List<String>, Outcomes> out = new java.util.HashMap<>();
        dsl.resultQuery(outcomesSql(q, revenue == null ? "" : revenue, window)).forEach(r -> {
            java.math.BigDecimal total = revenue == null ? null : r.get("revenue", java.math.BigDecimal.class);
            out.put(groups(r), new Outcomes(r.get("respondents", Long.class), total,
                    r.get("promoter_revenue", java.math.BigDecimal.class), r.get("detractor_revenue", java.math.BigDecimal.class),
                    churn ? r.get("churned", Long.class) : null));
        });
        return out;
    }

    /** Whether some contact may have the attribute (V24's list of names ever seen: exact "no", maybe stale "yes"). */
    boolean attributeSeen(DSLContext dsl, String name) {
        return Boolean.TRUE.equals(NAMED.get("attribute-name-seen").query(dsl, new Params().value("name", name))
                .fetchOne("seen", Boolean.class));
    }

    private static ThemeShare themeShare(org.jooq.Record r) {
        if (r.field("comment_mentions") == null) {
            return null;
        }
        return new ThemeShare(r.get("comment_mentions", Long.class), r.get("comments", Long.class),
                r.get("detractor_comment_mentions", Long.class), r.get("detractor_comments", Long.class),
                r.get("answers", Long.class), r.get("all_promoters", Long.class), r.get("all_detractors", Long.class));
    }

    /** The statement of a report. */
    static SQL sql(String campaign, LocalDate from, LocalDate toExclusive, Breakdown by) {
        return sql(new ReportQuery(campaign, from, toExclusive, by, SegmentFilter.NONE, "account"));
    }

    static SQL sql(ReportQuery q) {
        Breakdown by = q.by();
        boolean rollup = q.segment().isEmpty() && switch (by.kind()) {
            case "all", "campaign", "channel", "month", "quarter" -> true;
            default -> false;
        };
        if (by.kind().equals("theme")) {
            return NAMED.get("theme-report").sql(new Params()
                    .part("contact_join", q.segment().isEmpty() ? DSL.sql("") : NAMED.get("contact-join").sql())
                    .part("sent_filter", between(SENT, q)));
        }
        return rollup ? rollupSql(by, q.campaign(), q.from(), q.toExclusive(), q.median()) : rawSql(q);
    }

    /** When an invite went out (or was to go, for one that failed first); skips and deferrals count when planned. */
    private static final Field<?> SENT = DSL.field("coalesce(i.sent_at, i.invite_at)");
    private static final Field<?> PLANNED = DSL.field("i.planned_at");

    boolean campaignExists(DSLContext dsl, String key) {
        return dsl.fetchExists(CAMPAIGN, CAMPAIGN.KEY.eq(key));
    }

    /** Whether any contact has this attribute (stops at the first one found). */
    boolean attributeExists(DSLContext dsl, String name) {
        return dsl.fetchExists(CONTACT, DSL.condition("jsonb_exists({0}, {1})", CONTACT.ATTRIBUTES,
                DSL.val(name)));
    }

    /** The attribute names contacts have, sorted, at most {@code limit} (read in full: only for an error message). */
    List<String> attributeNames(DSLContext dsl, int limit) {
        var key = DSL.field("jsonb_object_keys({0})", String.class, CONTACT.ATTRIBUTES).as("name");
        var names = DSL.selectDistinct(key).from(CONTACT).asTable("k");
        var name = names.field("name", String.class);
        return dsl.select(name).from(names).orderBy(name).limit(limit).fetch(name);
    }

    /** Roll-ups of clean days plus raw rows of dirty days, one statement. */
    private static SQL rollupSql(Breakdown by, String campaign, LocalDate from, LocalDate to, boolean median) {
        String group = switch (by.kind()) {
            case "campaign" -> "group-campaign";
            case "channel" -> "group-channel";
            case "month" -> "group-month";
            case "quarter" -> "group-quarter";
            default -> "group-all";
        };
        Params days = daysOf(DSL.name("keys"));
        return NAMED.get("rollup-report").sql(new Params()
                .part("grp", NAMED.get(group).sql())
                .part("day_filter_x", dayFilter("x", campaign, from, to))
                .part("day_filter_d", dayFilter("d", campaign, from, to))
                .part("raw", NAMED.get("raw-of-days").sql(days))
                .part("decisions", NAMED.get("decisions-of-days").sql(days))
                .part("median", DSL.inline(median))
                .part("aggregate", NAMED.get("aggregate").sql(new Params()
                        .part("middle_delays", NAMED.get("middle-delays-looked-up").sql()))));
    }

    /** The campaign {@code c} and the days of the rows {@code table} (a UTC day, {@code to} excluded). */
    private static Condition dayFilter(String table, String campaign, LocalDate from, LocalDate to) {
        Condition where = DSL.trueCondition();
        Field<LocalDate> day = DSL.field(DSL.name(table, "day"), LocalDate.class);
        if (campaign != null) {
            where = where.and(DSL.field(DSL.name("c", "key"), String.class).eq(campaign));
        }
        if (from != null) {
            where = where.and(day.ge(from));
        }
        if (to != null) {
            where = where.and(day.lt(to));
        }
        return where;
    }

    /** Raw rows only: wave, attr:NAME, account, tenure, category, two dimensions, any --where. */
    private static SQL rawSql(ReportQuery q) {
        return NAMED.get("raw-report").sql(new Params()
                .part("grp", group(q, SENT))
                .part("grp_planned", group(q, PLANNED))
                .part("contact_join", needsContact(q) ? NAMED.get("contact-join").sql() : DSL.sql(""))
                .part("response_join", q.by().has("category") ? NAMED.get("response-join").sql() : DSL.sql(""))
                .part("answer_step", NAMED.get("answer-step").sql())
                .part("sent_filter", between(SENT, q))
                .part("planned_filter", between(PLANNED, q))
                .part("median", DSL.inline(q.median()))
                .part("aggregate", NAMED.get("aggregate").sql(new Params()
                        .part("middle_delays", NAMED.get("middle-delays-joined").sql()))));
    }

    /** Revenue and churn per group over the raw rows (contacts always joined). */
    private static SQL outcomesSql(ReportQuery q, String revenue, String window) {
        boolean theme = q.by().kind().equals("theme");
        return NAMED.get("outcomes-report").sql(new Params()
                .part("grp", theme ? NAMED.get("dim-theme").sql() : group(q, SENT))
                .part("theme_join", theme ? NAMED.get("theme-join").sql() : DSL.sql(""))
                .part("sent_filter", between(SENT, q))
                .value("revenue", revenue)
                .value("window", window));
    }

    private static boolean needsContact(ReportQuery q) {
        return !q.segment().isEmpty() || q.by().has("attr") || q.by().has("account") || q.by().has("tenure");
    }

    /** The group of an invitation over the raw rows: no breakdown, one dimension, or the pair of two. */
    private static QueryPart group(ReportQuery q, Field<?> at) {
        List<Breakdown.Dimension> dims = q.by().dimensions();
        return switch (dims.size()) {
            case 0 -> NAMED.get("group-all").sql();
            case 1 -> dimension(dims.get(0), q, at);
            default -> NAMED.get("dim-pair").sql(new Params()
                    .part("first", dimension(dims.get(0), q, at)).part("second", dimension(dims.get(1), q, at)));
        };
    }

    /** One dimension over i, c, ct and r; {@code at} is when the invite went out ({@link #SENT}) or was planned. */
    private static SQL dimension(Breakdown.Dimension d, ReportQuery q, Field<?> at) {
        boolean planned = at == PLANNED;
        return switch (d.kind()) {
            case "campaign" -> NAMED.get("group-campaign").sql();
            case "wave" -> NAMED.get("group-wave").sql();
            case "channel" -> NAMED.get(planned ? "dim-channel-planned" : "dim-channel").sql();
            case "month" -> NAMED.get("dim-month").sql(new Params().part("at", at));
            case "quarter" -> NAMED.get("dim-quarter").sql(new Params().part("at", at));
            case "tenure" -> NAMED.get("dim-tenure").sql(new Params().part("at", at));
            case "category" -> NAMED.get("dim-category").sql();
            case "attr" -> NAMED.get("group-attribute").sql(new Params().value("attribute", d.attribute()));
            case "account" -> NAMED.get("group-attribute").sql(new Params().value("attribute", q.accountAttribute()));
            default -> throw new IllegalArgumentException(d.toString());
        };
    }

    /** The campaign {@code c}, the UTC days of {@code at} ({@code to} excluded) and the --where segment of contact {@code ct}. */
    private static Condition between(Field<?> at, ReportQuery q) {
        Condition where = between(at, q.campaign(), q.from(), q.toExclusive());
        for (var e : q.segment().values().entrySet()) {
            where = where.and(DSL.condition(NAMED.get("segment-attribute").sql(new Params()
                    .value("name", e.getKey()).value("values", e.getValue().toArray(String[]::new)))));
        }
        return where;
    }

    /** The campaign {@code c} and the UTC days of {@code at} ({@code to} excluded). */
    private static Condition between(Field<?> at, String campaign, LocalDate from, LocalDate to) {
        Condition where = DSL.trueCondition();
        if (campaign != null) {
            where = where.and(DSL.field(DSL.name("c", "key"), String.class).eq(campaign));
        }
        if (from != null) {
            where = where.and(DSL.condition("{0} >= {1}::date::timestamp at time zone 'UTC'", at, DSL.val(from)));
        }
        if (to != null) {
            where = where.and(DSL.condition("{0} < {1}::date::timestamp at time zone 'UTC'", at, DSL.val(to)));
        }
        return where;
    }
}
