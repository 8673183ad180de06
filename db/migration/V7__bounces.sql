-- The bounce mailbox (routes/bounces.camel.yaml) and the unsubscribe page (/u/{token}).

-- Every mail read from the bounce mailbox, once: delivery status notifications (RFC 3464),
-- complaints (ARF, RFC 5965), mailto unsubscribes, and whatever else arrives there. The unique
-- mail_key makes processing idempotent (a mail read twice, or by two nodes, counts once); soft
-- bounces are counted from these rows.
create table inbound_mail (
    id           bigint generated always as identity primary key,
    mail_key     text        not null unique,   -- the mail's Message-ID, or sha256:<hex> of its bytes when it has none
    kind         text        not null check (kind in
                     ('hard_bounce', 'soft_bounce', 'complaint', 'unsubscribe', 'ignored', 'unreadable')),
    message_id   bigint,                        -- our message it is about, when it could be matched (no foreign key:
                                                -- messages go with their invitations, the record stays)
    contact_id   bigint      references contact (id) on delete cascade,
    status       text,                          -- RFC 3464 Status: 5.1.1, 4.2.2, ...
    detail       text,                          -- Diagnostic-Code, or why the mail was not understood
    received_at  timestamptz not null
);
create index inbound_mail_soft on inbound_mail (contact_id, message_id) where kind = 'soft_bounce';

-- Server-side secrets shared by every node: 'form-signing' keys the HMAC that protects the
-- unsubscribe page's forms against cross-site requests.
create table app_secret (
    name   text primary key,
    value  text not null
);
insert into app_secret (name, value)
values ('form-signing', encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex'));
