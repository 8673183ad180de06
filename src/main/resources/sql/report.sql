-- name: refresh-lock
-- Takes the roll-up refresh's advisory lock (:key, "report" in ASCII) unless another refresh holds it.
select pg_try_advisory_xact_lock(:key) as locked

-- name: refresh-lock-wait
-- Takes the roll-up refresh's advisory lock, waiting for a refresh running elsewhere: the report
-- replica must see every write committed before its report asked (V35).
select pg_advisory_xact_lock(:key) is not null as locked

-- name: refresh
-- Recomputes the days marked dirty from the raw rows, in one statement: it takes the markers it
-- sees, deletes those days' roll-ups and inserts them again (V10__report_rollups.sql says why that
-- is exact under concurrent writes), and stamps those days and the contacts written since with a
-- new version for the report replicas (V35). Returns the campaign-days done.
with taken as (delete from report_dirty returning campaign_id, day),
k as materialized (select distinct campaign_id, day from taken),
d1 as (delete from report_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
d2 as (delete from report_lift_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
d3 as (delete from report_decision_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
d4 as (delete from report_delay_day d using k where d.campaign_id = k.campaign_id and d.day = k.day),
f as materialized (:raw),
i1 as (insert into report_day (campaign_id, day, channel, invited, failed, responded, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10)
       -- an answer collected elsewhere (channel offline, V25) had no invite: not invited, only answered
       select campaign_id, day, channel, count(*) filter (where channel is distinct from 'offline'),
              count(*) filter (where failed), count(score),
              count(*) filter (where score = 0), count(*) filter (where score = 1), count(*) filter (where score = 2),
              count(*) filter (where score = 3), count(*) filter (where score = 4), count(*) filter (where score = 5),
              count(*) filter (where score = 6), count(*) filter (where score = 7), count(*) filter (where score = 8),
              count(*) filter (where score = 9), count(*) filter (where score = 10)
       from f group by campaign_id, day, channel),
i4 as (insert into report_delay_day (campaign_id, day, channel, bucket, n, delays)
       select campaign_id, day, channel, floor(delay / 3600)::int, count(*), array_agg(delay order by delay)
       from f where delay is not null group by campaign_id, day, channel, floor(delay / 3600)::int),
i2 as (insert into report_lift_day (campaign_id, day, channel, step, n)
       select campaign_id, day, channel, step, count(*) from f where score is not null and channel is distinct from 'offline'
       group by campaign_id, day, channel, step),
i3 as (insert into report_decision_day (campaign_id, day, channel, kind, reason, n)
       select campaign_id, day, channel, kind, reason, count(*) from (:decisions) x
       group by campaign_id, day, channel, kind, reason),
-- the report replicas' versions (V35): the days recomputed and the contacts written since the last refresh
ver as materialized (select nextval('report_version') as version),
v1 as (insert into report_day_version (campaign_id, day, version)
       select k.campaign_id, k.day, ver.version from k, ver
       on conflict (campaign_id, day) do update set version = excluded.version),
contacts as (delete from report_contact_dirty returning contact_id),
v2 as (insert into report_contact_version (contact_id, version)
       select distinct c.contact_id, ver.version from contacts c, ver
       on conflict (contact_id) do update set version = excluded.version)
select count(*)::int as days from k

-- name: raw-of-days
-- The raw facts of each counted invitation of the campaign-days in :keys (the refresh's k, a
-- report's dirty keys), on the UTC day its invite went out.
select i.id, i.campaign_id, k.day,
       -- an answer is credited to the channel of the message whose link led to it
       coalesce((select vm.channel from message vm where vm.id = r.via_message_id), i.channel) as channel,
       i.cycle, i.contact_id, i.status = 'failed' as failed,
       r.score, :answer_step as step,
       case when i.channel is distinct from 'offline' then extract(epoch from r.received_at - i.sent_at)::float8 end as delay
from :keys k
-- per day through the index (offset 0 keeps it a per-key scan, never a hash join over every invitation)
cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
     and (i.sent_at is not null or i.status = 'failed')
     and (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date = k.day offset 0) i
left join response r on r.invitation_id = i.id

-- name: decisions-of-days
-- The skip and deferral reasons of the invitations of the campaign-days in :keys, on the UTC day
-- they were planned.
select i.campaign_id, k.day, i.channel, v.kind, v.reason
from :keys k
cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
     and (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))
     and (i.planned_at at time zone 'UTC')::date = k.day offset 0) i
cross join lateral (values
     ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
     ('defer', i.defer_reason)) v(kind, reason)
where v.reason is not null

-- name: answer-step
-- The last reminder step sent before the answer (0: the invite), for an answered invitation.
case when r.id is not null then coalesce((select max(m.step) from message m
    where m.invitation_id = i.id and m.kind = 'reminder' and m.sent_at <= r.received_at), 0) end

-- name: rollup-report
-- Campaign, channel, month, quarter or no breakdown: the roll-ups of clean days plus the raw rows
-- of the days marked dirty, in one statement (one snapshot). :median false: no delays, no median. :grp groups both (a group-* part),
-- :day_filter_x and :day_filter_d are the same campaign and day filter over the dirty keys and
-- the roll-ups.
with keys as materialized (
    select distinct x.campaign_id, x.day from report_dirty x join campaign c on c.id = x.campaign_id
    where :day_filter_x),
raw as materialized (:raw),
facts as (
    select :grp as grp, d.invited, d.failed, d.responded,
           case when d.channel = 'offline' then d.responded else 0 end as offline,
           d.s0, d.s1, d.s2, d.s3, d.s4, d.s5, d.s6, d.s7, d.s8, d.s9, d.s10
    from report_day d join campaign c on c.id = d.campaign_id
    where :day_filter_d and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
    union all
    select :grp, (d.channel is distinct from 'offline')::int, failed::int, (score is not null)::int,
           (d.channel = 'offline' and score is not null)::int, (score = 0)::int, (score = 1)::int, (score = 2)::int,
           (score = 3)::int, (score = 4)::int, (score = 5)::int, (score = 6)::int, (score = 7)::int, (score = 8)::int,
           (score = 9)::int, (score = 10)::int
    from raw d join campaign c on c.id = d.campaign_id),
delays as not materialized (
    select :grp as grp, d.bucket, d.n, d.delays
    from report_delay_day d join campaign c on c.id = d.campaign_id
    where :day_filter_d and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
      and :median
    union all
    select :grp, floor(d.delay / 3600)::int, 1, array[d.delay]
    from raw d join campaign c on c.id = d.campaign_id where d.delay is not null and :median),
lifts as (
    select :grp as grp, d.step, d.n
    from report_lift_day d join campaign c on c.id = d.campaign_id
    where :day_filter_d and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
    union all
    select :grp, d.step, 1 from raw d join campaign c on c.id = d.campaign_id
    where d.score is not null and d.channel is distinct from 'offline'),
decisions as (
    select :grp as grp, d.kind, d.reason, d.n
    from report_decision_day d join campaign c on c.id = d.campaign_id
    where :day_filter_d and not exists (select 1 from keys x where x.campaign_id = d.campaign_id and x.day = d.day)
    union all
    select :grp, d.kind, d.reason, 1 from (:decisions) d join campaign c on c.id = d.campaign_id)
:aggregate

-- name: raw-report
-- wave, attr:NAME, account, tenure, category, two dimensions and any --where: the raw rows only (a
-- roll-up per attribute value or per event cycle would multiply the rows). :grp groups the invitations
-- sent (a dim-* part or dim-pair), :grp_planned the skips and deferrals, on their planning time
-- (:response_join gives them their answer for --by category). :median false: no delays, no median.
-- :sent_filter and :planned_filter are the campaign and day filters, on the day sent and the day
-- planned, and the --where segment of the contact.
with raw as materialized (
    select :grp as grp, i.status = 'failed' as failed, r.score, :answer_step as step,
           i.channel = 'offline' as offline,
           case when i.channel is distinct from 'offline' then extract(epoch from r.received_at - i.sent_at)::float8 end
               as delay
    from invitation i join campaign c on c.id = i.campaign_id :contact_join
    left join response r on r.invitation_id = i.id
    where (i.sent_at is not null or i.status = 'failed') and :sent_filter),
facts as (
    select grp, (not offline)::int as invited, failed::int as failed, (score is not null)::int as responded,
           (offline and score is not null)::int as offline, (score = 0)::int as s0,
           (score = 1)::int as s1, (score = 2)::int as s2, (score = 3)::int as s3, (score = 4)::int as s4,
           (score = 5)::int as s5, (score = 6)::int as s6, (score = 7)::int as s7, (score = 8)::int as s8,
           (score = 9)::int as s9, (score = 10)::int as s10
    from raw),
delays as not materialized (select grp, floor(delay / 3600)::int as bucket, 1 as n, array[delay] as delays
           from raw where delay is not null and :median),
lifts as (select grp, step, 1 as n from raw where score is not null and not offline),
decisions as (
    select :grp_planned as grp, v.kind, v.reason, 1 as n
    from invitation i join campaign c on c.id = i.campaign_id :contact_join :response_join
    cross join lateral (values
         ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
         ('defer', i.defer_reason)) v(kind, reason)
    where (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))
      and v.reason is not null and :planned_filter)
:aggregate

-- name: middle-delays-joined
-- The delays of the middle buckets, over the raw rows: one join (looking each bucket up would scan
-- the raw rows once per group).
middle m join delays d on d.grp = m.grp and d.bucket = m.bucket

-- name: middle-delays-looked-up
-- The same over the roll-ups: each middle bucket looked up by its number (report_delay_day_bucket,
-- V36). A join sorted every bucket's delays of every day first: 620 ms of 835 for all campaigns by
-- quarter over two years at 10,000,000 invitations, against 300 ms in all this way.
middle m cross join lateral (select d.delays from delays d where d.grp = m.grp and d.bucket = m.bucket offset 0) d

-- name: aggregate
-- The end of every report, from facts(grp, invited, failed, responded, offline, s0..s10), delays(grp,
-- bucket, n, delays), lifts(grp, step, n) and decisions(grp, kind, reason, n): counts, the exact
-- median delay from the buckets holding the middle ranks only, the lift by reminder step, and
-- skips and deferrals by reason, one row per group.
-- :middle_delays gives the delays d of the middle buckets m (middle-delays-joined or middle-delays-looked-up).
, counts as (
    select grp, sum(invited)::bigint as invited, sum(failed)::bigint as failed, sum(responded)::bigint as responded,
           sum(offline)::bigint as offline
           , sum(s0)::bigint as s0, sum(s1)::bigint as s1, sum(s2)::bigint as s2, sum(s3)::bigint as s3,
                  sum(s4)::bigint as s4, sum(s5)::bigint as s5, sum(s6)::bigint as s6, sum(s7)::bigint as s7,
                  sum(s8)::bigint as s8, sum(s9)::bigint as s9, sum(s10)::bigint as s10
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
    from :middle_delays, unnest(d.delays) v),
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
       coalesce(counts.responded, 0) as responded, coalesce(counts.offline, 0) as offline,
       coalesce(counts.s9 + counts.s10, 0) as promoters, coalesce(counts.s7 + counts.s8, 0) as passives,
       coalesce(counts.s0 + counts.s1 + counts.s2 + counts.s3 + counts.s4 + counts.s5 + counts.s6, 0) as detractors
       , coalesce(counts.s0, 0)::bigint as s0, coalesce(counts.s1, 0)::bigint as s1,
              coalesce(counts.s2, 0)::bigint as s2, coalesce(counts.s3, 0)::bigint as s3,
              coalesce(counts.s4, 0)::bigint as s4, coalesce(counts.s5, 0)::bigint as s5,
              coalesce(counts.s6, 0)::bigint as s6, coalesce(counts.s7, 0)::bigint as s7,
              coalesce(counts.s8, 0)::bigint as s8, coalesce(counts.s9, 0)::bigint as s9,
              coalesce(counts.s10, 0)::bigint as s10,
       medians.median_seconds, lift.lift_steps, lift.lift_counts, decided.d_kinds, decided.d_reasons, decided.d_counts
from counts
full join decided on decided.grp = counts.grp
left join medians on medians.grp = counts.grp
left join lift on lift.grp = counts.grp
order by 1

-- name: group-all
-- No breakdown: one group.
'all'

-- name: group-campaign
-- --by campaign (over the roll-ups and raw rows d joined with campaign c).
c.key

-- name: group-channel
-- --by channel: skipped invitations have none.
coalesce(d.channel, '(none)')

-- name: group-month
-- --by month, of the UTC day.
to_char(d.day, 'YYYY-MM')

-- name: group-quarter
-- --by quarter, of the UTC day.
to_char(d.day, 'YYYY-"Q"Q')

-- name: group-wave
-- --by wave (raw rows): the campaign and the cycle.
c.key || ' ' || i.cycle

-- name: group-attribute
-- --by attr:NAME (raw rows): the contact's attribute :attribute.
coalesce(ct.attributes ->> :attribute, '(none)')

-- name: contact-join
-- The contact of each invitation, for a breakdown or a --where on the contact.
join contact ct on ct.id = i.contact_id

-- name: theme-report
-- --by theme (raw rows): one row per theme, over the answers to the invitations sent in the
-- period (:sent_filter, as raw-report, with the --where segment). A theme's row counts the answers
-- that mention it, and
-- carries the totals it is weighed against: the comments and detractors' comments of the period,
-- and every answer by category (for the NPS without the theme's answers).
with answers as materialized (
    select r.id, r.score, i.status = 'failed' as failed,
           coalesce(btrim(r.comment), '') <> '' as commented,
           i.channel = 'offline' as offline,
           case when i.channel is distinct from 'offline' then extract(epoch from r.received_at - i.sent_at)::float8 end
               as delay
    from invitation i join campaign c on c.id = i.campaign_id :contact_join
    join response r on r.invitation_id = i.id
    where (i.sent_at is not null or i.status = 'failed') and r.score is not null and :sent_filter),
totals as (
    select count(*) filter (where commented) as comments,
           count(*) filter (where commented and score <= 6) as detractor_comments,
           count(*) as answers, count(*) filter (where score >= 9) as all_promoters,
           count(*) filter (where score <= 6) as all_detractors
    from answers),
mentions as (
    select rt.theme_key as grp, a.* from answers a join response_theme rt on rt.response_id = a.id)
select t.key as grp, count(m.id) as invited, count(m.id) filter (where m.failed) as failed,
       count(m.id) as responded, count(m.id) filter (where m.offline) as offline,
       count(m.id) filter (where m.score >= 9) as promoters, count(m.id) filter (where m.score between 7 and 8) as passives,
       count(m.id) filter (where m.score <= 6) as detractors,
       count(m.id) filter (where m.score = 0) as s0, count(m.id) filter (where m.score = 1) as s1,
       count(m.id) filter (where m.score = 2) as s2, count(m.id) filter (where m.score = 3) as s3,
       count(m.id) filter (where m.score = 4) as s4, count(m.id) filter (where m.score = 5) as s5,
       count(m.id) filter (where m.score = 6) as s6, count(m.id) filter (where m.score = 7) as s7,
       count(m.id) filter (where m.score = 8) as s8, count(m.id) filter (where m.score = 9) as s9,
       count(m.id) filter (where m.score = 10) as s10,
       percentile_cont(0.5) within group (order by m.delay) as median_seconds,
       -- no reminder lift, skips or deferrals per theme: those belong to invitations, not to comments
       null::int[] as lift_steps, null::bigint[] as lift_counts,
       null::text[] as d_kinds, null::text[] as d_reasons, null::bigint[] as d_counts,
       count(m.id) filter (where m.commented) as comment_mentions,
       count(m.id) filter (where m.commented and m.score <= 6) as detractor_comment_mentions,
       min(totals.comments) as comments, min(totals.detractor_comments) as detractor_comments,
       min(totals.answers) as answers, min(totals.all_promoters) as all_promoters,
       min(totals.all_detractors) as all_detractors
from theme t cross join totals
left join mentions m on m.grp = t.key
group by t.key
order by t.key collate "C"

-- name: dim-channel
-- A channel over the raw rows, as raw-of-days credits it: the channel of the message whose link led
-- to the answer, else the invitation's.
coalesce((select vm.channel from message vm where vm.id = r.via_message_id), i.channel, '(none)')

-- name: dim-channel-planned
-- A skipped or deferred invitation's channel, as decisions-of-days reads it.
coalesce(i.channel, '(none)')

-- name: dim-month
-- The UTC month of :at (when the invite went out, or when it was planned).
to_char((:at at time zone 'UTC')::date, 'YYYY-MM')

-- name: dim-quarter
-- The UTC quarter of :at.
to_char((:at at time zone 'UTC')::date, 'YYYY-"Q"Q')

-- name: dim-tenure
-- The contact's tenure at :at (when the invite went out), in whole days of 24 hours since
-- onboarded_at: 90 days and 23 hours is still 0-90d. An invite before onboarding counts as 0-90d.
case when ct.onboarded_at is null then '(none)'
     when :at - ct.onboarded_at < interval '91 days' then '0-90d'
     when :at - ct.onboarded_at < interval '181 days' then '91-180d'
     when :at - ct.onboarded_at < interval '366 days' then '181-365d'
     when :at - ct.onboarded_at < interval '731 days' then '1-2y'
     else '2y+' end

-- name: dim-category
-- The answer's category; an invitation without an answer is (none).
case when r.score is null then '(none)' when r.score >= 9 then 'promoter' when r.score >= 7 then 'passive'
     else 'detractor' end

-- name: response-join
-- The answer of a skipped or deferred invitation, for --by category (a deferred invitation may
-- have been answered since: its deferral counts in its answer's category).
left join response r on r.invitation_id = i.id

-- name: dim-pair
-- Two dimensions: the group is the pair (ordered and compared element by element).
array[:first, :second]

-- name: segment-attribute
-- One attribute of --where: the contact's current value is one of :values (OR within an attribute).
(ct.attributes ->> :name) = any(:values)

-- name: attribute-name-seen
-- Whether some contact may have the attribute :name (V24's contact_attribute_name: names are never
-- removed, so "yes" may be stale, "no" never is). Decides whether reports compute revenue at all.
select exists (select 1 from contact_attribute_name where name = :name) as seen

-- name: outcomes-report
-- Revenue and churn per group, from the raw rows: each respondent (contact) of a group once, with
-- their latest answer in it (its category; churned when churned_at falls on the answer's UTC day or
-- within :window after it) and their current revenue attribute :revenue (report_number: a number or
-- nothing). :grp is the breakdown's dim-* part over i, c, ct and r, :theme_join adds the themes an
-- answer mentions for --by theme; :sent_filter as raw-report (with the --where segment).
with answers as (
    select :grp as grp, i.contact_id, r.id as response_id, r.score, r.received_at, ct.churned_at,
           report_number(ct.attributes ->> :revenue) as revenue
    from invitation i join campaign c on c.id = i.campaign_id
    join contact ct on ct.id = i.contact_id
    join response r on r.invitation_id = i.id :theme_join
    where (i.sent_at is not null or i.status = 'failed') and r.score is not null and :sent_filter),
latest as (
    select distinct on (grp, contact_id) grp, contact_id, score, received_at, churned_at, revenue
    from answers order by grp, contact_id, received_at desc, response_id desc)
select grp, count(*) as respondents, sum(revenue) as revenue,
       coalesce(sum(revenue) filter (where score >= 9), 0) as promoter_revenue,
       coalesce(sum(revenue) filter (where score <= 6), 0) as detractor_revenue,
       count(*) filter (where churned_at >= (received_at at time zone 'UTC')::date
           and churned_at <= (received_at at time zone 'UTC')::date + cast(:window as interval)) as churned
from latest group by grp

-- name: theme-join
-- --by theme in outcomes-report: one row per theme an answer mentions.
join response_theme rt on rt.response_id = r.id

-- name: dim-theme
-- --by theme in outcomes-report.
rt.theme_key
