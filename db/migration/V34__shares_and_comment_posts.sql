-- Wall-display shares (issue 17.3): a read-only link to the overview, no sign-in. Only the
-- token's SHA-256 is stored, like API tokens and sessions: the link is shown once, at creation.
-- `hint` keeps the token's first characters so that `shares list` can show which link is which.
create table wall_share (
    id          bigint      generated always as identity primary key,
    token_hash  text        not null unique,
    hint        text        not null,
    created_by  text        not null,
    created_at  timestamptz not null,
    expires_at  timestamptz,            -- null: until revoked
    revoked_at  timestamptz
);

-- Every comment in Slack (issue 17.2): a campaign with `alerts.every-comment: true` posts each
-- answer with a comment to its webhook, through the notification outbox. One post per response:
-- the unique index makes a second queueing (two nodes, a retried transaction) a no-op.
alter table notification drop constraint notification_kind_check;
alter table notification add constraint notification_kind_check
    check (kind in ('alert_webhook', 'alert_email', 'webhook', 'email', 'comment_webhook'));
alter table notification drop constraint notification_event_check;
alter table notification add constraint notification_event_check
    check (event in ('detractor', 'response.created', 'response.updated',
                     'case.opened', 'case.overdue', 'case.closed', 'case.assigned', 'comment'));
create unique index notification_one_comment_post on notification (response_id) where kind = 'comment_webhook';
