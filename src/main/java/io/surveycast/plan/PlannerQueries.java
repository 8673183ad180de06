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
 * The SQL of planning. One statement per campaign and instant selects the due cycles, decides
 * audience, sample, channel, consent, fatigue and send window for every candidate in
 * PostgreSQL, and inserts the invitations and their invite messages together; the unique key
 * (campaign, contact, cycle) makes a second run insert nothing.
 */
final class PlannerQueries {
    /** Serialises planners across all nodes, so fatigue sees every invitation planned before it. */
    private static final long PLANNING_LOCK = 0x5355_5256_4559L;

    private static final String PLAN = """
            with cand as (
                :candidates
            ),
            sup as (
                select contact_id, bool_or(channel = 'email') as email, bool_or(channel = 'sms') as sms
                from suppression group by contact_id
            ),
            e as (
                select cand.*, c.external_id,
                       coalesce(c.timezone, c.phone_timezone, :campaign_tz, 'UTC') as tz,
                       :audience as in_audience,
                       :in_sample as in_sample,
                       (c.email is not null and sup.email is not true) as email_ok,
                       (c.phone is not null and sup.sms is not true) as sms_ok,
                       ((c.email is not null and sup.email and 'email' = any(:channels))
                        or (c.phone is not null and sup.sms and 'sms' = any(:channels))) is true as suppressed_any
                from cand
                join contact c on c.id = cand.contact_id
                left join sup on sup.contact_id = c.id
            ),
            ch as (
                select e.*, :channel_choice as channel
                from e
            ),
            sk as (
                select ch.*,
                       case when :late_applies and ch.due_at <= :at - cast(:lateness as interval) then 'too_late'
                            when not ch.in_audience then 'not_in_audience'
                            when not ch.in_sample then 'sampled_out'
                            when ch.channel is null and ch.suppressed_any then 'suppressed'
                            when ch.channel is null then 'no_channel'
                       end as skip0
                from ch
            ),
            hist as (
                select i.contact_id, array_agg(i.invite_at order by i.invite_at desc) as invites
                from invitation i
                where i.contact_id in (select contact_id from sk where skip0 is null)
                  and i.invite_at > :at - interval '400 days'
                  and i.status not in ('skipped', 'failed')
                group by i.contact_id
            ),
            mhist as (
                select m.contact_id,
                       array_agg(coalesce(m.sent_at, m.not_before) order by coalesce(m.sent_at, m.not_before) desc) as messages
                from message m
                where m.contact_id in (select contact_id from sk where skip0 is null)
                  and coalesce(m.sent_at, m.not_before) > :at - interval '30 days'
                  and m.status in ('queued', 'sent', 'delivered')
                group by m.contact_id
            ),
            f as materialized (
                select sk.*,
                       case when sk.skip0 is null then fatigue_allowed(sk.desired_at, hist.invites, mhist.messages,
                            cast(:min_gap as interval), :max_year, :max_week, 1) end as allowed
                from sk
                left join hist on hist.contact_id = sk.contact_id
                left join mhist on mhist.contact_id = sk.contact_id
            ),
            w as materialized (
                select f.*,
                       case when f.allowed = 'infinity' then f.allowed
                            when f.channel = 'email' then :email_window
                            when f.channel = 'sms' then :sms_window
                       end as invite_at,
                       case when f.channel = 'sms' and f.allowed <> 'infinity' then :smsw_window end as window_only
                from (select f.*, f.allowed at time zone f.tz as l,
                             extract(isodow from f.allowed at time zone f.tz)::integer as dow
                      from f) f
            ),
            final as (
                select w.*,
                       case when w.skip0 is not null then w.skip0
                            when w.allowed > w.due_at + cast(:expires as interval) then 'fatigue'
                            when w.invite_at > w.due_at + cast(:expires as interval) then 'expired'
                       end as skip_reason
                from w
            ),
            ins as (
                insert into invitation (campaign_id, contact_id, cycle, channel, token, status, skip_reason,
                                        defer_reason, trigger_at, planned_at, invite_at, expires_at)
                select :campaign_id, contact_id, cycle,
                       case when skip_reason is null then channel end,
                       case when skip_reason is null
                            then translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/=', '-_') end,
                       case when skip_reason is null then 'planned' else 'skipped' end,
                       skip_reason,
                       case when skip_reason is null then
                           case when allowed > desired_at then 'fatigue'
                                when invite_at > allowed and channel = 'sms' and window_only = allowed then 'quiet_hours'
                                when invite_at > allowed then 'send_window'
                           end
                       end,
                       due_at, :now,
                       case when skip_reason is null then invite_at end,
                       case when skip_reason is null then invite_at + cast(:expires as interval) end
                from final
                on conflict (campaign_id, contact_id, cycle) do nothing
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

    static final String ONBOARDING = """
            select c.id as contact_id, 'onboarding' as cycle,
                   c.onboarded_at + cast(:offset as interval) as due_at,
                   greatest(c.onboarded_at + cast(:offset as interval), :at) as desired_at
            from contact c
            where c.onboarded_at <= :at - cast(:offset as interval)
              and not exists (select 1 from invitation i
                              where i.campaign_id = :campaign_id and i.contact_id = c.id and i.cycle = 'onboarding')
            """;

    static final String RENEWAL = """
            select c.id as contact_id, 'renewal:' || c.renewal_date as cycle, d.due_at,
                   greatest(d.due_at, :at) as desired_at
            from contact c
            cross join lateral (select (c.renewal_date + cast(:offset as interval))
                                       at time zone coalesce(c.timezone, c.phone_timezone, :campaign_tz, 'UTC') as due_at) d
            where c.renewal_date is not null
              and c.renewal_date <= cast(:at as date) - cast(:offset as interval) + interval '1 day'
              and d.due_at <= :at
              and not exists (select 1 from invitation i where i.campaign_id = :campaign_id
                              and i.contact_id = c.id and i.cycle = 'renewal:' || c.renewal_date)
            """;

    static final String WAVE = """
            select c.id as contact_id, :cycle as cycle, cast(:fire as timestamptz) as due_at,
                   greatest(cast(:fire as timestamptz) + cast(:spread as interval)
                            * ((row_number() over (order by hashint8(c.id), c.id) - 1)::float8
                               / count(*) over ()), :at) as desired_at
            from contact c
            where not exists (select 1 from invitation i
                              where i.campaign_id = :campaign_id and i.contact_id = c.id and i.cycle = :cycle)
            """;

    /** One event per contact and run (the earliest): the others come up on the next run, after it. */
    static final String EVENT = """
            select distinct on (ev.contact_id) ev.contact_id, 'event:' || ev.event_id as cycle,
                   ev.occurred_at + cast(:offset as interval) as due_at,
                   greatest(ev.occurred_at + cast(:offset as interval), :at) as desired_at
            from event ev
            where ev.name = :event_name
              and ev.occurred_at <= :at - cast(:offset as interval)
              and not exists (select 1 from invitation i where i.campaign_id = :campaign_id
                              and i.contact_id = ev.contact_id and i.cycle = 'event:' || ev.event_id)
            order by ev.contact_id, ev.occurred_at, ev.event_id
            """;

    void lock(DSLContext tx) {
        tx.select(org.jooq.impl.DSL.field("pg_advisory_xact_lock({0})", Object.class, org.jooq.impl.DSL.val(PLANNING_LOCK)))
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

    /** Runs the planning statement for one candidate source; adds what it inserted to {@code counts}. */
    void plan(DSLContext tx, PlanCampaign campaign, Instant at, Instant now, String candidates,
              Map<String, Object> candidateValues, FatiguePolicy fatigue, PlanCounts counts) {
        SqlTemplate sql = new SqlTemplate(PLAN.replace(":candidates", candidates));
        candidateValues.forEach(sql::value);
        var d = campaign.definition();
        sql.value("campaign_id", campaign.id())
                .value("campaign_tz", d.timezone())
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .bind("in_sample", d.audience().sample() >= 1 ? org.jooq.impl.DSL.inline(true)
                        : org.jooq.impl.DSL.field("sample_point({0}, c.external_id) < {1}",
                                org.jooq.impl.DSL.val(campaign.key()), org.jooq.impl.DSL.val(d.audience().sample())))
                .value("channels", d.channels().toArray(String[]::new))
                .value("late_applies", !campaign.triggerType().equals("recurring"))
                .value("lateness", campaign.maxLateness().toSeconds() + " seconds")
                .value("min_gap", fatigue.minDaysBetweenSurveys() + " days")
                .value("max_year", fatigue.maxSurveysPerYear())
                .value("max_week", fatigue.maxMessagesPerWeek())
                .value("expires", campaign.expiresAfter().toPgInterval());
        bindWindow(sql, "email", campaign.window("email"));
        bindWindow(sql, "sms", campaign.window("sms"));
        bindWindow(sql, "smsw", ChannelWindow.of(
                d.sendWindow() == null ? null : io.surveycast.campaign.SendWindow.parse(d.sendWindow()), false));
        bindAudience(sql, d.audience().match());
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

    private static void bindWindow(SqlTemplate sql, String prefix, ChannelWindow window) {
        sql.bind(prefix + "_window", window.sql());
    }

    private static void bindAudience(SqlTemplate sql, Map<String, List<String>> match) {
        if (match.isEmpty()) {
            sql.bind("audience", org.jooq.impl.DSL.inline(true));
            return;
        }
        List<org.jooq.Condition> conditions = new ArrayList<>();
        for (var entry : match.entrySet()) {
            conditions.add(org.jooq.impl.DSL.condition("(c.attributes ->> {0}) = any({1})",
                    org.jooq.impl.DSL.val(entry.getKey()), org.jooq.impl.DSL.val(entry.getValue().toArray(String[]::new))));
        }
        sql.bind("audience", org.jooq.impl.DSL.field(org.jooq.impl.DSL.and(conditions)));
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
                        i.INVITE_AT, i.EXPIRES_AT)
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
