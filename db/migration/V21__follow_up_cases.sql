-- Follow-up cases (issue 14): someone reaches out to each answer the campaign's follow-up rules
-- name (every detractor by default) and the work is tracked here.
--
-- One case per response (a response is one invitation's answer): when the answer changes within
-- its 24 hours the same case follows it (moved, closed as score_changed, or opened again).
-- category is the category that opened the case; overdue_at is when it was escalated (once).
create table follow_up_case (
    id               bigint generated always as identity primary key,
    response_id      bigint      not null unique references response (id) on delete cascade,
    invitation_id    bigint,
    contact_id       bigint      not null references contact (id) on delete cascade,
    campaign_id      bigint      not null,   -- campaigns are archived, never deleted
    category         text        not null check (category in ('detractor', 'passive', 'promoter')),
    owner            text,
    status           text        not null check (status in ('open', 'in_progress', 'closed')),
    opened_at        timestamptz not null,
    due_at           timestamptz not null,
    first_action_at  timestamptz,
    closed_at        timestamptz,
    close_reason     text,
    overdue_at       timestamptz,
    updated_at       timestamptz not null,
    constraint follow_up_case_closed check ((status = 'closed') = (closed_at is not null))
);
-- the queue: cases not closed, by due time (overdue first is the same order)
create index follow_up_case_due on follow_up_case (due_at, id) where status <> 'closed';
create index follow_up_case_owner on follow_up_case (owner, due_at) where status <> 'closed';
create index follow_up_case_contact on follow_up_case (contact_id);
create index follow_up_case_campaign on follow_up_case (campaign_id, due_at);

create table case_note (
    id       bigint generated always as identity primary key,
    case_id  bigint      not null references follow_up_case (id) on delete cascade,
    author   text        not null,
    at       timestamptz not null,
    text     text        not null
);
create index case_note_case on case_note (case_id, at);

-- Answers whose case rules are to be applied: filled by this trigger in the transaction that
-- stores an answer or changes its category, whatever wrote it (survey page, SMS reply, an import),
-- and emptied by the worker in the transaction that opens, moves or closes the case.
create table case_queue (
    response_id  bigint      primary key references response (id) on delete cascade,
    queued_at    timestamptz not null
);

create function queue_case_rules() returns trigger language plpgsql as $$
begin
    if tg_op = 'UPDATE' and new.category is not distinct from old.category then
        return new;
    end if;
    insert into case_queue (response_id, queued_at) values (new.id, new.updated_at)
    on conflict (response_id) do update set queued_at = excluded.queued_at;
    return new;
end $$;

create trigger response_case_queue
    after insert or update of score on response
    for each row
    execute function queue_case_rules();

-- Case webhooks and emails go through the notification outbox (signed, retried, leased like the
-- others). 'email' is an email composed when queued (subject, text, html in payload).
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
    check (kind in ('alert_webhook', 'alert_email', 'webhook', 'email'));
alter table notification drop constraint notification_event_check;
alter table notification add constraint notification_event_check
    check (event in ('detractor', 'response.created', 'response.updated',
                     'case.opened', 'case.overdue', 'case.closed', 'case.assigned'));
