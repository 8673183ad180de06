-- A provider's throttling (Twilio 429, SMTP 421 / 4.7.x) slows the whole channel on every node.
--
-- throttle_level: how many throttling answers in a row the channel has had, each after the pause
-- the one before led to (answers to requests already on the wire when the pause began do not
-- count). The pause after an answer is 2^(level-1) seconds (capped at a minute), or the
-- provider's Retry-After when longer; next_slot moves past it. After the pause the channel sends
-- at rate / 2^level, and the level falls by one every two seconds without a throttling answer,
-- so the rate comes back gradually. throttled_until: when the last pause ends.
alter table channel_rate
    add column throttle_level  integer     not null default 0,
    add column throttled_until timestamptz;
