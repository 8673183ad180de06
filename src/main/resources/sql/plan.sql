-- name: plan
-- The planning statement for the candidates of one contact-id range [:lo, :hi) (inlined, so each
-- batch gets a plan made for its own bounds; the candidate queries repeat the range on the
-- invitations they anti-join, which PostgreSQL does not infer from the join, so a batch does not
-- read the wave's rows of the other batches). It decides audience, sample, channel, consent,
-- fatigue and send window for every candidate and inserts the invitations and their invite
-- messages together. Each step keeps only the columns later steps use; the steps whose
-- expressions are referenced several times are fenced with offset 0 (a subquery PostgreSQL does
-- not flatten), so the fatigue function, the time-zone conversion and the send window are
-- computed once per row without materialising the rows. The rows are inserted in contact order,
-- so the indexes on contact ids are filled from left to right. No ON CONFLICT: the candidates
-- exclude what is already planned and the planning lock keeps other planners out until this
-- statement's snapshot sees their rows (the unique key would still refuse a duplicate); the
-- speculative insertion of ON CONFLICT cost a tenth of planning a wave.
-- Parts: :candidates (one of the *-candidates statements), :channel_choice (the campaign's
-- channels in order), the windows (ChannelWindow), :audience, :in_sample, and the priority
-- look-ahead (:ahead_sk_columns, :ahead_queries).
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

-- name: contact-columns
-- What the decisions need of each candidate's contact row c, selected by every candidate query
-- (:ahead_contact_columns: what the look-ahead needs too, when there is a look-ahead).
(contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')))[1] as tz,
       contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')) as zones,
       :audience as in_audience,
       :in_sample as in_sample,
       c.email is not null as has_email,
       c.phone is not null as has_phone:ahead_contact_columns

-- name: onboarding-candidates
-- The lifecycle candidates (onboarding, renewal, event) are the triggers due in (:horizon, :at]:
-- the horizon is the campaign's max-lateness and a margin before :at, so a scan reads the recent
-- triggers through the indexes on onboarded_at, renewal_date and (event name, occurred_at) instead
-- of every trigger of the past. Triggers between the max-lateness and the horizon are recorded as
-- too_late; older ones are not looked at (nobody is surveyed for them).
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

-- name: renewal-candidates
-- The contacts whose renewal date (plus the offset, in their zone) is due in (:horizon, :at].
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

-- name: wave-candidates
-- Every contact not yet in the wave. With a spread, :position places each one in [0, 1) of the
-- spread by a hash of its id among the batch's candidates, so the sends of each batch, and so of
-- the whole wave, are evenly distributed.
select c.id as contact_id, :cycle as cycle, cast(:fire as timestamptz) as due_at,
       greatest(cast(:fire as timestamptz) + cast(:spread as interval) * :position, :at) as desired_at,
       :contact_columns
from contact c
where c.id >= :lo and c.id < :hi
  and not exists (select 1 from invitation i
                  where i.campaign_id = :campaign_id and i.contact_id = c.id and i.cycle = :cycle
                    and i.contact_id >= :lo and i.contact_id < :hi)

-- name: event-candidates
-- One event per contact and run (the earliest): the others come up on the next run, after it.
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

-- name: ahead
-- Priority look-ahead: the windows in which a higher-priority onboarding or renewal campaign, or a
-- firing of a higher-priority recurring campaign's cron, will send to a candidate, for a trigger
-- known now but not planned yet (due in the future, or due and not planned: plan KEY between two
-- scans), when that campaign would survey the contact (audience, sample, a reachable channel):
-- [trigger, trigger + its expiry], widened by how much its minimum gap exceeds this campaign's.
-- One per such campaign (:other_* are its values, :other_trigger one of the ahead-trigger-*
-- parts), joined by union-all.
select sk.contact_id,
       tstzrange(t.x - cast(:other_widen as interval),
                 t.x + cast(:other_expires as interval) + cast(:other_widen as interval), '[]') as r,
       :other_max_year as max_year
from sk
cross join lateral (select :other_trigger as x) t
where sk.skip0 is null and :other_in and (:other_reach)
  and t.x > :at - cast(:other_lateness as interval)
  and t.x <= :ahead_until
  and (t.x > :at or not exists (select 1 from invitation i where i.campaign_id = :other_id
                                and i.contact_id = sk.contact_id and i.cycle = :other_cycle))

-- name: ahead-trigger-onboarding
-- When the other campaign's onboarding survey of candidate sk is due.
case when sk.onboarded_on is null then sk.onboarded_at + cast(:other_offset as interval)
     else (sk.onboarded_on + cast(:other_offset as interval)) at time zone coalesce(sk.contact_tz, :other_tz, 'UTC') end

-- name: ahead-trigger-renewal
-- When the other campaign's renewal survey of candidate sk is due.
(sk.renewal_date + cast(:other_offset as interval)) at time zone coalesce(sk.contact_tz, :other_tz, 'UTC')

-- name: ahead-trigger-wave
-- One firing of the other campaign's cron.
cast(:other_fire as timestamptz)

-- name: ahead-cycle-renewal
-- The cycle of the other campaign's renewal survey of candidate sk (onboarding: 'onboarding', a wave: its cycle).
'renewal:' || sk.renewal_date

-- name: ahead-contact-columns
-- What the look-ahead needs of each candidate's contact, after contact-columns: its lifecycle
-- dates and own zone, and whether each other campaign would survey it (:in_columns, one
-- ahead-in-column each).
,
       c.onboarded_at, c.onboarded_on, c.renewal_date, (contact_zones(c.timezone, c.phone_zones, c.phone_timezone, null))[1] as contact_tz,
       :in_columns

-- name: ahead-in-column
-- Whether the other campaign's audience and sample take the contact, as its own column.
(:other_audience and :other_sample) as :other_in

-- name: ahead-sk-columns
-- The columns of ahead-contact-columns the step sk keeps for the look-ahead.
, sms_ok, onboarded_at, onboarded_on, renewal_date, contact_tz, :in_columns

-- name: union-all
-- Two look-ahead queries as one (folded over all of them).
:left
union all
:right

-- name: nothing-ahead
-- The look-ahead when no higher-priority campaign can take the room: no rows.
select null::bigint as contact_id, null::tstzrange as r, null::integer as max_year where false

-- name: fatigue-window
-- When one message per invitation of a CTE "due" (contact_id, desired_at, reachable, suppressed,
-- tz, zones) may go, as the CTEs mhist (the contact's messages of the last 30 days), f ("due" with
-- allowed: the first moment at or after desired_at the weekly cap :max_week allows, 'infinity' if
-- none, null if the contact cannot be reached) and w (f with not_before: the next opening of the
-- send window in the recipient's local time after allowed; for a number that may be in several
-- zones, email takes the window open in all of them or else the first zone's, SMS only the one in
-- all of them). Reminders (remind) and promoter emails (promoter.sql, queue-promoter-emails, with
-- :channel email) apply the same rule; fenced with offset 0 so the fatigue function and the
-- time-zone conversion run once per invitation.
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
)

-- name: remind
-- A reminder message is created when its step falls due, only for invitations still open (not
-- answered, not expired) whose invite went out or is queued, on the step's channel if the contact
-- can be reached there and the message cap allows it; otherwise the step is recorded as a
-- cancelled message with the reason. As in planning, the steps referenced several times are
-- fenced with offset 0, so the fatigue function and the time-zone conversion run once per
-- invitation (a reminder step of a whole wave is one statement).
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
:fatigue_window,
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

-- name: expire
-- Expires the open invitations whose time is up, cancelling their queued messages (one statement,
-- so a message is never left queued for an expired invitation).
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
select count(*) as n from expired

-- name: stale-statistics
-- The planning tables (:tables) whose statistics are stale: their rows changed since the last
-- ANALYZE by more than a tenth of what they had then (plus 1,000), or they now have more pages
-- than a tenth above the last count (plus 8). The page count is exact at once, while the change
-- counters of other sessions reach the cumulative statistics up to a second late (and would count
-- again rows an ANALYZE has just seen), so they are only trusted for a table not analysed in the
-- last minute.
select c.relname
from pg_class c
join pg_stat_user_tables s on s.relid = c.oid
where c.relname = any(:tables) and c.relnamespace = current_schema()::regnamespace
  and ((s.n_mod_since_analyze > 1000 + 0.1 * greatest(c.reltuples, 0)
        and coalesce(greatest(s.last_analyze, s.last_autoanalyze), '-infinity') < clock_timestamp() - interval '1 minute')
       or pg_relation_size(c.oid) / current_setting('block_size')::bigint > c.relpages * 1.1 + 8)
order by c.relname
