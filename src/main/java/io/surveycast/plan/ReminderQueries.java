package io.surveycast.plan;

import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The SQL of reminders and expiry. A reminder message is created when its step falls due, only
 * for invitations still open (not answered, not expired) whose invite went out or is queued,
 * on the step's channel if the contact can be reached there and the message cap allows it;
 * otherwise the step is recorded as a cancelled message with the reason. As in planning, the
 * steps referenced several times are fenced with {@code offset 0}, so the fatigue function and
 * the time-zone conversion run once per invitation (a reminder step of a whole wave is one
 * statement).
 */
final class ReminderQueries {
    private static final String REMIND = """
            with due as (
                select i.id as invitation_id, i.contact_id, i.expires_at,
                       greatest(coalesce(inv.sent_at, i.invite_at) + cast(:after as interval), :at) as desired_at,
                       (contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')))[1] as tz,
                       contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')) as zones,
                       case when :channel = 'email' then c.email is not null else c.phone is not null end as reachable,
                       exists (select 1 from suppression s where s.contact_id = i.contact_id and s.channel = :channel)
                           as suppressed
                from invitation i
                join contact c on c.id = i.contact_id
                join message inv on inv.invitation_id = i.id and inv.kind = 'invite'
                                and inv.status in ('queued', 'sent', 'delivered')
                where i.campaign_id = :campaign_id
                  and i.status in ('planned', 'sent', 'delivered')
                  and coalesce(inv.sent_at, i.invite_at) <= :at - cast(:after as interval)
                  and i.expires_at > :at
                  and not exists (select 1 from message m
                                  where m.invitation_id = i.id and m.kind = 'reminder' and m.step = :step)
                  and not exists (select 1 from response r where r.invitation_id = i.id)
            ),
            mhist as (
                select m.contact_id,
                       array_agg(coalesce(m.sent_at, m.not_before) order by coalesce(m.sent_at, m.not_before) desc) as messages
                from message m
                where m.contact_id in (select contact_id from due)
                  and coalesce(m.sent_at, m.not_before) > :at - interval '30 days'
                  and m.status in ('queued', 'sent', 'delivered')
                group by m.contact_id
            ),
            f as (
                select due.*,
                       case when due.reachable and not due.suppressed
                            then fatigue_allowed(due.desired_at, null, mhist.messages, interval '0 days', 1000,
                                                 :max_week, 1) end as allowed
                from due left join mhist on mhist.contact_id = due.contact_id
                offset 0
            ),
            w as (
                select f.*,
                       case when f.allowed is null or f.allowed = 'infinity' then null
                            when cardinality(f.zones) = 1 then :window
                            when :channel = 'email' then coalesce(:all_window, :window)
                            else :all_window -- SMS: 08:00-21:00 in every zone the number may be in, or not at all
                       end as not_before
                from (select f.*, extract(isodow from f.l)::integer as dow
                      from (select f.*, f.allowed at time zone f.tz as l from f offset 0) f) f
                offset 0
            ),
            r as (
                select w.*,
                       case when not w.reachable then 'no_channel'
                            when w.suppressed then 'suppressed'
                            when w.allowed = 'infinity' or w.allowed >= w.expires_at then 'fatigue'
                            when w.not_before is null then 'quiet_hours'
                            when w.not_before >= w.expires_at then 'expired'
                       end as reason
                from w
                offset 0
            ),
            ins as (
                insert into message (invitation_id, contact_id, kind, step, channel, status, not_before,
                                     last_error, created_at, updated_at)
                select invitation_id, contact_id, 'reminder', :step, :channel,
                       case when reason is null then 'queued' else 'cancelled' end,
                       coalesce(not_before, :at), reason, :now, :now
                from r
                on conflict (invitation_id, kind, step) do nothing
                returning status, last_error
            )
            select status, last_error as reason, count(*) as n from ins group by status, last_error
            """;

    private static final String EXPIRE = """
            with expired as (
                update invitation i set status = 'expired'
                where i.status in ('planned', 'sent', 'delivered')
                  and i.expires_at <= :at
                  and not exists (select 1 from response r where r.invitation_id = i.id)
                returning i.id
            ),
            cancelled as (
                update message m set status = 'cancelled', last_error = 'expired', updated_at = :now
                where m.invitation_id in (select id from expired) and m.status = 'queued'
                returning 1
            )
            select count(*) from expired
            """;

    void remind(DSLContext tx, PlanCampaign campaign, int step, Instant at, Instant now, PlanCounts counts,
                int maxPerWeek) {
        var reminder = campaign.definition().reminders().get(step - 1);
        ChannelWindow window = campaign.window(reminder.channel());
        SqlTemplate sql = new SqlTemplate(REMIND)
                .value("campaign_id", campaign.id())
                .value("campaign_tz", campaign.timezoneId())
                .value("channel", reminder.channel())
                .value("step", step)
                .value("after", reminder.after().toPgInterval())
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .value("max_week", maxPerWeek)
                .bind("window", window.sql())
                .bind("all_window", window.inAllZones());
        for (Record r : sql.resultQuery(tx).fetch()) {
            long n = r.get("n", Long.class);
            if (r.get("status", String.class).equals("queued")) {
                counts.addReminder(reminder.channel(), n);
            } else {
                counts.addReminderSkip(r.get("reason", String.class), n);
            }
        }
    }

    int expire(DSLContext tx, Instant at, Instant now) {
        return new SqlTemplate(EXPIRE)
                .value("at", at.atOffset(ZoneOffset.UTC))
                .value("now", now.atOffset(ZoneOffset.UTC))
                .resultQuery(tx).fetchOne(0, Integer.class);
    }
}
