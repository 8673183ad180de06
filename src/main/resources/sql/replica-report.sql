-- name: replica-counts
-- report.sql's raw-report over the replica (replica-schema.sql), in DuckDB: per group (g1, and g2
-- for a second dimension, else null) the invitations counted on the day their invite went out,
-- their answers by score, and the exact median delay (quantile_cont interpolates as percentile_cont).
-- x is the fact, c its campaign, ct its contact (:contact_join); :sent_filter the campaign, the
-- days and the --where segment.
select :grp,
       count(*) filter (where not x.offline) as invited, count(*) filter (where x.failed) as failed,
       count(x.score) as responded, count(x.score) filter (where x.offline) as offline,
       count(*) filter (where x.score = 0) as s0, count(*) filter (where x.score = 1) as s1,
       count(*) filter (where x.score = 2) as s2, count(*) filter (where x.score = 3) as s3,
       count(*) filter (where x.score = 4) as s4, count(*) filter (where x.score = 5) as s5,
       count(*) filter (where x.score = 6) as s6, count(*) filter (where x.score = 7) as s7,
       count(*) filter (where x.score = 8) as s8, count(*) filter (where x.score = 9) as s9,
       count(*) filter (where x.score = 10) as s10,
       quantile_cont(x.delay, 0.5) as median_seconds
from fact x join campaign c on c.id = x.campaign_id :contact_join
where :sent_filter
group by g1, g2

-- name: replica-lift
-- The answers by the last reminder step sent before them (answer-step), offline answers left out,
-- per group as replica-counts.
select :grp, x.step, count(*) as n
from fact x join campaign c on c.id = x.campaign_id :contact_join
where x.score is not null and not x.offline and :sent_filter
group by g1, g2, x.step

-- name: replica-decisions
-- The skip and deferral reasons per group, on the day the invitation was planned (x is the
-- decision; :response_join gives it its answer for --by category, the fact of the same invitation).
select :grp, x.kind, x.reason, count(*) as n
from decision x join campaign c on c.id = x.campaign_id :contact_join :response_join
where :planned_filter
group by g1, g2, x.kind, x.reason

-- name: replica-theme
-- report.sql's theme-report over the replica: one row per theme, the answers that mention it, and
-- the totals it is weighed against.
with answers as materialized (
    select x.response_id as id, x.score, x.failed, x.commented, x.offline, x.delay
    from fact x join campaign c on c.id = x.campaign_id :contact_join
    where x.score is not null and :sent_filter),
totals as (
    select count(*) filter (where commented) as comments,
           count(*) filter (where commented and score <= 6) as detractor_comments,
           count(*) as answers, count(*) filter (where score >= 9) as all_promoters,
           count(*) filter (where score <= 6) as all_detractors
    from answers),
mentions as (select m.theme_key as grp, a.* from answers a join mention m on m.response_id = a.id)
select t.key as g1, cast(null as varchar) as g2, count(m.id) as invited, count(m.id) filter (where m.failed) as failed,
       count(m.id) as responded, count(m.id) filter (where m.offline) as offline,
       count(m.id) filter (where m.score = 0) as s0, count(m.id) filter (where m.score = 1) as s1,
       count(m.id) filter (where m.score = 2) as s2, count(m.id) filter (where m.score = 3) as s3,
       count(m.id) filter (where m.score = 4) as s4, count(m.id) filter (where m.score = 5) as s5,
       count(m.id) filter (where m.score = 6) as s6, count(m.id) filter (where m.score = 7) as s7,
       count(m.id) filter (where m.score = 8) as s8, count(m.id) filter (where m.score = 9) as s9,
       count(m.id) filter (where m.score = 10) as s10,
       quantile_cont(m.delay, 0.5) as median_seconds,
       count(m.id) filter (where m.commented) as comment_mentions,
       count(m.id) filter (where m.commented and m.score <= 6) as detractor_comment_mentions,
       min(totals.comments) as comments, min(totals.detractor_comments) as detractor_comments,
       min(totals.answers) as answers, min(totals.all_promoters) as all_promoters,
       min(totals.all_detractors) as all_detractors
from theme t cross join totals
left join mentions m on m.grp = t.key
group by t.key
order by t.key

-- name: replica-outcomes
-- report.sql's outcomes-report over the replica: each respondent (contact) of a group once, with
-- their latest answer in it; churned when churned_at falls on the answer's UTC day or within
-- :months months and then :days days after it (a date plus an interval, as PostgreSQL adds them).
-- Revenue sums are exact in decimal(38,12); each comes with the largest scale summed, which is the
-- scale PostgreSQL's numeric sum gives.
with answers as (
    select :grp, x.contact_id, x.response_id, x.score, x.received_us, ct.churned_at, ct.revenue, ct.revenue_scale
    from fact x join campaign c on c.id = x.campaign_id join contact ct on ct.id = x.contact_id :theme_join
    where x.score is not null and :sent_filter),
latest as (
    select *, cast(make_timestamp(received_us) as date) as answered from answers
    qualify row_number() over (partition by g1, g2, contact_id order by received_us desc, response_id desc) = 1)
select g1, g2, count(*) as respondents,
       sum(revenue) as revenue, max(revenue_scale) filter (where revenue is not null) as revenue_scale,
       sum(revenue) filter (where score >= 9) as promoter_revenue,
       max(revenue_scale) filter (where revenue is not null and score >= 9) as promoter_scale,
       sum(revenue) filter (where score <= 6) as detractor_revenue,
       max(revenue_scale) filter (where revenue is not null and score <= 6) as detractor_scale,
       count(*) filter (where churned_at >= answered
           and churned_at <= answered + to_months(cast(:months as integer)) + to_days(cast(:days as integer))) as churned
from latest group by g1, g2

-- name: contact-join
-- The contact of each fact or decision, for a breakdown or a --where on the contact.
join contact ct on ct.id = x.contact_id

-- name: response-join
-- A decision's answer, for --by category: the fact of the same invitation.
left join fact r on r.invitation_id = x.invitation_id

-- name: theme-join
-- --by theme in replica-outcomes: one row per theme an answer mentions.
join mention m on m.response_id = x.response_id

-- name: group-one
-- One dimension: the group is g1, no g2.
:first as g1, cast(null as varchar) as g2

-- name: group-two
-- Two dimensions: the group is the pair, ordered element by element.
:first as g1, :second as g2

-- name: dim-all
-- No breakdown: one group.
'all'

-- name: dim-campaign
-- The campaign's key.
c.key

-- name: dim-wave
-- The campaign and the cycle.
c.key || ' ' || x.cycle

-- name: dim-channel
-- The credited channel of a fact, or the channel of a decision's invitation; none is (none).
coalesce(x.channel, '(none)')

-- name: dim-month
-- The UTC month of the day (sent for a fact, planned for a decision).
strftime(x.day, '%Y-%m')

-- name: dim-quarter
-- The UTC quarter of the day, as to_char(day, 'YYYY-"Q"Q').
strftime(x.day, '%Y') || '-Q' || cast(quarter(x.day) as varchar)

-- name: dim-tenure
-- dim-tenure of report.sql: whole days of 24 hours from onboarded_at to :at (epoch microseconds).
case when ct.onboarded_us is null then '(none)'
     when :at - ct.onboarded_us < 91 * 86400000000 then '0-90d'
     when :at - ct.onboarded_us < 181 * 86400000000 then '91-180d'
     when :at - ct.onboarded_us < 366 * 86400000000 then '181-365d'
     when :at - ct.onboarded_us < 731 * 86400000000 then '1-2y'
     else '2y+' end

-- name: dim-category
-- The answer's category (:score: the fact's, or the answer of a decision's invitation).
case when :score is null then '(none)' when :score >= 9 then 'promoter' when :score >= 7 then 'passive'
     else 'detractor' end

-- name: dim-attribute
-- The contact's current attribute :attribute, as PostgreSQL's ->> gives it; (none) without it.
coalesce((select a.value from contact_attr a where a.contact_id = x.contact_id and a.name = :attribute), '(none)')

-- name: dim-theme
-- --by theme in replica-outcomes.
m.theme_key

-- name: segment-attribute
-- One attribute of --where: the contact's current value is one of the values (:in, on a.value).
exists (select 1 from contact_attr a where a.contact_id = x.contact_id and a.name = :name and :in)
