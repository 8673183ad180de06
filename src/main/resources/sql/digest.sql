-- name: all
-- Every digest with its last scheduled period (a manual send does not count: the scheduled one still
-- goes out) and its last send of either kind, for `digests list` and GET /api/digests.
select d.name, d.definition::text as definition, d.file,
       (select max(r.period_end) from digest_run r where r.digest = d.name and r.trigger = 'schedule') as last_period_end,
       (select max(r.created_at) from digest_run r where r.digest = d.name) as last_sent_at
from digest d
order by d.name

-- name: find
-- One digest by name.
select d.name, d.definition::text as definition, d.definition_hash, d.created_at
from digest d where d.name = :name

-- name: insert
-- A digest applied for the first time; created_at is when scheduled sends may start (no firing before it is sent).
insert into digest (name, definition, definition_hash, file, created_at, updated_at)
values (:name, :definition::jsonb, :hash, :file, :now, :now)

-- name: update
-- A digest applied again with a new definition; created_at stays.
update digest set definition = :definition::jsonb, definition_hash = :hash, file = :file, updated_at = :now
where name = :name

-- name: claim-scheduled
-- The scheduled send of one period, once: a second node or scan (or a firing caught up later)
-- conflicts on digest_run_once and gets no row, so it queues nothing. Waits for a node inserting the
-- same row to commit or roll back (then it inserts it itself).
insert into digest_run (digest, trigger, period_start, period_end, fired_at, recipients, created_at)
values (:digest, 'schedule', :period_start, :period_end, :fired_at, :recipients, :now)
on conflict (digest, period_end) where trigger = 'schedule' do nothing
returning id

-- name: insert-manual
-- `digests send`: always sends, recorded beside the scheduled ones.
insert into digest_run (digest, trigger, period_start, period_end, fired_at, recipients, created_at)
values (:digest, 'manual', :period_start, :period_end, null, :recipients, :now)
returning id

-- name: recent-comments
-- The comments of the answers a report of the period counts (invitations sent in the period's UTC
-- days, the campaign, the contacts matching every attribute of :segment, a JSON object of value
-- lists, as report --where), detractors first, then the latest.
select r.id, r.score, r.comment, r.received_at, c.key as campaign
from invitation i
join campaign c on c.id = i.campaign_id
join contact ct on ct.id = i.contact_id
join response r on r.invitation_id = i.id
where r.comment is not null and btrim(r.comment) <> ''
  and i.sent_at >= :from_day::date::timestamp at time zone 'UTC'
  and i.sent_at < :to_day::date::timestamp at time zone 'UTC'
  and (:campaign::text is null or c.key = :campaign::text)
  and not exists (select 1 from jsonb_each(:segment::jsonb) s(name, vals)
                  where (ct.attributes ->> s.name) is null
                     or (ct.attributes ->> s.name) not in (select jsonb_array_elements_text(s.vals)))
order by (r.score <= 6) desc, r.received_at desc, r.id desc
limit :limit

-- name: campaign-exists
-- A digest's filter must name a campaign that exists (as report --campaign).
select exists (select 1 from campaign where key = :key) as found
