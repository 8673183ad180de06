-- Closing the loop: what is told about responses (detractor alerts, outgoing webhooks) goes
-- through this outbox, written in the response's own transaction. The response path never waits
-- for a receiver, and a receiver that is down is retried with backoff, never forgotten.
create table notification (
    id               bigint generated always as identity primary key,
    response_id      bigint      not null references response (id) on delete cascade,
    kind             text        not null check (kind in ('alert_webhook', 'alert_email', 'webhook')),
    event            text        not null check (event in ('detractor', 'response.created', 'response.updated')),
    target           text        not null,   -- a URL, or the email address of the account owner
    payload          text        not null,   -- the JSON body sent (webhooks), or the alert's facts (email)
    status           text        not null default 'queued' check (status in ('queued', 'sent', 'failed')),
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    created_at       timestamptz not null,
    sent_at          timestamptz
);
create index notification_due on notification (next_attempt_at) where status = 'queued';
create index notification_response on notification (response_id);
