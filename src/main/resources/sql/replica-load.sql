-- What the report replica (report/ReportReplica, schema in replica-schema.sql) copies from
-- PostgreSQL: each statement's rows are the rows of one replica table, in its column order, sent
-- by COPY ... TO STDOUT as CSV. :days is the campaign-days to copy (a select of campaign_id, day),
-- :contacts the contacts (a where clause on contact c). All run in one repeatable-read snapshot.

-- name: watermark
-- The newest version of the report replica (V35) in this snapshot: everything stamped up to it is
-- in what the snapshot shows.
-- And a fingerprint of the campaigns and themes (few rows, copied again only when it changes).
select greatest(coalesce((select max(version) from report_day_version), 0),
                coalesce((select max(version) from report_contact_version), 0)) as version,
       md5(coalesce((select string_agg(id || ' ' || key, ',' order by id) from campaign), '')
           || '/' || coalesce((select string_agg(key, ',' order by key) from theme), '')) as fingerprint

-- name: days-since
-- The campaign-days recomputed by a refresh after version :version.
select campaign_id, day from report_day_version where version > :version

-- name: contacts-since
-- The contacts written before a refresh after version :version.
c.id in (select contact_id from report_contact_version where version > :version)

-- name: campaigns
-- Every campaign's id and key (--campaign, wave names).
select id, key from campaign

-- name: themes
-- Every theme's key (a theme nobody mentions has its row too).
select key from theme

-- name: changed-contacts
-- The contacts stamped after :version, deleted ones too, for the replica to drop before it loads them again.
select contact_id from report_contact_version where version > :version

-- name: fact-columns
-- A fact after its campaign and day (replica-schema.sql's fact), from invitation i and response r.
(extract(epoch from coalesce(i.sent_at, i.invite_at)) * 1000000)::bigint, i.id, i.contact_id, i.cycle,
coalesce((select vm.channel from message vm where vm.id = r.via_message_id), i.channel),
i.status = 'failed', coalesce(i.channel = 'offline', false), r.id, r.score,
(extract(epoch from r.received_at) * 1000000)::bigint, :answer_step,
case when i.channel is distinct from 'offline' then extract(epoch from r.received_at - i.sent_at)::float8 end,
case when r.id is not null then coalesce(btrim(r.comment), '') <> '' end,
date_trunc('month', coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date,
date_trunc('quarter', coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date

-- name: facts-all
-- Every counted invitation, for the first load.
select i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date, :columns
from invitation i left join response r on r.invitation_id = i.id
where i.sent_at is not null or i.status = 'failed'

-- name: counted-of-days
-- The counted invitations i of the campaign-days k in :days, per day through the index (offset 0
-- keeps it a per-key scan), as report.sql's raw-of-days reads them.
(:days) k
cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
     and (i.sent_at is not null or i.status = 'failed')
     and (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date = k.day offset 0) i

-- name: facts-of-days
-- As report.sql's raw-of-days: per day through the index.
select i.campaign_id, k.day, :columns
from :counted
left join response r on r.invitation_id = i.id

-- name: decision-columns
-- A decision (replica-schema.sql's decision) of invitation i, one row per reason.
i.campaign_id, (i.planned_at at time zone 'UTC')::date, (extract(epoch from i.planned_at) * 1000000)::bigint,
i.id, i.contact_id, i.cycle, i.channel, v.kind, v.reason,
date_trunc('month', i.planned_at at time zone 'UTC')::date, date_trunc('quarter', i.planned_at at time zone 'UTC')::date

-- name: decision-reasons
-- A decided invitation's skip and deferral reasons, one row each.
cross join lateral (values
     ('skip', coalesce(i.skip_reason, case when i.status = 'expired' and i.sent_at is null then 'expired' end)),
     ('defer', i.defer_reason)) v(kind, reason)
where v.reason is not null

-- name: decisions-all
-- Every skip and deferral, for the first load.
select :columns
from invitation i :reasons
  and (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))

-- name: decisions-of-days
-- As report.sql's decisions-of-days.
select :columns
from (:days) k
cross join lateral (select * from invitation i where i.campaign_id = k.campaign_id
     and (i.skip_reason is not null or i.defer_reason is not null or (i.status = 'expired' and i.sent_at is null))
     and (i.planned_at at time zone 'UTC')::date = k.day offset 0) i
:reasons

-- name: mentions-all
-- Every theme an answer mentions, for the first load.
select i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date, rt.response_id, rt.theme_key
from response_theme rt join response r on r.id = rt.response_id join invitation i on i.id = r.invitation_id
where i.sent_at is not null or i.status = 'failed'

-- name: mentions-of-days
-- The themes the answers of the campaign-days in :days mention.
select i.campaign_id, k.day, rt.response_id, rt.theme_key
from :counted
join response r on r.invitation_id = i.id
join response_theme rt on rt.response_id = r.id

-- name: contacts
-- Revenue (the attribute :revenue, as report_number reads it) fits decimal(38, 12) in the replica:
-- a value with more than 12 decimals or 26 digits before the point counts as no number there.
select c.id, (extract(epoch from c.onboarded_at) * 1000000)::bigint, c.churned_at,
       case when scale(n.v) <= 12 and abs(n.v) < 1e26 then n.v end,
       case when scale(n.v) <= 12 and abs(n.v) < 1e26 then scale(n.v) end
from contact c cross join lateral (select report_number(c.attributes ->> :revenue) as v) n
where :contacts

-- name: contact-attributes
-- Every attribute of a contact as text (as ->> gives it); a JSON null is no value.
select c.id, e.key, e.value
from contact c
cross join lateral jsonb_each_text(case when jsonb_typeof(c.attributes) = 'object' then c.attributes else '{}' end) e
where e.value is not null and :contacts
