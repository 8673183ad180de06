-- name: queue-promoter-emails
-- The promoter follow-up email of a campaign with promoter-email (issue 14.4), queued when it falls
-- due (:after after the first answer) for the invitations whose latest answer is then a promoter's
-- (9-10): email only, if the contact has an address, is not suppressed on email and the weekly
-- message cap allows it within :horizon of its due time, at the next opening of the campaign's send
-- window in the recipient's local time, exactly as reminders are queued (the dispatcher checks it
-- all again when it goes out, the score too). Otherwise it is recorded as a cancelled message with
-- the reason, so it is decided once: the message is unique per invitation and kind, never twice for
-- one response. One exception: a message cancelled because the answer had become a passive's
-- (not_promoter) is queued again when the answer is a promoter's once more (changed back within its
-- 24 hours). Answers due more than :lateness ago are not read: a campaign given promoter-email
-- today does not write to last year's promoters. Fenced with offset 0 as in remind.
with due as (
    select i.id as invitation_id, i.contact_id,
           greatest(r.received_at + cast(:after as interval), :at) as desired_at,
           r.received_at + cast(:after as interval) + cast(:horizon as interval) as horizon_at,
           (contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')))[1] as tz,
           contact_zones(c.timezone, c.phone_zones, c.phone_timezone, coalesce(:campaign_tz, 'UTC')) as zones,
           c.email is not null as reachable,
           exists (select 1 from suppression s where s.contact_id = i.contact_id and s.channel = 'email')
               as suppressed
    from response r
    join invitation i on i.id = r.invitation_id
    join contact c on c.id = i.contact_id
    where i.campaign_id = :campaign_id
      and r.score >= 9
      and r.received_at <= :at - cast(:after as interval)
      and r.received_at > :at - cast(:after as interval) - cast(:lateness as interval)
      and not exists (select 1 from message m
                      where m.invitation_id = i.id and m.kind = 'promoter'
                        and not (m.status = 'cancelled' and m.last_error = 'not_promoter'))
),
:fatigue_window,
r as (
    select w.*,
           case when not w.reachable then 'no_channel'
                when w.suppressed then 'suppressed'
                when w.allowed = 'infinity' or w.allowed >= w.horizon_at then 'fatigue'
                when w.not_before >= w.horizon_at then 'too_late'
           end as reason
    from w
    offset 0
),
ins as (
    insert into message (invitation_id, contact_id, kind, step, channel, status, not_before,
                         last_error, created_at, updated_at)
    select invitation_id, contact_id, 'promoter', 0, 'email',
           case when reason is null then 'queued' else 'cancelled' end,
           coalesce(not_before, :at), reason, :now, :now
    from r
    on conflict (invitation_id, kind, step) do update
        set status = excluded.status, not_before = excluded.not_before, last_error = excluded.last_error,
            attempts = 0, next_attempt_at = null, updated_at = excluded.updated_at
        where message.status = 'cancelled' and message.last_error = 'not_promoter'
    returning status, last_error
)
select status, last_error as reason, count(*) as n from ins group by status, last_error

-- name: count-click
-- One more click on a follow-up link of a response (a counter per response and link, V23).
insert into link_click (response_id, link, clicks, first_at, last_at)
values (:response_id, :link, 1, :now, :now)
on conflict (response_id, link) do update
    set clicks = link_click.clicks + 1, last_at = excluded.last_at

-- name: clicks-by-link
-- A campaign's clicks per follow-up link: every click (scanners' too) and the responses that
-- clicked, all of them and the promoters among them.
select lc.link,
       sum(lc.clicks) as clicks,
       count(*) as responses,
       count(*) filter (where r.score >= 9) as promoter_responses
from link_click lc
join response r on r.id = lc.response_id
join invitation i on i.id = r.invitation_id
where i.campaign_id = :campaign_id
group by lc.link
