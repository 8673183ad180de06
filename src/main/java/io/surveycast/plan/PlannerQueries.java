package io.surveycast.plan;

import static io.surveycast.db.Tables.CAMPAIGN;

import io.surveycast.campaign.FatiguePolicy;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The SQL of planning. One statement per campaign, instant and range of contact ids selects the
 * due cycles, decides audience, sample, channel, consent, fatigue and send window for every
 * candidate in PostgreSQL, and inserts the invitations and their invite messages together; the
 * candidates leave out what is planned already and the unique key (campaign, contact, cycle)
 * refuses duplicates, so a second run inserts nothing. A contact's decisions
 * only depend on its own rows, so ranges of contact ids can be planned independently.
 */
final class PlannerQueries {
    /** Serialises planners across all nodes, so fatigue sees every invitation planned before it. */
    private static final long PLANNING_LOCK = 0x5355_5256_4559L;

    /**
     * The planning statement for the candidates of one contact-id range [:lo, :hi) (the candidate
     * queries repeat the range on the invitations they anti-join, which PostgreSQL does not infer
     * from the join, so a batch does not read the wave's rows of the other batches). Each step
     * keeps only the columns later steps use; the steps whose expressions are referenced several
     * times are fenced with {@code offset 0} (a subquery PostgreSQL does not flatten), so the
     * fatigue function, the time-zone conversion and the send window are computed once per row
     * without materialising the rows. The rows are inserted in contact order, so the indexes on
     * contact ids are filled from left to right rather than at random places. No ON CONFLICT: the
     * candidates exclude what is already planned, and the planning lock keeps other planners out
     * until this statement's snapshot sees their rows, so a conflict cannot happen through the
     * planner (the unique key would still refuse a duplicate, and the next run skips it); the
     * speculative insertion of ON CONFLICT cost a tenth of planning a wave.
     */
    private static final String PLAN = """
            with cand as (
                :candidates
            ),
            sup as (
                select contact_id, bool_or(channel = 'email') as email, bool_or(channel = 'sms') as sms
                from suppression
                where contact_id >= :lo and contact_id < :hi
                group by contact_id
            ),
            sk as (
                select contact_id, cycle, due_at, desired_at, tz, zones, channel, email_ok:ahead_sk_columns,
                       case when :late_applies and due_at <= :at - cast(:lateness as interval) then 'too_late'
                            when not in_audience then 'not_in_audience'
                            when not in_sample then 'sampled_out'
                            when channel is null and suppressed_any then 'suppressed'
                            when channel is null then 'no_channel'
                       end as skip0
                from (select e.*, :channel_choice as channel
                      from (select cand.*,
                                   (cand.has_email and sup.email is not true) as email_ok,
                                   (cand.has_phone and sup.sms is not true) as sms_ok,
                                   ((cand.has_email and sup.email and 'email' = any(:channels))
                                    or (cand.has_phone and sup.sms and 'sms' = any(:channels))) is true as suppressed_any
                            from cand
                            left join sup on sup.contact_id = cand.contact_id) e) ch
            ),
            hist as (
                select i.contact_id, array_agg(i.invite_at order by i.invite_at desc) as invites
                from invitation i
                where i.contact_id >= :lo and i.contact_id < :hi
                  and i.contact_id in (select contact_id from sk)
                  and i.invite_at > :at - interval '400 days'
                  and i.status not in ('skipped', 'failed')
                group by i.contact_id
            ),
            mhist as (
                select m.contact_id,
                       array_agg(coalesce(m.sent_at, m.not_before) order by coalesce(m.sent_at, m.not_before) desc) as messages
                from message m
                where m.contact_id >= :lo and m.contact_id < :hi
                  and m.contact_id in (select contact_id from sk)
                  and coalesce(m.sent_at, m.not_before) > :at - interval '30 days'
                  and m.status in ('queued', 'sent', 'delivered')
                group by m.contact_id
            ),
            ahead as (
                select contact_id, array_agg(r) as reserved, min(max_year) as max_year
                from (:ahead_queries) a
                group by contact_id
            ),
            f as (
                select sk.contact_id, sk.cycle, sk.due_at, sk.desired_at, sk.tz, sk.zones, sk.channel, sk.email_ok, sk.skip0,
                       case when sk.skip0 is not null then null
                            when hist.invites is null and mhist.messages is null and ahead.reserved is null
                                then sk.desired_at
                            when ahead.reserved is null
                                then fatigue_allowed(sk.desired_at, hist.invites, mhist.messages,
                                                     cast(:min_gap as interval), :max_year, :max_week, 1)
                            else fatigue_allowed(sk.desired_at, hist.invites, mhist.messages, cast(:min_gap as interval),
                                                 least(:max_year, ahead.max_year), :max_week, 1, ahead.reserved)
                       end as allowed
                from sk
                left join hist on hist.contact_id = sk.contact_id
                left join mhist on mhist.contact_id = sk.contact_id
                left join ahead on ahead.contact_id = sk.contact_id
                offset 0
            ),
            w as (
                select f.*,
                       case when f.allowed = 'infinity' then f.allowed
                            when f.channel = 'email' and cardinality(f.zones) = 1 then :email_window
                            when f.channel = 'email' then coalesce(:email_all_window, :email_window)
                            when f.channel = 'sms' and cardinality(f.zones) = 1 then :sms_window
                            when f.channel = 'sms' then :sms_all_window
                       end as invite0,
                       case when f.channel = 'email' and cardinality(f.zones) > 1 and f.allowed <> 'infinity'
                            then :email_all_window is not null end as email_all,
                       case when f.channel = 'sms' and f.allowed <> 'infinity' then :smsw_window end as window_only
                from (select f.*, extract(isodow from f.l)::integer as dow
                      from (select f.*, f.allowed at time zone f.tz as l from f offset 0) f) f
                offset 0
            ),
            w2 as (
                -- an SMS whose candidate zones leave no common window goes by email when the
                -- campaign and the contact allow it, else it is skipped as quiet_hours
                select f.contact_id, f.cycle, f.due_at, f.desired_at, f.skip0, f.allowed, f.window_only,
                       f.channel <> 'sms' or f.invite0 is not null as sms_placed,
                       case when f.invite0 is null and f.channel = 'sms' and f.email_ok and 'email' = any(:channels)
                            then 'email' else f.channel end as channel,
                       case when f.invite0 is not null or f.channel is null or f.channel <> 'sms' then f.invite0
                            when f.email_ok and 'email' = any(:channels) and cardinality(f.zones) = 1 then :email_window
                            when f.email_ok and 'email' = any(:channels) then coalesce(:email_all_window, :email_window)
                       end as invite_at,
                       case when f.channel = 'sms' and f.invite0 is not null then f.zones
                            when f.email_all or cardinality(f.zones) = 1 then f.zones
                            when f.channel is not null then array[f.tz]
                       end as send_zones
                from w f
                offset 0
            ),
            final as (
                select w.*,
                       case when w.skip0 is not null then w.skip0
                            when w.allowed > w.due_at + cast(:expires as interval) then 'fatigue'
                            when w.invite_at is null then 'quiet_hours'
                            when w.invite_at > w.due_at + cast(:expires as interval) then 'expired'
                       end as skip_reason
                from w2 w
                offset 0
            ),
            ins as (
                insert into invitation (campaign_id, contact_id, cycle, channel, status, skip_reason,
                                        defer_reason, trigger_at, planned_at, invite_at, expires_at, send_zones)
                select :campaign_id, contact_id, cycle,
                       case when skip_reason is null then channel end,
                       case when skip_reason is null then 'planned' else 'skipped' end,
                       skip_reason,
                       case when skip_reason is null then
                           case when allowed > desired_at then 'fatigue'
                                when not sms_placed then 'quiet_hours'
                                when invite_at > allowed and channel = 'sms' and window_only = allowed then 'quiet_hours'
                                when invite_at > allowed then 'send_window'
                           end
                       end,
                       due_at, :now,
                       case when skip_reason is null then invite_at end,
                       case when skip_reason is null then invite_at + cast(:expires as interval) end,
                       case when skip_reason is null then send_zones end
                from final
                order by contact_id
                returning id, contact_id, channel, status, skip_reason, defer_reason, invite_at
            ),
            msg as (
                insert into message (invitation_id, contact_id, kind, step, channel, status, not_before,
                                     created_at, updated_at)
                select id, contact_id, 'invite', 0, channel, 'queued', invite_at, :now, :now
                from ins where status = 'planned'
                returning 1
            )
            select status, channel, skip_reason, defer_reason, count(*) as n
            from ins
            group by status, channel, skip_reason, defer_reason
            """;

    /** What the decisions need of each candidate's contact row {@code c}, selected by every candidate query. */
    private static final String CONTACT_COLUMNS = """
            (contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')))[1] as tz,
                   contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')) as zones,
                   :audience as in_audience,
                   :in_sample as in_sample,
                   c.email is not null as has_email,
                   c.phone is not null as has_phone:ahead_contact_columns""";

    /**
     * Priority look-ahead: the windows in which a higher-priority onboarding or renewal campaign, or
     * a firing of a higher-priority recurring campaign's cron,
     * will send to a candidate, for a trigger known now but not planned yet (due in the future, or
     * due and not planned: {@code plan KEY} between two scans), when that campaign would survey the
     * contact (audience, sample, a reachable channel): [trigger, trigger + its expiry], widened by
     * how much its minimum gap exceeds this campaign's. One query per such campaign, :hN_ names.
     */
    private static final String AHEAD = """
            select sk.contact_id,
                   tstzrange(t.x - cast(:hN_widen as interval),
                             t.x + cast(:hN_expires as interval) + cast(:hN_widen as interval), '[]') as r,
                   :hN_max_year as max_year
            from sk
            cross join lateral (select :hN_trigger as x) t
            where sk.skip0 is null and sk.hN_in and :hN_reach
              and t.x > :at - cast(:hN_lateness as interval)
              and t.x <= :ahead_until
              and (t.x > :at or not exists (select 1 from invitation i where i.campaign_id = :hN_id
                                            and i.contact_id = sk.contact_id and i.cycle = :hN_cycle))
            """;

    private static final String NOTHING_AHEAD =
            "select null::bigint as contact_id, null::tstzrange as r, null::integer as max_year where false";

    /*
     * The lifecycle candidates (onboarding, renewal, event) are the triggers due in (:horizon, :at]:
     * the horizon is the campaign's max-lateness and a margin before :at, so a scan reads the
     * recent triggers through the indexes on onboarded_at, renewal_date and (event name,
     * occurred_at) instead of every trigger of the past. Triggers between the max-lateness and the
     * horizon are recorded as too_late; older ones are not looked at (nobody is surveyed for them).
     */
    static final String ONBOARDING = """
            select c.id as contact_id, 'onboarding' as cycle, d.due_at,
                   greatest(d.due_at, :at) as desired_at,
                   :contact_columns
            from contact c
            cross join lateral (select case when c.onboarded_on is null then c.onboarded_at + cast(:offset as interval)
                                            else (c.onboarded_on + cast(:offset as interval)) at time zone
                                                 (contact_zones(c.timezone, c.phone_zones, c.phone_timezone,
                                                                coalesce(:campaign_tz, 'UTC')))[1]
                                       end as due_at) d
            where c.onboarded_at <= :at - cast(:offset as interval) + interval '2 days'
              and c.onboarded_at > cast(:horizon as timestamptz) - cast(:offset as interval) - interval '2 days'
              and d.due_at <= :at
              and d.due_at > :horizon
              and c.id >= :lo and c.id < :hi
              and not exists (select 1 from invitation i
                              where i.campaign_id = :campaign_id and i.contact_id = c.id and i.cycle = 'onboarding'
                                and i.contact_id >= :lo and i.contact_id < :hi)
            """;

    static final String RENEWAL = """
            select c.id as contact_id, 'renewal:' || c.renewal_date as cycle, d.due_at,
                   greatest(d.due_at, :at) as desired_at,
                   :contact_columns
            from contact c
            cross join lateral (select (c.renewal_date + cast(:offset as interval))
                                       at time zone (contact_zones(c.timezone, c.phone_zones, c.phone_timezone,
                                                                   coalesce(:campaign_tz, 'UTC')))[1] as due_at) d
            where c.renewal_date is not null
              and c.renewal_date <= cast(:at as date) - cast(:offset as interval) + interval '1 day'
              and c.renewal_date >= cast(:horizon as date) - cast(:offset as interval) - interval '2 days'
              and d.due_at <= :at
              and d.due_at > :horizon
              and c.id >= :lo and c.id < :hi
              and not exists (select 1 from invitation i where i.campaign_id = :campaign_id
                              and i.contact_id = c.id and i.cycle = 'renewal:' || c.renewal_date
                              and i.contact_id >= :lo and i.contact_id < :hi)
            """;

    /**
     * Every contact not yet in the wave. With a spread, {@code :position} places each one in
     * [0, 1) of the spread by a hash of its id among the batch's candidates, so the sends of each
     * batch, and so of the whole wave, are evenly distributed.
     */
    static final String WAVE = """
            select c.id as contact_id, :cycle as cycle, cast(:fire as timestamptz) as due_at,
                   greatest(cast(:fire as timestamptz) + cast(:spread as interval) * :position, :at) as desired_at,
                   :contact_columns
            from contact c
            where c.id >= :lo and c.id < :hi
              and not exists (select 1 from invitation i
                              where i.campaign_id = :campaign_id and i.contact_id = c.id and i.cycle = :cycle
                                and i.contact_id >= :lo and i.contact_id < :hi)
            """;

    /** The position of a contact within a spread wave: its rank by a hash of its id, over the count. */
    static final String SPREAD_POSITION =
            "((row_number() over (order by hashint8(c.id), c.id) - 1)::float8 / count(*) over ())";

    /** One event per contact and run (the earliest): the others come up on the next run, after it. */
    static final String EVENT = """
            select distinct on (ev.contact_id) ev.contact_id, 'event:' || ev.event_id as cycle,
                   ev.occurred_at + cast(:offset as interval) as due_at,
                   greatest(ev.occurred_at + cast(:offset as interval), :at) as desired_at,
                   :contact_columns
            from event ev
            join contact c on c.id = ev.contact_id
            where ev.name = :event_name
              and ev.occurred_at <= :at - cast(:offset as interval)
              and ev.occurred_at > cast(:horizon as timestamptz) - cast(:offset as interval)
              and ev.contact_id >= :lo and ev.contact_id < :hi
              and not exists (select 1 from invitation i where i.campaign_id = :campaign_id
                              and i.contact_id = ev.contact_id and i.cycle = 'event:' || ev.event_id
                              and i.contact_id >= :lo and i.contact_id < :hi)
            order by ev.contact_id, ev.occurred_at, ev.event_id
            """;

    /** Takes the planning lock until the end of the transaction. */
    void lock(DSLContext tx) {
        tx.select(org.jooq.impl.DSL.field("pg_advisory_xact_lock({0})", Object.class, org.jooq.impl.DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    /** Takes the same lock for the connection's session, across transactions, until {@link #unlockSession}. */
    void lockSession(DSLContext session) {
        session.select(org.jooq.impl.DSL.field("pg_advisory_lock({0})", Object.class, org.jooq.impl.DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    void unlockSession(DSLContext session) {
        session.select(org.jooq.impl.DSL.field("pg_advisory_unlock({0})", Object.class, org.jooq.impl.DSL.val(PLANNING_LOCK)))
                .fetch();
    }

    List<PlanCampaign> campaigns(DSLContext dsl, java.util.function.Function<String, io.surveycast.campaign.CampaignDefinition> parse) {
        List<PlanCampaign> all = new ArrayList<>();
        for (var r : dsl.selectFrom(CAMPAIGN).orderBy(CAMPAIGN.PRIORITY.desc(), CAMPAIGN.KEY).fetch()) {
            all.add(new PlanCampaign(r.getId(), r.getKey(), r.getStatus(), r.getPriority(),
                    parse.apply(r.getDefinition().data())));
        }
        return all;
    }

    /** A candidate query ({@link #ONBOARDING}, {@link #WAVE}, ...) and its own values (bind values or SQL parts). */
    record Candidates(String sql, Map<String, Object> values) {
    }

    /**
     * Runs the planning statement for the candidates whose contact id is in [lo, hi); adds what
     * it inserted to {@code counts}.
     */
    void plan(DSLContext tx, PlanCampaign campaign, Instant at, Instant now, Candidates candidates, long lo, long hi,
              FatiguePolicy fatigue, List<Ahead> ahead, PlanCounts counts) {
        List<String> aheadSql = new ArrayList<>();
        for (int n = 0; n < ahead.size(); n++) {
            aheadSql.add(aheadSql(n, ahead.get(n)));
        }
        String[] aheadColumns = aheadColumns(ahead.size());
        SqlTemplate sql = new SqlTemplate(PLAN
                .replace(":candidates", candidates.sql().replace(":contact_columns",
                        CONTACT_COLUMNS.replace(":ahead_contact_columns", aheadColumns[0])))
                .replace(":ahead_sk_columns", aheadColumns[1])
                .replace(":ahead_queries", ahead.isEmpty() ? NOTHING_AHEAD : String.join("union all\n", aheadSql)));
        bindAhead(sql, campaign, at, fatigue, ahead);
        candidates.values().forEach((name, value) -> {
            if (value instanceof org.jooq.QueryPart part) {
                sql.bind(name, part);
            } else {
                sql.value(name, value);
            }
        });
        var d = campaign.definition();
        // the range is inlined: each batch gets a plan made for its own bounds
        sql.bind("lo", org.jooq.impl.DSL.inline(lo))
                .bind("hi", org.jooq.impl.DSL.inline(hi))
                .value("campaign_id", campaign.id())
                .value("campaign_tz", campaign.timezoneId())
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .bind("in_sample", sample(campaign))
                .value("channels", d.channels().toArray(String[]::new))
                .value("late_applies", !campaign.triggerType().equals("recurring"))
                .value("lateness", campaign.maxLateness().toSeconds() + " seconds")
                .value("min_gap", fatigue.minDaysBetweenSurveys() + " days")
                .value("max_year", fatigue.maxSurveysPerYear())
                .value("max_week", fatigue.maxMessagesPerWeek())
                .value("expires", campaign.expiresAfter().toPgInterval());
        bindWindow(sql, "email", campaign.window("email"));
        bindWindow(sql, "sms", campaign.window("sms"));
        sql.bind("email_all_window", campaign.window("email").inAllZones());
        sql.bind("sms_all_window", campaign.window("sms").inAllZones());
        bindWindow(sql, "smsw", ChannelWindow.of(d.sendWindow(), false));
        sql.bind("audience", audience(d.audience().match()));
        bindChannelChoice(sql, d.channels());
        for (Record r : sql.resultQuery(tx).fetch()) {
            long n = r.get("n", Long.class);
            String status = r.get("status", String.class);
            if (status.equals("planned")) {
                counts.addInvite(r.get("channel", String.class), n);
                String defer = r.get("defer_reason", String.class);
                if (defer != null) {
                    counts.addDefer(defer, n);
                }
            } else {
                counts.addSkip(r.get("skip_reason", String.class), n);
            }
        }
    }

    /** The lowest and highest contact id, or null when there are no contacts. */
    long[] contactIdSpan(DSLContext dsl) {
        var r = dsl.select(org.jooq.impl.DSL.min(io.surveycast.db.Tables.CONTACT.ID), org.jooq.impl.DSL.max(io.surveycast.db.Tables.CONTACT.ID))
                .from(io.surveycast.db.Tables.CONTACT).fetchOne();
        return r == null || r.value1() == null ? null : new long[] {r.value1(), r.value2()};
    }

    /**
     * A higher-priority campaign whose next survey of a contact is known in advance, with its
     * effective fatigue limits, for the look-ahead: an onboarding or renewal campaign ({@code fire}
     * null: the trigger is the contact's), or one firing of a recurring campaign's cron
     * ({@code fire} and its {@code cycle}).
     */
    record Ahead(PlanCampaign campaign, FatiguePolicy fatigue, Instant fire, String cycle) {
        Ahead(PlanCampaign campaign, FatiguePolicy fatigue) {
            this(campaign, fatigue, null, null);
        }
    }

    private static void bindAhead(SqlTemplate sql, PlanCampaign campaign, Instant at, FatiguePolicy fatigue, List<Ahead> ahead) {
        long horizonDays = 365;
        for (int n = 0; n < ahead.size(); n++) {
            var h = ahead.get(n);
            var d = h.campaign().definition();
            String p = "h" + n + "_";
            long widen = Math.max(0, h.fatigue().minDaysBetweenSurveys() - fatigue.minDaysBetweenSurveys());
            horizonDays = Math.max(horizonDays, Math.max(fatigue.minDaysBetweenSurveys(), h.fatigue().minDaysBetweenSurveys()));
            sql.value(p + "id", h.campaign().id())
                    .value(p + "offset", d.trigger() instanceof io.surveycast.campaign.CampaignTrigger.ContactDate date
                            ? date.offset().toPgInterval() : "0 seconds")
                    .value(p + "tz", h.campaign().timezoneId())
                    .value(p + "widen", widen + " days")
                    .value(p + "expires", h.campaign().expiresAfter().toPgInterval())
                    .value(p + "lateness", h.campaign().maxLateness().toSeconds() + " seconds")
                    .value(p + "max_year", h.fatigue().maxSurveysPerYear())
                    .bind(p + "audience", audience(d.audience().match()))
                    .bind(p + "sample", sample(h.campaign()));
            if (h.fire() != null) {
                sql.value(p + "fire", h.fire().atOffset(ZoneOffset.UTC)).value(p + "wave", h.cycle());
            }
        }
        // windows further ahead can be neither within the gap of this invitation nor in its year
        sql.value("ahead_until", at.plus(campaign.expiresAfter().approximate())
                .plus(java.time.Duration.ofDays(horizonDays + 1)).atOffset(ZoneOffset.UTC));
    }

    /** The look-ahead query of the n-th higher-priority campaign, over the candidates {@code sk}. */
    private static String aheadSql(int n, Ahead h) {
        boolean onboarding = h.campaign().triggerType().equals("onboarding");
        boolean wave = h.fire() != null;
        List<String> reach = new ArrayList<>();
        for (String channel : h.campaign().definition().channels()) {
            reach.add("sk." + channel + "_ok");
        }
        return AHEAD
                .replace(":hN_trigger", wave ? "cast(:hN_fire as timestamptz)" : onboarding ? "case when sk.onboarded_on is null then sk.onboarded_at + cast(:hN_offset as interval)"
                        + " else (sk.onboarded_on + cast(:hN_offset as interval)) at time zone coalesce(sk.contact_tz, :hN_tz, 'UTC') end"
                        : "(sk.renewal_date + cast(:hN_offset as interval)) at time zone coalesce(sk.contact_tz, :hN_tz, 'UTC')")
                .replace(":hN_cycle", wave ? ":hN_wave" : onboarding ? "'onboarding'" : "'renewal:' || sk.renewal_date")
                .replace(":hN_reach", "(" + (reach.isEmpty() ? "false" : String.join(" or ", reach)) + ")")
                .replace("hN_", "h" + n + "_");
    }

    /** What the look-ahead needs of each candidate, selected by the candidate queries and kept by {@code sk}. */
    private static String[] aheadColumns(int count) {
        if (count == 0) {
            return new String[] {"", ""};
        }
        StringBuilder contact = new StringBuilder(",\n       c.onboarded_at, c.onboarded_on, c.renewal_date,"
                + " (contact_zones(c.timezone, c.phone_zones, c.phone_timezone, null))[1] as contact_tz");
        StringBuilder kept = new StringBuilder(", sms_ok, onboarded_at, onboarded_on, renewal_date, contact_tz");
        for (int n = 0; n < count; n++) {
            contact.append(",\n       (:h").append(n).append("_audience and :h").append(n).append("_sample) as h").append(n).append("_in");
            kept.append(", h").append(n).append("_in");
        }
        return new String[] {contact.toString(), kept.toString()};
    }

    private static org.jooq.QueryPart sample(PlanCampaign campaign) {
        double sample = campaign.definition().audience().sample();
        return sample >= 1 ? org.jooq.impl.DSL.inline(true)
                : org.jooq.impl.DSL.field("sample_point({0}, c.external_id) < {1}",
                        org.jooq.impl.DSL.val(campaign.key()), org.jooq.impl.DSL.val(sample));
    }

    private static void bindWindow(SqlTemplate sql, String prefix, ChannelWindow window) {
        sql.bind(prefix + "_window", window.sql());
    }

    /** Whether the contact {@code c}'s attributes match the audience. */
    private static org.jooq.QueryPart audience(Map<String, List<String>> match) {
        if (match.isEmpty()) {
            return org.jooq.impl.DSL.inline(true);
        }
        List<org.jooq.Condition> conditions = new ArrayList<>();
        for (var entry : match.entrySet()) {
            conditions.add(org.jooq.impl.DSL.condition("(c.attributes ->> {0}) = any({1})",
                    org.jooq.impl.DSL.val(entry.getKey()), org.jooq.impl.DSL.val(entry.getValue().toArray(String[]::new))));
        }
        return org.jooq.impl.DSL.field(org.jooq.impl.DSL.and(conditions));
    }

    private static void bindChannelChoice(SqlTemplate sql, List<String> channels) {
        StringBuilder choice = new StringBuilder("case");
        for (String channel : channels) {
            choice.append(" when e.").append(channel).append("_ok then '").append(channel).append("'");
        }
        sql.bind("channel_choice", org.jooq.impl.DSL.field(choice.append(" end").toString()));
    }

    /** The contact's details, suppressions and survey history, as lines of text for plan --explain. */
    String explain(DSLContext tx, PlanCampaign campaign, String externalId) {
        var c = io.surveycast.db.Tables.CONTACT;
        var i = io.surveycast.db.Tables.INVITATION;
        var s = io.surveycast.db.Tables.SUPPRESSION;
        var contact = tx.selectFrom(c).where(c.EXTERNAL_ID.eq(externalId)).fetchOptional()
                .orElseThrow(() -> new io.surveycast.config.InvalidInputException(
                        "--explain: no contact with external_id " + externalId));
        StringBuilder out = new StringBuilder();
        String zone = contact.getTimezone() != null ? contact.getTimezone() + " (contact)"
                : contact.getPhoneZones() != null ? String.join(", ", contact.getPhoneZones())
                        + " (the phone number may be in any: SMS only when 08:00-21:00 in every one)"
                : contact.getPhoneTimezone() != null ? contact.getPhoneTimezone() + " (phone number)"
                : campaign.definition().timezone() != null ? campaign.definition().timezone() + " (campaign)" : "UTC (default)";
        out.append("contact ").append(externalId).append(": time zone ").append(zone)
                .append(", email ").append(contact.getEmail() == null ? "-" : contact.getEmail())
                .append(", phone ").append(contact.getPhone() == null ? "-" : contact.getPhone()).append('\n');
        var suppressions = tx.selectFrom(s).where(s.CONTACT_ID.eq(contact.getId())).fetch();
        out.append("suppressed: ").append(suppressions.isEmpty() ? "none" : suppressions.stream()
                .map(r -> r.getChannel() + " (" + r.getReason() + " at " + r.getAt().toInstant() + ")")
                .collect(java.util.stream.Collectors.joining(", "))).append('\n');
        out.append("invitations:\n");
        var rows = tx.select(CAMPAIGN.KEY, i.CYCLE, i.STATUS, i.CHANNEL, i.SKIP_REASON, i.DEFER_REASON, i.TRIGGER_AT,
                        i.INVITE_AT, i.EXPIRES_AT, i.SEND_ZONES)
                .from(i).join(CAMPAIGN).on(CAMPAIGN.ID.eq(i.CAMPAIGN_ID))
                .where(i.CONTACT_ID.eq(contact.getId()))
                .orderBy(i.TRIGGER_AT, CAMPAIGN.KEY)
                .fetch();
        if (rows.isEmpty()) {
            out.append("  none: nothing of ").append(campaign.key()).append(" is due for this contact at this instant\n");
        }
        for (var r : rows) {
            out.append("  ").append(r.value1().equals(campaign.key()) ? "* " : "  ").append(r.value1()).append(' ')
                    .append(r.value2()).append(": ").append(r.value3());
            if (r.value5() != null) {
                out.append(" (").append(r.value5()).append(')');
            } else {
                out.append(" by ").append(r.value4()).append(", invite at ").append(r.value8().toInstant());
                if (r.value10() != null) {
                    out.append(" (send window in ").append(String.join(" and ", r.value10())).append(')');
                }
                if (r.value6() != null) {
                    out.append(" (deferred: ").append(r.value6()).append(')');
                }
                out.append(", expires ").append(r.value9().toInstant());
            }
            out.append(", due ").append(r.value7().toInstant()).append('\n');
        }
        return out.toString();
    }
}
