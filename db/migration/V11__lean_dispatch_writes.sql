-- Survey tokens are derived, not drawn: the dispatcher computes an invitation's token as an HMAC of
-- its id under this secret (every node shares it) and stores it with the sent record, in the same
-- row update that marks the invitation sent. Before, a token was drawn by a separate update of each
-- invitation before sending, which cost as much as the rest of a message's database work. Being
-- derived, the token is the same on every attempt: an email accepted by the server just before a
-- crash carries the token its retry records. Tokens already stored (drawn) stay valid.
insert into app_secret (name, value)
values ('survey-token', encode(sha256((gen_random_uuid()::text || gen_random_uuid()::text)::bytea), 'hex'));

-- Fewer index entries per message row written: each message is written three times (planned,
-- claimed, sent), and none of these writes can be a HOT update, so every index costs on each.
-- message_due duplicated message_claim (the same rows, with the channel first): the due probe and
-- the forecast name both channels and use message_claim instead.
drop index message_due;
-- An email's provider id is its Message-ID, which carries the message id (<m123.i45@domain>):
-- bounce reports are matched through the primary key. Only Twilio's message SIDs, which arrive
-- alone in status callbacks, need this index.
drop index message_provider;
create index message_provider on message (provider_id) where provider_id is not null and channel = 'sms';
