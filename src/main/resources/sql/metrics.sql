-- name: outbox
-- The outbox per channel, in one snapshot: queued messages due at :now and not in a batch, due and
-- listed in a batch a dispatcher still holds (on the wire or about to be; held_until is the
-- database's clock, as the dispatcher writes it), scheduled later, and when the oldest due one became
-- due. The queued rows are read through the partial index message_claim (channel, not_before) where
-- status = 'queued': the cost follows the backlog, never the history of sent messages; a batch lists
-- a few hundred ids at most.
with queued as (
    select channel,
           count(*) filter (where not_before <= :now) as due,
           count(*) filter (where not_before > :now) as scheduled,
           min(not_before) filter (where not_before <= :now) as oldest_due
    from message
    where status = 'queued'
    group by channel
), claimed as (
    select c.channel, count(*) as claimed
    from dispatch_claim c
    cross join lateral unnest(c.message_ids) as listed(id)
    join message m on m.id = listed.id
    where c.held_until > clock_timestamp() and m.status = 'queued' and m.not_before <= :now
    group by c.channel
)
select q.channel, q.due - coalesce(k.claimed, 0) as due, coalesce(k.claimed, 0) as claimed, q.scheduled,
       q.oldest_due
from queued q
left join claimed k on k.channel = q.channel

-- name: notifications
-- The notification outbox (webhooks, detractor alerts): queued, due at :now or waiting for a retry.
-- Reads the partial index notification_due.
select count(*) filter (where next_attempt_at <= :now) as due,
       count(*) filter (where next_attempt_at > :now) as scheduled
from notification
where status = 'queued'
