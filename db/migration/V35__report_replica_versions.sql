-- The report replica (issue 16.5, report/ReportReplica): each server keeps an in-process copy of
-- the report facts and brings it up to date before each report. It must learn what changed since
-- its last look without scanning ten million invitations, and never miss a change.
--
-- How: the roll-up refresh (V10, report.sql's refresh) already runs one at a time and recomputes
-- every campaign-day a committed write marked dirty. It now also stamps those days, and the
-- contacts changed since (report_contact_dirty, below), with a version from report_version. As
-- refreshes are serialised by their advisory lock (held until commit), a later version always
-- commits after an earlier one: a node that applied everything up to version N reloads exactly
-- the days and contacts stamped above N, from a snapshot taken after that refresh committed.
-- A change committed after a refresh's snapshot keeps its marker for the next refresh, as V10 says.

create sequence report_version;

create table report_day_version (
    campaign_id  bigint not null,
    day          date   not null,
    version      bigint not null,
    primary key (campaign_id, day)
);
create index report_day_version_version on report_day_version (version);

-- Contacts written since the last refresh (insert-only, like report_dirty: no row locks shared
-- between writers).
create table report_contact_dirty (
    contact_id  bigint not null
);

create table report_contact_version (
    contact_id  bigint primary key,
    version     bigint not null
);
create index report_contact_version_version on report_contact_version (version);

-- What reports read of a contact: its attributes (segments, account, revenue), onboarded_at
-- (tenure) and churned_at (churn). Other changes (an email address, a name) are not marked.
create function report_mark_contacts() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        insert into report_contact_dirty (contact_id) select n.id from new_rows n;
    elsif tg_op = 'DELETE' then
        insert into report_contact_dirty (contact_id) select o.id from old_rows o;
    else
        insert into report_contact_dirty (contact_id)
        select n.id from old_rows o join new_rows n on n.id = o.id
        where (o.attributes, o.onboarded_at, o.churned_at) is distinct from (n.attributes, n.onboarded_at, n.churned_at);
    end if;
    return null;
end
$$;
create trigger report_contact_inserted after insert on contact
    referencing new table as new_rows for each statement execute function report_mark_contacts();
create trigger report_contact_updated after update on contact
    referencing old table as old_rows new table as new_rows for each statement execute function report_mark_contacts();
create trigger report_contact_deleted after delete on contact
    referencing old table as old_rows for each statement execute function report_mark_contacts();

-- The themes an answer mentions are report facts too (--by theme): a tag added or removed marks
-- its invitation's day, so the replica reloads it. (A deleted answer marks its day itself.)
create function report_mark_mentions_written() returns trigger
    language plpgsql
as $$
begin
    insert into report_dirty (campaign_id, day)
    select distinct i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date
    from new_rows rt join response r on r.id = rt.response_id join invitation i on i.id = r.invitation_id
    where i.sent_at is not null or i.status = 'failed';
    return null;
end
$$;
create function report_mark_mentions_deleted() returns trigger
    language plpgsql
as $$
begin
    insert into report_dirty (campaign_id, day)
    select distinct i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date
    from old_rows rt join response r on r.id = rt.response_id join invitation i on i.id = r.invitation_id
    where i.sent_at is not null or i.status = 'failed';
    return null;
end
$$;
create trigger report_mention_inserted after insert on response_theme
    referencing new table as new_rows for each statement execute function report_mark_mentions_written();
create trigger report_mention_deleted after delete on response_theme
    referencing old table as old_rows for each statement execute function report_mark_mentions_deleted();
