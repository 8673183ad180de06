-- The surveycast domain model (see DESIGN.md, "Domain").
-- Every timestamp is written by the application from its injected clock, never by now():
-- simulations (run-due --at, SURVEYCAST_CLOCK) must see the same instants as the code.

create table contact (
    id            bigint generated always as identity primary key,
    external_id   text        not null unique,
    email         text,
    phone         text,                       -- E.164
    name          text,
    locale        text,                       -- BCP 47 tag
    timezone      text,                       -- IANA zone id
    phone_timezone text,                      -- zone of the phone number (libphonenumber), when it has one
    onboarded_at  timestamptz,
    renewal_date  date,
    attributes    jsonb       not null default '{}'::jsonb,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    constraint contact_reachable check (email is not null or phone is not null)
);
create index contact_onboarded_at on contact (onboarded_at) where onboarded_at is not null;
create index contact_renewal_date on contact (renewal_date) where renewal_date is not null;

create table campaign (
    id               bigint generated always as identity primary key,
    key              text        not null unique,
    name             text        not null,
    status           text        not null check (status in ('active', 'paused', 'archived')),
    trigger_type     text        not null check (trigger_type in ('onboarding', 'renewal', 'recurring', 'event')),
    priority         integer     not null default 0,
    definition       jsonb       not null,     -- the validated YAML, normalised
    definition_hash  text        not null,     -- decides created / updated / unchanged on apply
    source_file      text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null
);

-- Incoming lifecycle events (POST /api/events), idempotent by the sender's event id.
create table event (
    id           bigint generated always as identity primary key,
    event_id     text        not null unique,
    contact_id   bigint      not null references contact (id) on delete cascade,
    name         text        not null,
    occurred_at  timestamptz not null,
    received_at  timestamptz not null,
    payload      jsonb       not null default '{}'::jsonb
);
create index event_name_occurred on event (name, occurred_at);

-- One survey request: unique per campaign, contact and cycle, so planning twice plans nothing new.
create table invitation (
    id            bigint generated always as identity primary key,
    campaign_id   bigint      not null,       -- campaigns are archived, never deleted: no foreign key,
                                              -- whose per-row check would double the cost of planning a wave
    contact_id    bigint      not null references contact (id) on delete cascade,
    cycle         text        not null,       -- onboarding | renewal:2027-03-01 | wave:2026-Q4 | event:<id>
    channel       text        check (channel in ('email', 'sms')),
    token         text        unique,
    status        text        not null check (status in
                      ('planned', 'skipped', 'sent', 'delivered', 'failed', 'responded', 'expired')),
    skip_reason   text        check (skip_reason in
                      ('suppressed', 'no_channel', 'sampled_out', 'not_in_audience', 'fatigue', 'too_late', 'expired')),
    defer_reason  text        check (defer_reason in ('fatigue', 'send_window', 'quiet_hours')),
    trigger_at    timestamptz not null,       -- when the cycle became due
    planned_at    timestamptz not null,
    invite_at     timestamptz,                -- when the invite is to go out (after fatigue and send window)
    expires_at    timestamptz,
    sent_at       timestamptz,
    responded_at  timestamptz,
    unique (campaign_id, contact_id, cycle)
);
create index invitation_contact_invite on invitation (contact_id, invite_at) where invite_at is not null;
create index invitation_open on invitation (campaign_id, invite_at) where status in ('planned', 'sent', 'delivered');

-- The outbox: one outgoing email or SMS.
create table message (
    id               bigint generated always as identity primary key,
    invitation_id    bigint      not null references invitation (id) on delete cascade,
    contact_id       bigint      not null,   -- copy of invitation.contact_id for the message cap; rows go with
                                             -- their invitation, so no foreign key (its check would slow waves)
    kind             text        not null check (kind in ('invite', 'reminder')),
    step             integer     not null default 0,   -- 0 for the invite, N for reminder N
    channel          text        not null check (channel in ('email', 'sms')),
    status           text        not null check (status in
                         ('queued', 'sent', 'delivered', 'failed', 'bounced', 'cancelled')),
    not_before       timestamptz not null,
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz,
    claimed_by       text,
    claimed_until    timestamptz,
    sent_at          timestamptz,
    delivered_at     timestamptz,
    provider_id      text,
    segments         integer,
    last_error       text,
    created_at       timestamptz not null,
    updated_at       timestamptz not null,
    unique (invitation_id, kind, step)
);
create index message_due on message (not_before) where status = 'queued';
create index message_contact on message (contact_id, not_before);
create index message_provider on message (provider_id) where provider_id is not null;

create table response (
    id             bigint generated always as identity primary key,
    invitation_id  bigint      not null unique references invitation (id) on delete cascade,
    score          smallint    not null check (score between 0 and 10),
    category       text        not null generated always as (
                       case when score >= 9 then 'promoter' when score >= 7 then 'passive' else 'detractor' end
                   ) stored,
    comment        text,
    channel        text        not null check (channel in ('email', 'sms', 'web')),
    received_at    timestamptz not null,
    updated_at     timestamptz not null
);
create index response_received on response (received_at);

-- Every answer as given, so a changed score keeps its history.
create table response_history (
    id           bigint generated always as identity primary key,
    response_id  bigint      not null references response (id) on delete cascade,
    score        smallint    not null check (score between 0 and 10),
    comment      text,
    channel      text        not null,
    at           timestamptz not null
);

create table suppression (
    contact_id  bigint      not null references contact (id) on delete cascade,
    channel     text        not null check (channel in ('email', 'sms')),
    reason      text        not null check (reason in ('unsubscribed', 'stop', 'hard_bounce', 'complaint')),
    at          timestamptz not null,
    source      text,
    primary key (contact_id, channel)
);

create table app_user (
    id          bigint generated always as identity primary key,
    name        text        not null unique,
    role        text        not null check (role in ('admin', 'ops', 'viewer')),
    token_hash  text        not null unique,   -- SHA-256 of the token, hex; the token itself is never stored
    created_at  timestamptz not null,
    disabled_at timestamptz
);

-- Who changed what: campaign applies, imports, pauses, users.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null,
    actor       text        not null,
    action      text        not null,
    entity      text        not null,
    entity_key  text,
    detail      jsonb       not null default '{}'::jsonb
);
create index audit_log_entity on audit_log (entity, entity_key, at);
