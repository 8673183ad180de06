-- What the report replica (report/ReportReplica) runs in DuckDB to apply what it copied from
-- PostgreSQL (replica-load.sql) in one transaction: the rows of each table arrive as a CSV file
-- written by PostgreSQL's COPY.

-- name: copy-out
-- PostgreSQL side: the rows of :select as CSV (NULL unquoted and empty, an empty text "").
copy (:select) to stdout with (format csv)

-- name: read-copy
-- Appends the CSV file :file to the replica table :table; an empty quoted string stays a string.
copy :table from :file (format csv, header false, auto_detect false, delim ',', quote '"', escape '"', allow_quoted_nulls false)

-- name: empty-table
-- Before the first load, or before themes and campaigns are copied again.
delete from :table

-- name: drop-changed-days
-- The rows of :table (fact, decision, mention) on the campaign-days a sync reloads.
delete from :table as t using changed_day k where t.campaign_id = k.campaign_id and t.day = k.day

-- name: drop-changed-contacts
-- The contacts a sync reloads (deleted ones stay deleted).
delete from contact where id in (select id from changed_contact)

-- name: drop-changed-attributes
-- The attributes of the contacts a sync reloads, as text (:table contact_attr) and coded (contact_code).
delete from :table where contact_id in (select id from changed_contact)

-- name: changed-contact-count
-- Whether a sync reloads any contact (coding their attributes costs a scan of every attribute).
select count(*) as n from changed_contact

-- name: all-contacts-changed
-- The first load codes every contact's attributes, as a sync does for the contacts it reloads.
insert into changed_contact select id from contact

-- name: code-new-names
-- An attribute name seen for the first time: every contact not reloaded now has no value for it
-- (code 0); the reloaded ones get a row for every name next (code-reloaded-contacts).
insert into contact_code
select c.id, n.name, 0
from contact c
cross join (select distinct a.name from contact_attr a where a.contact_id in (select id from changed_contact)
            except select name from attr_name) n
where c.id not in (select id from changed_contact)

-- name: add-new-names
-- The attribute names of the reloaded contacts not known before.
insert into attr_name
select distinct a.name from contact_attr a where a.contact_id in (select id from changed_contact)
except select name from attr_name

-- name: code-new-values
-- A code for each value of the reloaded contacts not coded before ('(none)' stays code 0).
insert into attr_value
select n.name, n.value, (select coalesce(max(code), 0) from attr_value) + row_number() over (order by n.name, n.value)
from (select distinct a.name, a.value from contact_attr a
      where a.contact_id in (select id from changed_contact) and a.value <> '(none)'
      except select name, value from attr_value) n

-- name: code-reloaded-contacts
-- Every attribute name of each reloaded contact, with its value's code (0: none).
insert into contact_code
select c.id, n.name, coalesce(v.code, 0)
from contact c
cross join attr_name n
left join contact_attr a on a.contact_id = c.id and a.name = n.name
left join attr_value v on v.name = a.name and v.value = a.value
where c.id in (select id from changed_contact)

-- name: note-answerers-of-changed-days
-- The contacts with an answer on the campaign-days a sync reloads, before the old rows are dropped
-- and after the new ones are read: their latest answers may change either way (answer, in replica-schema.sql).
insert into changed_answerer
select x.contact_id from fact x join changed_day k on k.campaign_id = x.campaign_id and k.day = x.day
where x.score is not null

-- name: note-reloaded-answerers
-- The contacts reloaded (a new revenue, or gone): their answers are computed again too.
insert into changed_answerer select id from changed_contact

-- name: changed-answerer-count
-- Whether a sync computes any contact's answers again.
select count(*) as n from changed_answerer

-- name: drop-changed-answers
-- The answers of the contacts computed again.
delete from answer where contact_id in (select id from changed_answerer)

-- name: add-changed-answers
-- Every answer of those contacts, with their revenue, churn and onboarding, and which scopes it is their latest answer in
-- (the largest received_us, then response_id: replica-outcomes ranks them so); a contact no longer in
-- contact has none, as replica-outcomes joins the contact. :category and :tenure are replica-report.sql's
-- dim-category and dim-tenure of the fact and its contact ct.
insert into answer
select x.campaign_id, x.day, x.month, x.quarter, x.cycle, x.contact_id, x.response_id, x.score, x.channel, x.at_us,
       x.received_us,
       case when ct.revenue_scale <= 6 and abs(ct.revenue) < 1000000000000 then cast(ct.revenue as decimal(18, 6)) end,
       case when ct.revenue_scale > 6 or abs(ct.revenue) >= 1000000000000 then ct.revenue end,
       ct.revenue_scale, ct.churned_at, ct.onboarded_us,
       row_number() over (partition by x.contact_id order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.month order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.quarter order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id, x.month
                          order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id, x.quarter
                          order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id, x.cycle
                          order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, :category order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id, :category
                          order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, :tenure order by x.received_us desc, x.response_id desc) = 1,
       row_number() over (partition by x.contact_id, x.campaign_id, :tenure
                          order by x.received_us desc, x.response_id desc) = 1
from fact x join contact ct on ct.id = x.contact_id
where x.score is not null and x.contact_id in (select id from changed_answerer)

-- name: facts-per-day
-- The counted invitations per campaign and day, after each sync that changed some (ReportReplica.sparse).
select c.key, x.day, count(*) as n from fact x join campaign c on c.id = x.campaign_id group by all

-- name: count-facts
-- For the log line of the first load.
select count(*) as n from fact
