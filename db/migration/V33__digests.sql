-- Digests as code (issue 17.1): each digest as applied from YAML, and each one sent.
create table digest (
    name             text        primary key,
    definition       jsonb       not null,   -- cron, timezone, period, filter, to (as DigestDefinition writes it)
    definition_hash  text        not null,
    file             text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- A digest sent: its period (UTC days, period_end excluded), written in the same transaction as
-- its outbox rows. A scheduled digest is sent once per period, whatever the number of nodes or
-- scans that find it due: the second insert of (digest, period_end) conflicts and queues nothing.
-- `digests send` (a manual send) always sends and is recorded as 'manual'.
create table digest_run (
    id            bigint generated always as identity primary key,
    digest        text        not null references digest (name) on delete cascade,
    trigger       text        not null check (trigger in ('schedule', 'manual')),
    period_start  date        not null,
    period_end    date        not null,
    fired_at      timestamptz,            -- the cron firing a scheduled digest is for
    recipients    integer     not null,
    created_at    timestamptz not null
);
create unique index digest_run_once on digest_run (digest, period_end) where trigger = 'schedule';

-- Digests go through the notification outbox (kind 'email', composed when queued, and 'webhook'
-- for Slack-compatible incoming webhooks), so they are retried and leased like the others; they are
-- about no response.
alter table notification alter column response_id drop not null;
-- The event 'digest' is added to whatever events the check allows (other migrations extend it too).
do $$
declare
    allowed text;
begin
    select pg_get_constraintdef(oid) into allowed from pg_constraint
    where conrelid = 'notification'::regclass and conname = 'notification_event_check';
    alter table notification drop constraint notification_event_check;
    execute format('alter table notification add constraint notification_event_check check (event = %L or (%s))',
                   'digest', substring(allowed from '^CHECK \((.*)\)$'));
end
$$;
