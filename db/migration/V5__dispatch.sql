-- Dispatch: the shared rate of each channel, and what development mode captured.

-- One row per channel: the next free sending slot, in real time (clock_timestamp()). A dispatcher
-- reserves N slots by moving next_slot forward by N / rate, so the rate holds across every node
-- sharing the database; a provider's throttling answer moves it forward too.
create table channel_rate (
    channel    text        primary key check (channel in ('email', 'sms')),
    next_slot  timestamptz not null
);
insert into channel_rate (channel, next_slot) values ('email', '-infinity'), ('sms', '-infinity');

-- Development mode: what would have gone out (no SMTP host, no Twilio account), for /dev/mail and /dev/sms.
create table dev_capture (
    id          bigint generated always as identity primary key,
    channel     text        not null check (channel in ('email', 'sms')),
    message_id  bigint,
    recipient   text        not null,
    subject     text,
    body        text        not null,   -- SMS text, or the whole email as sent (RFC 5322, MIME)
    at          timestamptz not null
);
create index dev_capture_channel on dev_capture (channel, id);

-- The dispatcher's claim: queued messages that are due and not held by a live claim.
create index message_claim on message (channel, not_before) where status = 'queued';

-- Concurrent senders per channel across every node: a node leases slots for a batch and sends on
-- as many connections as it got, so the channel's concurrency holds cluster-wide.
create table channel_slot (
    channel     text        not null check (channel in ('email', 'sms')),
    slot        integer     not null,
    node        text,
    held_until  timestamptz,
    primary key (channel, slot)
);
