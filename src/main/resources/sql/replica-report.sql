-- name: replica-counts
-- report.sql's raw-report over the replica (replica-schema.sql), in DuckDB: per group (k1, and k2
-- for a second dimension, else null; labelled gives their names) the invitations counted on the day their invite went out,
-- their answers by score (scores: a map of score to answers), the answers by the last reminder step
-- sent before them, offline ones left out (lift: step to answers, answer-step), and the exact median
-- delay (:median: median-delay, or none). One scan: a histogram costs less than a
-- filtered count per score, and a second statement for the lift cost a second scan.
-- x is the fact, c its campaign, ct its contact (:contact_join); :sent_filter the campaign, the
-- days and the --where segment.
select :grp,
       count(*) filter (where not x.offline) as invited, count(*) filter (where x.failed) as failed,
       count(x.score) as responded, count(x.score) filter (where x.offline) as offline,
       histogram(x.score) filter (where x.score is not null) as scores,
       histogram(x.step) filter (where x.score is not null and not x.offline) as lift,
       :median as median_seconds
from fact x join campaign c on c.id = x.campaign_id :contact_join :attribute_join
where :sent_filter
group by k1, k2

-- name: median-delay
-- The exact median delay of :rows (quantile_cont interpolates as percentile_cont).
quantile_cont(:rows.delay, 0.5)

-- name: replica-decisions
-- The skip and deferral reasons per group, on the day the invitation was planned (x is the
-- decision; :response_join gives it its answer for --by category, the fact of the same invitation).
select :grp, x.kind, x.reason, count(*) as n
from decision x join campaign c on c.id = x.campaign_id :contact_join :attribute_join :response_join
where :planned_filter
group by k1, k2, x.kind, x.reason

-- name: replica-theme
-- report.sql's theme-report over the replica: one row per theme, the answers that mention it, and
-- the totals it is weighed against; scores as replica-counts gives them.
with answers as materialized (
    select x.response_id as id, x.score, x.failed, x.commented, x.offline, x.delay
    from fact x join campaign c on c.id = x.campaign_id
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
       histogram(m.score) filter (where m.id is not null) as scores,
       :median as median_seconds,
       count(m.id) filter (where m.commented) as comment_mentions,
       count(m.id) filter (where m.commented and m.score <= 6) as detractor_comment_mentions,
       min(totals.comments) as comments, min(totals.detractor_comments) as detractor_comments,
       min(totals.answers) as answers, min(totals.all_promoters) as all_promoters,
       min(totals.all_detractors) as all_detractors
from theme t cross join totals
left join mentions m on m.grp = t.key
group by t.key
order by t.key

-- name: replica-theme-quarters
-- The mentions of each theme per quarter: what replica-theme counts as mentions (every mention of an
-- answer on the days), by the quarter of the fact's day, in one scan for the Themes page's trend.
select m.theme_key as theme, x.quarter, count(*) as mentions
from fact x join campaign c on c.id = x.campaign_id join mention m on m.response_id = x.response_id
where x.score is not null and :sent_filter
group by m.theme_key, x.quarter

-- name: replica-outcomes
-- report.sql's outcomes-report over the replica: each respondent (contact) of a group once, with
-- their latest answer in it (:latest: the largest received_us, then response_id), added up by
-- outcome-sums. (The answers carry their contact's revenue and churn: replica-schema.sql's answer.)
with latest as (:latest),
respondents as (
    select l.k1, l.k2, l.score, l.revenue, l.revenue_wide, l.revenue_scale, :churned as churned
    from latest l)
:sums

-- name: replica-outcomes-stored
-- replica-outcomes from the answers flagged as their contact's latest in the scope the breakdown
-- needs (:latest, a flag of answer; ReplicaQueries.storedLatest): the same figures without grouping
-- every answer.
with respondents as (
    select :grp, x.score, x.revenue, x.revenue_wide, x.revenue_scale, :churned as churned
    from answer x join campaign c on c.id = x.campaign_id :attribute_join
    where :latest and :sent_filter)
:sums

-- name: churned-within
-- Whether the contact churned (:churned_at) on the answer's UTC day (:received, epoch microseconds) or
-- within :months months and then :days days after it (a date plus an interval, as PostgreSQL adds them).
:churned_at >= cast(make_timestamp(:received) as date)
and :churned_at <= cast(make_timestamp(:received) as date) + to_months(cast(:months as integer))
    + to_days(cast(:days as integer))

-- name: outcome-sums
-- Revenue and churn per group from respondents(k1, k2, score, revenue, revenue_wide, revenue_scale,
-- churned): summed per score first, then per group (sums filtered by score over every respondent
-- cost half as much again). Exact: a revenue is in revenue (decimal(18,6), summed 2.5 times faster)
-- where it fits, else in revenue_wide (decimal(38,12)); each sum comes with the largest scale summed,
-- the scale PostgreSQL's numeric sum gives.
select k1, k2, cast(sum(n) as bigint) as respondents,
       sum(revenue) as revenue, max(scale) as revenue_scale,
       sum(revenue) filter (where score >= 9) as promoter_revenue, max(scale) filter (where score >= 9) as promoter_scale,
       sum(revenue) filter (where score <= 6) as detractor_revenue, max(scale) filter (where score <= 6) as detractor_scale,
       cast(sum(churned) as bigint) as churned
from (select k1, k2, score, count(*) as n,
             -- both at scale 12: DuckDB gives decimals of two scales the smaller one (rounding) when 38 digits are not enough for both
             coalesce(cast(sum(revenue) as decimal(38, 12)) + sum(revenue_wide), cast(sum(revenue) as decimal(38, 12)),
                      sum(revenue_wide)) as revenue,
             max(revenue_scale) as scale, count(*) filter (where churned) as churned
      from respondents group by k1, k2, score) s
group by k1, k2

-- name: latest-by-aggregate
-- Each contact's latest answer per group, by arg_max over the answers (x: answer) of a group and
-- contact (received_us and response_id packed in one key), with the contact's revenue and churn:
-- over the answer table two to four times faster than ranking them (row_number), even where most
-- contacts have one answer per group (by quarter: 210 against 440 ms at 10,000,000 invitations).
select :grp, x.contact_id, arg_max(x.score, (cast(x.received_us as hugeint) << 64) + x.response_id) as score,
       max(x.received_us) as received_us, any_value(x.revenue) as revenue, any_value(x.revenue_wide) as revenue_wide,
       any_value(x.revenue_scale) as revenue_scale, any_value(x.churned_at) as churned_at
from answer x join campaign c on c.id = x.campaign_id :attribute_join :theme_join
where :sent_filter
group by k1, k2, x.contact_id

-- name: contact-join
-- The contact of each fact or decision, for --by tenure (attributes and --where have their own joins).
join contact ct on ct.id = x.contact_id

-- name: response-join
-- A decision's answer, for --by category: the fact of the same invitation, when answered (only the
-- answered facts are joined: a third of them).
left join (select f.invitation_id, f.score from fact f where f.score is not null) r on r.invitation_id = x.invitation_id

-- name: theme-join
-- --by theme in replica-outcomes: one row per theme an answer mentions.
join mention m on m.response_id = x.response_id

-- name: group-one
-- One dimension: the group's key is k1, no k2.
:first as k1, cast(null as varchar) as k2

-- name: group-two
-- Two dimensions: the group's key is the pair, ordered element by element.
:first as k1, :second as k2

-- name: dim-all
-- No breakdown: one group.
'all'

-- name: dim-campaign
-- The campaign's key.
c.key

-- name: dim-wave
-- The campaign and the cycle.
c.key || ' ' || x.cycle

-- name: dim-wave-of-campaign
-- With --campaign, the cycle alone (named by label-wave): a text built on every row cost 150 ms of
-- a 220 ms scan.
x.cycle

-- name: label-wave
-- A wave's name from its cycle, in the campaign :campaign of --campaign.
:campaign || ' ' || :key

-- name: dim-channel
-- The credited channel of a fact, or the channel of a decision's invitation; none is (none).
coalesce(x.channel, '(none)')

-- name: dim-month
-- The UTC month of the day (sent for a fact, planned for a decision), as a date stored with it:
-- grouped on it, named by label-month once per group (formatting every row cost more than the counting).
x.month

-- name: label-month
-- A month's name, as to_char(day, 'YYYY-MM').
strftime(:key, '%Y-%m')

-- name: dim-quarter
-- The UTC quarter of the day, as a date stored with it (named by label-quarter).
x.quarter

-- name: label-quarter
-- A quarter's name, as to_char(day, 'YYYY-"Q"Q').
strftime(:key, '%Y') || '-Q' || cast(quarter(:key) as varchar)

-- name: dim-tenure
-- dim-tenure of report.sql: whole days of 24 hours from onboarded_at (:onboarded) to :at (epoch microseconds).
case when :onboarded is null then '(none)'
     when :at - :onboarded < 91 * 86400000000 then '0-90d'
     when :at - :onboarded < 181 * 86400000000 then '91-180d'
     when :at - :onboarded < 366 * 86400000000 then '181-365d'
     when :at - :onboarded < 731 * 86400000000 then '1-2y'
     else '2y+' end

-- name: dim-category
-- The answer's category (:score: the fact's, or the answer of a decision's invitation).
case when :score is null then '(none)' when :score >= 9 then 'promoter' when :score >= 7 then 'passive'
     else 'detractor' end

-- name: dim-attribute
-- The code of the contact's current attribute, from :alias (attribute-join); label-attribute names it.
:alias.code

-- name: label-attribute
-- An attribute's value from its code, as PostgreSQL's ->> gives it; (none) without one.
coalesce((select v.value from attr_value v where v.name = :attribute and v.code = :key), '(none)')

-- name: attribute-join
-- The coded attribute :attribute of the fact's or decision's contact, as :alias (contact_code has a
-- row per contact and name, so an inner join keeps every fact of an existing contact).
join contact_code :alias on :alias.contact_id = x.contact_id and :alias.name = :attribute

-- name: two-joins
-- The attribute joins of two attribute dimensions, one after the other.
:first :second

-- name: labelled
-- The rows of :inner grouped on keys k1 and k2, with the groups' names g1 and g2 (:label1, :label2 over r.k1, r.k2).
select :label1 as g1, :label2 as g2, r.* exclude (k1, k2) from (:inner) r

-- name: dim-theme
-- --by theme in replica-outcomes.
m.theme_key

-- name: segment-attribute
-- One attribute of --where: the contact's current value is one of the values (:in, on a.value).
x.contact_id in (select a.contact_id from contact_attr a where a.name = :name and :in)
