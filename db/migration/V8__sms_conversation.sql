-- The SMS conversation: what the next reply to an invitation sent by SMS means, and every text
-- received on the Twilio webhook, kept for audit (what was said, what we made of it, what we replied).

-- One row per invitation that has had a reply by SMS. No row: the next reply is read as a score.
create table sms_conversation (
    invitation_id  bigint      primary key references invitation (id) on delete cascade,
    state          text        not null check (state in (
                       'reprompted',        -- one unreadable reply: asked again for a number from 0 to 10
                       'gave_help',         -- a second unreadable reply: told where else to answer; later ones get no reply
                       'awaiting_comment',  -- score recorded, "why?" asked at why_asked_at
                       'done')),            -- comment recorded, or the time for it passed: later replies are only logged
    why_asked_at   timestamptz,
    updated_at     timestamptz not null
);

create table sms_inbound (
    id             bigint      generated always as identity primary key,
    message_sid    text        unique,       -- Twilio's SM...: the same webhook twice is answered the same, once
    from_number    text        not null,
    contact_id     bigint      references contact (id) on delete set null,
    invitation_id  bigint      references invitation (id) on delete set null,
    body           text        not null,
    handled_as     text        not null check (handled_as in ('received', 'score', 'comment', 'reprompt', 'unreadable',
                       'ignored', 'expired', 'closed', 'stop', 'start', 'help', 'unknown_sender')),
    reply          text,                     -- the text we answered with, null when none
                                             -- (handled_as is 'received' only while the reply is being handled)
    received_at    timestamptz not null
);
create index sms_inbound_contact on sms_inbound (contact_id, received_at);
create index sms_inbound_invitation on sms_inbound (invitation_id) where invitation_id is not null;

-- Finding the sender: contacts by phone number (E.164).
create index contact_phone on contact (phone) where phone is not null;
