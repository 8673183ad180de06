-- Claims as one row per batch instead of a write to every message row.
--
-- A claim used to update each claimed message (claimed_by, claimed_until, attempts): a second
-- full row version per message with four index entries, which could not be HOT (a batch claims
-- whole pages at once). Now a dispatcher holds a batch by one row listing its message ids, taken
-- under a per-channel advisory lock so that two nodes never list the same message; the row goes
-- once every outcome of the batch is recorded, or is taken over once held_until has passed (a
-- dead node's batch: its messages still queued count the lost attempt and become claimable).
create table dispatch_claim (
    name         text        primary key,
    channel      text        not null check (channel in ('email', 'sms')),
    message_ids  bigint[]    not null,
    held_until   timestamptz not null
);

-- claimed_until only ever held a message back after a provider's throttling answer now:
-- it says so. claimed_by is no longer written.
alter table message rename column claimed_until to held_until;
alter table message drop column claimed_by;
