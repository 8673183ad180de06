-- name: case-report
-- Measuring the loop (cases report): one row per :group over the cases opened in [:from, :to), as
-- the cases stand at :now. Closed within due is over the cases whose outcome is known: closed by a
-- person, or still open past their due time; a case closed as score_changed was closed by
-- surveycast (its answer left the category), so it counts as closed but not in closed-within-due
-- nor the time to close. Recovery: a case whose answer (as it stands after its 24 hours) is 0-6,
-- and the same contact's next answer to another invitation (another cycle of any campaign: a
-- response is one invitation's answer, a change within 24 h is the same response), received after
-- it; 7-10 is recovered. The lateral finds that answer through invitation_contact_invite (every
-- answered invitation has its invite_at, offline ones too).
with c as (
    select fc.*, cp.key as campaign_key, r.category as answer_category, nxt.score as next_score
    from follow_up_case fc
    join campaign cp on cp.id = fc.campaign_id
    join response r on r.id = fc.response_id
    left join lateral (
        select nr.score
        from invitation ni
        join response nr on nr.invitation_id = ni.id
        where r.category = 'detractor'
          and ni.contact_id = fc.contact_id and ni.invite_at is not null
          and ni.id <> r.invitation_id and nr.received_at > r.received_at
        order by nr.received_at, nr.id
        limit 1
    ) nxt on true
    where fc.opened_at >= :from and fc.opened_at < :to
)
select :group as grp,
       count(*) as opened,
       count(*) filter (where status = 'closed') as closed,
       count(*) filter (where status <> 'closed') as still_open,
       count(*) filter (where status <> 'closed' and due_at <= :now) as overdue,
       count(*) filter (where status = 'closed' and close_reason is distinct from 'score_changed' and closed_at <= due_at) as closed_in_time,
       count(*) filter (where (status = 'closed' and close_reason is distinct from 'score_changed')
                           or (status <> 'closed' and due_at <= :now)) as decided,
       percentile_cont(0.5) within group (order by extract(epoch from first_action_at - opened_at) / 3600.0)
           filter (where first_action_at is not null) as median_hours_to_first_action,
       percentile_cont(0.5) within group (order by extract(epoch from closed_at - opened_at) / 3600.0)
           filter (where status = 'closed' and close_reason is distinct from 'score_changed') as median_hours_to_close,
       count(next_score) as resurveyed,
       count(*) filter (where next_score >= 7) as recovered
from c
group by 1
order by 1

-- name: group-all
-- No grouping: one row.
'all'

-- name: group-owner
-- By owner; unassigned cases as one group.
coalesce(owner, '(unassigned)')

-- name: group-campaign
-- By the campaign's key.
campaign_key

-- name: group-category
-- By the category that opened the case (detractor, passive).
category
