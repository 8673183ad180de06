package io.surveycast.report;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jooq.DSLContext;

/**
 * The SQL of reports. An invitation counts when its invite went out (or failed trying), on the UTC
 * day it went out (the day it was to go, for one that failed before going); its skip and deferral
 * reasons count on the UTC day it was planned. Breakdowns by campaign, channel, month, quarter or
 * nothing read the roll-ups of V10 for clean days and the raw rows for days marked dirty, in one
 * statement; wave and attr:NAME read the raw rows. See V10__report_rollups.sql for why that is exact.
 */
final class ReportQueries {
    /** Advisory lock key of the roll-up refresh ("report" in ASCII). */
    private static final long REFRESH_LOCK = 0x7265706f7274L;

    /** Recomputes the days marked dirty from the raw rows, unless another refresh is running. Returns the days done. */
    int refresh(DSLContext dsl) {
        return dsl.transactionResult(c -> {
            DSLContext tx = c.dsl();
            Boolean locked = tx.resultQuery("select pg_try_advisory_xact_lock(?)", REFRESH_LOCK).fetchOne(0, Boolean.class);
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            // a new statement, so a new snapshot: it sees what the previous refresh committed
            return tx.resultQuery(REFRESH).fetchOne(0, Integer.class);
        });
    }

    private static final String SCORES_COUNT;
    private static final String SCORES_SUM;
    private static final String SCORES_COLS;

    static {
        StringBuilder count = new StringBuilder();
        StringBuilder sum = new StringBuilder();
        StringBuilder cols = new StringBuilder();
        for (int s = 0; s <= 10; s++) {
            count.append(", count(*) filter (where score = ").append(s).append(")");
            sum.append(", sum(s").append(s).append(")::bigint as s").append(s);
            cols.append(", s").append(s);
        }
        SCORES_COUNT = count.toString();
        SCORES_SUM = sum.toString();
        SCORES_COLS = cols.toString();
    }

    /** The last reminder step sent before the answer (0: the invite), for an answered invitation. */
    private static final String STEP = """
            case when r.id is not null then coalesce((select max(m.step) from message m
                where m.invitation_id = i.id and m.kind = 'reminder' and m.sent_at <= r.received_at), 0) end""";

    /** The raw facts of each counted invitation of the days in {@code keys}. */
    private static final String RAW_OF_DAYS = """
            select i.id, i.campaign_id, k.day, i.channel, i.cycle, i.contact_id, i.status = 'failed' as failed,
                   r.score, STEP as step,
                   extract(epoch from r.received_at - i.sent_at)::float8 as delay
            from KEYS k
            -- per day through the index (offset 0 keeps it a per-key scan, never a hash join over every invitation)
            cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
                 and (i.sent_at is not null or i.status = 'failed')
                 and (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date = k.day offset 0) i
            left join response r on r.invitation_id = i.id
            """.replace("STEP", STEP);

    private static final String DECISIONS_OF_DAYS = """
            select i.campaign_id, k.day, i.channel, v.kind, v.reason
            from KEYS k
            cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
                 and (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))
                 and (i.planned_at at time zone 'UTC')::date = k.day offset 0) i
            cross join lateral (values
                 ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
                 ('defer', i.defer_reason)) v(kind, reason)
            where v.reason is not null
            """;

    static final String REFRESH = ("""
            with taken as (delete from report_dirty returning campaign_id, day),
            k as materialized (select distinct campaign_id, day from taken),
            d1 as (delete from report_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
            d2 as (delete from report_lift_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
            d3 as (delete from report_decision_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
            d4 as (delete from report_delay_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
            f as materialized (RAW),
            i1 as (insert into report_day (campaign_id, day, channel, invited, failed, responded SCORES_COLS)
                   select campaign_id, day, channel, count(*), count(*) filter (where failed), count(score) SCORES_COUNT
                   from f group by campaign_id, day, channel),
            i4 as (insert into report_delay_day (campaign_id, day, channel, bucket, n, delays)
                   select campaign_id, day, channel, floor(delay / 3600)::int, count(*), array_agg(delay order by delay)
                   from f where delay is not null group by campaign_id, day, channel, floor(delay / 3600)::int),
            i2 as (insert into report_lift_day (campaign_id, day, channel, step, n)
                   select campaign_id, day, channel, step, count(*) from f where score is not null
                   group by campaign_id, day, channel, step),
            i3 as (insert into report_decision_day (campaign_id, day, channel, kind, reason, n)
                   select campaign_id, day, channel, kind, reason, count(*) from (DECISIONS) x
                   group by campaign_id, day, channel, kind, reason)
            select count(*)::int from k
            """).replace("RAW", RAW_OF_DAYS.replace("KEYS", "k")).replace("DECISIONS", DECISIONS_OF_DAYS.replace("KEYS", "k"))
            .replace(" SCORES_COLS", SCORES_COLS).replace(" SCORES_COUNT", SCORES_COUNT);

    List<ReportRow> rows(DSLContext dsl, String campaign, LocalDate from, LocalDate toExclusive, Breakdown by) {
        List<Object> binds = new ArrayList<>();
        String sql = sql(campaign, from, toExclusive, by, binds);
        return dsl.resultQuery(sql, binds.toArray()).fetch(r -> {
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
                    new LinkedHashMap<>(skipped), new LinkedHashMap<>(deferred));
        });
    }

    /** The statement of a report and its bind values (added to {@code binds}). */
    static String sql(String campaign, LocalDate from, LocalDate toExclusive, Breakdown by, List<Object> binds) {
        boolean rollup = switch (by.kind()) {
            case "all", "campaign", "channel", "month", "quarter" -> true;
            default -> false;
        };
        return rollup ? rollupSql(by, campaign, from, toExclusive, binds) : rawSql(by, campaign, from, toExclusive, binds);
    }

    boolean campaignExists(DSLContext dsl, String key) {
        return dsl.fetchExists(CAMPAIGN, CAMPAIGN.KEY.eq(key));
    }

    /** Whether any contact has this attribute (stops at the first one found). */
    boolean attributeExists(DSLContext dsl, String name) {
        return dsl.fetchExists(CONTACT, org.jooq.impl.DSL.condition("jsonb_exists({0}, {1})", CONTACT.ATTRIBUTES,
                org.jooq.impl.DSL.val(name)));
    }

    /** The attribute names contacts have, sorted, at most {@code limit} (read in full: only for an error message). */
    List<String> attributeNames(DSLContext dsl, int limit) {
        var key = org.jooq.impl.DSL.field("jsonb_object_keys({0})", String.class, CONTACT.ATTRIBUTES).as("name");
        var names = org.jooq.impl.DSL.selectDistinct(key).from(CONTACT).asTable("k");
        var name = names.field("name", String.class);
        return dsl.select(name).from(names).orderBy(name).limit(limit).fetch(name);
    }

    /** Roll-ups of clean days plus raw rows of dirty days, one statement. */
    private static String rollupSql(Breakdown by, String campaign, LocalDate from, LocalDate to, List<Object> binds) {
        String rolledGroup = switch (by.kind()) {
            case "campaign" -> "c.key";
            case "channel" -> "coalesce(d.channel, '(none)')";
            case "month" -> "to_char(d.day, 'YYYY-MM')";
            case "quarter" -> "to_char(d.day, 'YYYY-\"Q\"Q')";
            default -> "'all'";
        };
        String dayFilter = dayFilter(campaign, from, to, binds);
        String sql = """
                with keys as materialized (
                    select distinct x.campaign_id, x.day from report_dirty x join campaign c on c.id = x.campaign_id
                    where DAYFILTER_X),
                raw as materialized (RAW),
                facts as (
                    select GROUP_D as grp, d.invited, d.failed, d.responded SCORES_D
                    from report_day d join campaign c on c.id = d.campaign_id
                    where DAYFILTER_D and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
                    union all
                    select GROUP_R, 1, failed::int, (score is not null)::int SCORES_R
                    from raw d join campaign c on c.id = d.campaign_id),
                delays as not materialized (
                    select GROUP_D as grp, d.bucket, d.n, d.delays
                    from report_delay_day d join campaign c on c.id = d.campaign_id
                    where DAYFILTER_D and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
                    union all
                    select GROUP_R, floor(d.delay / 3600)::int, 1, array[d.delay]
                    from raw d join campaign c on c.id = d.campaign_id where d.delay is not null),
                lifts as (
                    select GROUP_D as grp, d.step, d.n
                    from report_lift_day d join campaign c on c.id = d.campaign_id
                    where DAYFILTER_D and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
                    union all
                    select GROUP_R, d.step, 1 from raw d join campaign c on c.id = d.campaign_id where d.score is not null),
                decisions as (
                    select GROUP_D as grp, d.kind, d.reason, d.n
                    from report_decision_day d join campaign c on c.id = d.campaign_id
                    where DAYFILTER_D and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
                    union all
                    select GROUP_R, d.kind, d.reason, 1 from (DECISIONS) d join campaign c on c.id = d.campaign_id)
                """ + AGGREGATE;
        String scoresD = SCORES_COLS.replace(", s", ", d.s");
        StringBuilder scoresR = new StringBuilder();
        for (int s = 0; s <= 10; s++) {
            scoresR.append(", (score = ").append(s).append(")::int");
        }
        // the day filter appears 5 times (keys, then the four roll-ups): repeat its binds
        List<Object> once = new ArrayList<>(binds);
        binds.clear();
        for (int i = 0; i < 5; i++) {
            binds.addAll(once);
        }
        return sql.replace("RAW", RAW_OF_DAYS.replace("KEYS", "keys"))
                .replace("DECISIONS", DECISIONS_OF_DAYS.replace("KEYS", "keys"))
                .replace("DAYFILTER_X", dayFilter.replace("{d}", "x"))
                .replace("DAYFILTER_D", dayFilter.replace("{d}", "d"))
                .replace("GROUP_D", rolledGroup).replace("GROUP_R", rolledGroup)
                .replace(" SCORES_D", scoresD).replace(" SCORES_R", scoresR);
    }

    private static String dayFilter(String campaign, LocalDate from, LocalDate to, List<Object> binds) {
        StringBuilder where = new StringBuilder("true");
        if (campaign != null) {
            where.append(" and c.key = ?");
            binds.add(campaign);
        }
        if (from != null) {
            where.append(" and {d}.day >= ?");
            binds.add(from);
        }
        if (to != null) {
            where.append(" and {d}.day < ?");
            binds.add(to);
        }
        return where.toString();
    }

    /** Raw rows only: wave and attr:NAME. */
    private static String rawSql(Breakdown by, String campaign, LocalDate from, LocalDate to, List<Object> binds) {
        String group = switch (by.kind()) {
            case "wave" -> "c.key || ' ' || i.cycle";
            case "attr" -> "coalesce(ct.attributes ->> ?, '(none)')";
            default -> throw new IllegalArgumentException(by.toString());
        };
        String contact = by.kind().equals("attr") ? "join contact ct on ct.id = i.contact_id" : "";
        StringBuilder at = new StringBuilder();
        StringBuilder planned = new StringBuilder();
        List<Object> atBinds = new ArrayList<>();
        List<Object> plannedBinds = new ArrayList<>();
        if (campaign != null) {
            at.append(" and c.key = ?");
            atBinds.add(campaign);
            planned.append(" and c.key = ?");
            plannedBinds.add(campaign);
        }
        if (from != null) {
            at.append(" and coalesce(i.sent_at, i.invite_at) >= ?::date::timestamp at time zone 'UTC'");
            atBinds.add(from);
            planned.append(" and i.planned_at >= ?::date::timestamp at time zone 'UTC'");
            plannedBinds.add(from);
        }
        if (to != null) {
            at.append(" and coalesce(i.sent_at, i.invite_at) < ?::date::timestamp at time zone 'UTC'");
            atBinds.add(to);
            planned.append(" and i.planned_at < ?::date::timestamp at time zone 'UTC'");
            plannedBinds.add(to);
        }
        String attrBind = by.kind().equals("attr") ? by.attribute() : null;
        String sql = """
                with raw as materialized (
                    select GROUP as grp, i.status = 'failed' as failed, r.score, STEP as step,
                           extract(epoch from r.received_at - i.sent_at)::float8 as delay
                    from invitation i join campaign c on c.id = i.campaign_id CONTACT
                    left join response r on r.invitation_id = i.id
                    where (i.sent_at is not null or i.status = 'failed') AT),
                facts as (
                    select grp, 1 as invited, failed::int as failed, (score is not null)::int as responded SCORES_R
                    from raw),
                delays as not materialized (select grp, floor(delay / 3600)::int as bucket, 1 as n, array[delay] as delays
                           from raw where delay is not null),
                lifts as (select grp, step, 1 as n from raw where score is not null),
                decisions as (
                    select GROUP as grp, v.kind, v.reason, 1 as n
                    from invitation i join campaign c on c.id = i.campaign_id CONTACT
                    cross join lateral (values
                         ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
                         ('defer', i.defer_reason)) v(kind, reason)
                    where (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))
                      and v.reason is not null PLANNED)
                """ + AGGREGATE;
        StringBuilder scoresR = new StringBuilder();
        for (int s = 0; s <= 10; s++) {
            scoresR.append(", (score = ").append(s).append(")::int as s").append(s);
        }
        if (attrBind != null) {
            binds.add(attrBind);
        }
        binds.addAll(atBinds);
        if (attrBind != null) {
            binds.add(attrBind);
        }
        binds.addAll(plannedBinds);
        return sql.replace("STEP", STEP).replace("GROUP", group).replace("CONTACT", contact).replace(" AT)", at + ")")
                .replace(" PLANNED)", planned + ")").replace(" SCORES_R", scoresR);
    }

    /** From facts(grp, invited, failed, responded, s0..s10), delays(grp, bucket, n, delays), lifts(grp, step, n), decisions(grp, kind, reason, n). */
    private static final String AGGREGATE = ("""
            , counts as (
                select grp, sum(invited)::bigint as invited, sum(failed)::bigint as failed, sum(responded)::bigint as responded
                       SCORES_SUM
                from facts group by grp),
            -- the median as percentile_cont(0.5) computes it, from the buckets holding the middle ranks only
            buckets as (select grp, bucket, sum(n)::bigint as n from delays group by grp, bucket),
            placed as (
                select grp, bucket, n, (sum(n) over (partition by grp order by bucket))::bigint - n as before,
                       ((sum(n) over (partition by grp))::bigint - 1) / 2 as lo, (sum(n) over (partition by grp))::bigint / 2 as hi
                from buckets),
            middle as (select * from placed where (lo >= before and lo < before + n) or (hi >= before and hi < before + n)),
            ranked as (
                select m.grp, m.lo, m.hi, m.before + row_number() over (partition by m.grp, m.bucket order by v) - 1 as rank, v
                from middle m join delays d on d.grp = m.grp and d.bucket = m.bucket, unnest(d.delays) v),
            medians as (
                select grp, min(v) filter (where rank = lo) + (min(v) filter (where rank = hi) - min(v) filter (where rank = lo)) * 0.5
                       as median_seconds
                from ranked where rank = lo or rank = hi group by grp),
            lift as (
                select grp, array_agg(step order by step) as lift_steps, array_agg(n order by step) as lift_counts
                from (select grp, step, sum(n)::bigint as n from lifts group by grp, step) l group by grp),
            decided as (
                select grp, array_agg(kind order by kind, reason) as d_kinds, array_agg(reason order by kind, reason) as d_reasons,
                       array_agg(n order by kind, reason) as d_counts
                from (select grp, kind, reason, sum(n)::bigint as n from decisions group by grp, kind, reason) d group by grp)
            select coalesce(counts.grp, decided.grp) as grp,
                   coalesce(counts.invited, 0) as invited, coalesce(counts.failed, 0) as failed,
                   coalesce(counts.responded, 0) as responded,
                   coalesce(counts.s9 + counts.s10, 0) as promoters, coalesce(counts.s7 + counts.s8, 0) as passives,
                   coalesce(counts.s0 + counts.s1 + counts.s2 + counts.s3 + counts.s4 + counts.s5 + counts.s6, 0) as detractors
                   SCORES_OUT,
                   medians.median_seconds, lift.lift_steps, lift.lift_counts, decided.d_kinds, decided.d_reasons, decided.d_counts
            from counts
            full join decided on decided.grp = counts.grp
            left join medians on medians.grp = counts.grp
            left join lift on lift.grp = counts.grp
            order by 1
            """).replace("SCORES_SUM", SCORES_SUM).replace("SCORES_OUT", scoresOut());

    private static String scoresOut() {
        StringBuilder out = new StringBuilder();
        for (int s = 0; s <= 10; s++) {
            out.append(", coalesce(counts.s").append(s).append(", 0)::bigint as s").append(s);
        }
        return out.toString();
    }
}
