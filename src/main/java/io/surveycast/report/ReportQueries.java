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
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            Boolean locked = NAMED.get("refresh-lock").query(tx, new Params().value("key", REFRESH_LOCK))
                    .fetchOne("locked", Boolean.class);
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
        List<ReportRow> rows = allRows(dsl, campaign, from, toExclusive, by);
        // every theme has its row, a theme nobody mentions too (its mentions are the news)
        if (by.kind().equals("all") || by.kind().equals("campaign") || by.kind().equals("theme")) {
            return rows;
        }
        // no empty groups: a channel, period, wave or attribute value with nothing sent has only
        // skips and deferrals (the (none) channel of skipped invitations, a quarter planned ahead),
        // which the one-row and per-campaign reports show
        // (a group of answers collected elsewhere has none invited but answers: the offline channel)
        return rows.stream().filter(r -> r.invited() > 0 || r.offline() > 0).toList();
    }

    private List<ReportRow> allRows(DSLContext dsl, String campaign, LocalDate from, LocalDate toExclusive, Breakdown by) {
        return dsl.resultQuery(sql(campaign, from, toExclusive, by)).fetch(r -> {
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
            return new ReportRow(r.get("grp", String.class), r.get("invited", Long.class), r.get("failed", Long.class),
                    r.get("responded", Long.class), r.get("promoters", Long.class), r.get("passives", Long.class),
                    r.get("detractors", Long.class), List.copyOf(scores),
                    median == null ? null : ReportRow.round(median / 3600), List.copyOf(lift),
                    new LinkedHashMap<>(skipped), new LinkedHashMap<>(deferred), themeShare(r),
                    r.get("offline", Long.class));
        });
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
        boolean rollup = switch (by.kind()) {
            case "all", "campaign", "channel", "month", "quarter" -> true;
            default -> false;
        };
        if (by.kind().equals("theme")) {
            return NAMED.get("theme-report").sql(new Params()
                    .part("sent_filter", between(DSL.field("coalesce(i.sent_at, i.invite_at)"), campaign, from, toExclusive)));
        }
        return rollup ? rollupSql(by, campaign, from, toExclusive) : rawSql(by, campaign, from, toExclusive);
    }

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
    private static SQL rollupSql(Breakdown by, String campaign, LocalDate from, LocalDate to) {
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
                .part("aggregate", NAMED.get("aggregate").sql()));
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

    /** Raw rows only: wave and attr:NAME. */
    private static SQL rawSql(Breakdown by, String campaign, LocalDate from, LocalDate to) {
        boolean attribute = switch (by.kind()) {
            case "wave" -> false;
            case "attr" -> true;
            default -> throw new IllegalArgumentException(by.toString());
        };
        return NAMED.get("raw-report").sql(new Params()
                .part("grp", attribute
                        ? NAMED.get("group-attribute").sql(new Params().value("attribute", by.attribute()))
                        : NAMED.get("group-wave").sql())
                .part("contact_join", attribute ? NAMED.get("contact-join").sql() : DSL.sql(""))
                .part("answer_step", NAMED.get("answer-step").sql())
                .part("sent_filter", between(DSL.field("coalesce(i.sent_at, i.invite_at)"), campaign, from, to))
                .part("planned_filter", between(DSL.field("i.planned_at"), campaign, from, to))
                .part("aggregate", NAMED.get("aggregate").sql()));
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
