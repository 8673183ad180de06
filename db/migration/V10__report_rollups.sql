-- Report roll-ups (issue 6, docs/PERFORMANCE.md "Reports"): per campaign, UTC day and channel,
-- what a report needs, so a campaign report over ten million invitations reads a few thousand
-- rows instead of the raw ones.
--
-- How they stay exact: writers never touch the roll-ups. Triggers on invitation, response and
-- message only append a marker (campaign, day) to report_dirty for every day whose figures a
-- change may alter (insert-only: no row locks shared between writers, no deadlocks). A report
-- reads, in ONE statement (one snapshot), the roll-up rows of clean days and the raw rows of the
-- days marked dirty. A refresh (ReportQueries.refresh, run by Reports before reading, one at a
-- time under an advisory lock) deletes the markers it sees and recomputes those days from the raw
-- rows, in ONE statement too: a change committed before its snapshot is in the recomputation and
-- its marker is deleted; a change committed after it keeps its marker, so readers still take that
-- day from the raw rows. A change not yet committed is invisible with its marker.
-- A response or a reminder marks the day its invitation has in the writer's snapshot; that day
-- does not move once an answer is possible (sent_at is set once, when the invite goes out, and the
-- survey token only exists from then on).
--
-- Days: an invitation counts (invited, failed, responses, lift) on the UTC day its invite went out
-- (or the day it was to go, for one that failed before going): coalesce(sent_at, invite_at), for
-- rows with sent_at or status 'failed'. Skips and deferrals count on the UTC day of planned_at.

create table report_day (
    campaign_id  bigint           not null,
    day          date             not null,
    channel      text,
    invited      bigint           not null,
    failed       bigint           not null,
    responded    bigint           not null,
    s0 bigint not null, s1 bigint not null, s2 bigint not null, s3 bigint not null, s4 bigint not null,
    s5 bigint not null, s6 bigint not null, s7 bigint not null, s8 bigint not null, s9 bigint not null,
    s10 bigint not null
);
create index report_day_key on report_day (campaign_id, day);

-- Seconds from invite to answer, exact, by hour since the invite: a median reads the counts of
-- every bucket and the values of the one or two buckets holding the middle.
create table report_delay_day (
    campaign_id  bigint  not null,
    day          date    not null,
    channel      text,
    bucket       integer not null,               -- floor(seconds / 3600)
    n            bigint  not null,
    delays       double precision[] not null     -- sorted
);
create index report_delay_day_key on report_delay_day (campaign_id, day);

-- Responses by the last reminder step sent before them (0: the invite).
create table report_lift_day (
    campaign_id  bigint  not null,
    day          date    not null,
    channel      text,
    step         integer not null,
    n            bigint  not null
);
create index report_lift_day_key on report_lift_day (campaign_id, day);

-- Skips and deferrals by reason, on the day they were planned.
create table report_decision_day (
    campaign_id  bigint  not null,
    day          date    not null,
    channel      text,
    kind         text    not null check (kind in ('skip', 'defer')),
    reason       text    not null,
    n            bigint  not null
);
create index report_decision_day_key on report_decision_day (campaign_id, day);

create table report_dirty (
    campaign_id  bigint not null,
    day          date   not null
);
create index report_dirty_key on report_dirty (campaign_id, day);

-- The raw rows of one campaign and day, for readers of dirty days and for the refresh.
create index invitation_report_day on invitation (campaign_id, ((coalesce(sent_at, invite_at) at time zone 'UTC')::date))
    where sent_at is not null or status = 'failed';
create index invitation_report_decided on invitation (campaign_id, ((planned_at at time zone 'UTC')::date))
    where skip_reason is not null or defer_reason is not null or (status = 'expired' and sent_at is null);

-- The days an invitation row counts on (none for a planned invitation with no decision to report).
create function report_days(campaign_id bigint, status text, sent_at timestamptz, invite_at timestamptz,
                            planned_at timestamptz, skip_reason text, defer_reason text)
    returns table (campaign_id bigint, day date)
    language sql immutable parallel safe
as $$
    select campaign_id, (coalesce(sent_at, invite_at) at time zone 'UTC')::date
    where sent_at is not null or status = 'failed'
    union all
    select campaign_id, (planned_at at time zone 'UTC')::date
    where skip_reason is not null or defer_reason is not null or (status = 'expired' and sent_at is null)
$$;

create function report_mark_invitations() returns trigger
    language plpgsql
as $$
begin
    if tg_op = 'INSERT' then
        insert into report_dirty (campaign_id, day)
        select distinct d.campaign_id, d.day
        from new_rows n,
             report_days(n.campaign_id, n.status, n.sent_at, n.invite_at, n.planned_at, n.skip_reason, n.defer_reason) d;
    elsif tg_op = 'DELETE' then
        insert into report_dirty (campaign_id, day)
        select distinct d.campaign_id, d.day
        from old_rows o,
             report_days(o.campaign_id, o.status, o.sent_at, o.invite_at, o.planned_at, o.skip_reason, o.defer_reason) d;
    else
        -- only rows whose reported facts changed (not sent -> delivered -> responded, say: a
        -- response marks its own day)
        insert into report_dirty (campaign_id, day)
        select distinct d.campaign_id, d.day
        from old_rows o join new_rows n on n.id = o.id,
             lateral (select * from report_days(o.campaign_id, o.status, o.sent_at, o.invite_at, o.planned_at,
                                                o.skip_reason, o.defer_reason)
                      union all
                      select * from report_days(n.campaign_id, n.status, n.sent_at, n.invite_at, n.planned_at,
                                                n.skip_reason, n.defer_reason)) d
        where (o.campaign_id, o.contact_id, o.cycle, o.channel, o.status = 'failed', o.status = 'expired', o.sent_at,
               o.invite_at, o.planned_at, o.skip_reason, o.defer_reason)
              is distinct from
              (n.campaign_id, n.contact_id, n.cycle, n.channel, n.status = 'failed', n.status = 'expired', n.sent_at,
               n.invite_at, n.planned_at, n.skip_reason, n.defer_reason);
    end if;
    return null;
end
$$;
create trigger report_invitation_inserted after insert on invitation
    referencing new table as new_rows for each statement execute function report_mark_invitations();
create trigger report_invitation_updated after update on invitation
    referencing old table as old_rows new table as new_rows for each statement execute function report_mark_invitations();
create trigger report_invitation_deleted after delete on invitation
    referencing old table as old_rows for each statement execute function report_mark_invitations();

-- A response (new, changed or deleted) changes the figures of its invitation's day.
create function report_mark_responses_deleted() returns trigger
    language plpgsql
as $$
begin
    insert into report_dirty (campaign_id, day)
    select distinct i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date
    from old_rows r join invitation i on i.id = r.invitation_id
    where i.sent_at is not null or i.status = 'failed';
    return null;
end
$$;
create function report_mark_responses_written() returns trigger
    language plpgsql
as $$
begin
    insert into report_dirty (campaign_id, day)
    select distinct i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date
    from new_rows r join invitation i on i.id = r.invitation_id
    where i.sent_at is not null or i.status = 'failed';
    return null;
end
$$;
create trigger report_response_inserted after insert on response
    referencing new table as new_rows for each statement execute function report_mark_responses_written();
create trigger report_response_updated after update on response
    referencing new table as new_rows for each statement execute function report_mark_responses_written();
create trigger report_response_deleted after delete on response
    referencing old table as old_rows for each statement execute function report_mark_responses_deleted();

-- A reminder recorded as sent may move a response of its invitation to its step. Marked always,
-- not only when a response is visible: one may be committing at the same moment.
create function report_mark_reminder() returns trigger
    language plpgsql
as $$
begin
    insert into report_dirty (campaign_id, day)
    select i.campaign_id, (coalesce(i.sent_at, i.invite_at) at time zone 'UTC')::date
    from invitation i
    where i.id = new.invitation_id and (i.sent_at is not null or i.status = 'failed');
    return null;
end
$$;
create trigger report_reminder_sent after update of sent_at on message
    for each row when (new.kind = 'reminder' and new.sent_at is distinct from old.sent_at)
    execute function report_mark_reminder();
create trigger report_reminder_inserted_sent after insert on message
    for each row when (new.kind = 'reminder' and new.sent_at is not null)
    execute function report_mark_reminder();
