-- The nodes sending on each channel, so that they share its concurrency slots fairly (issue 18.1).
--
-- A node sending on a channel keeps a row here alive (alive_until, a few seconds ahead, renewed
-- about twice a second) and, under a per-channel advisory lock, holds its share of the channel's
-- slots: the slots divided by the live nodes, the remainder to the first nodes by name. A node
-- holding more than its share gives slots back as its senders finish; one that died stops
-- renewing, and its row and its slots lapse within seconds (the slot lease is as short).
create table channel_node (
    channel     text        not null check (channel in ('email', 'sms')),
    node        text        not null,
    alive_until timestamptz not null,
    primary key (channel, node)
);
