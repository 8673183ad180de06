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
-- The attributes of the contacts a sync reloads.
delete from contact_attr where contact_id in (select id from changed_contact)

-- name: count-facts
-- For the log line of the first load.
select count(*) as n from fact
