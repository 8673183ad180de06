-- name: contact-cases
-- A contact's follow-up cases, oldest first.
select fc.id, fc.response_id, cp.key as campaign, fc.category, fc.owner, fc.status, fc.opened_at, fc.due_at,
       fc.first_action_at, fc.closed_at, fc.close_reason
from follow_up_case fc
join campaign cp on cp.id = fc.campaign_id
where fc.contact_id = :contact
order by fc.opened_at, fc.id

-- name: case-notes
-- The notes of the cases :cases (an array of ids), oldest first: one statement for all of them.
select n.case_id, n.author, n.at, n.text
from case_note n
where n.case_id = any(:cases)
order by n.at, n.id

-- name: account-contacts
-- The contacts of an account: those whose attributes contain :match ({"<attribute>": "<id>"}),
-- found through the GIN index contact_attributes (V27) whatever the attribute is called.
select c.id, c.external_id, c.name
from contact c
where c.attributes @> :match
order by lower(coalesce(c.name, c.external_id)), c.external_id

-- name: account-answers
-- Every answer of an account's contacts received in [:from, :to), for the period's NPS and the
-- quarters' trend (the latest answer of each contact is chosen in Java, per period).
select c.id as contact_id, r.id as response_id, r.score, r.received_at, cp.key as campaign
from contact c
join invitation i on i.contact_id = c.id
join campaign cp on cp.id = i.campaign_id
join response r on r.invitation_id = i.id
where c.attributes @> :match and r.received_at >= :from and r.received_at < :to

-- name: account-open-cases
-- The cases of an account's contacts that are not closed, the soonest due first (overdue first).
select fc.id, c.external_id, c.name, cp.key as campaign, fc.category, fc.owner, fc.status, fc.opened_at, fc.due_at
from contact c
join follow_up_case fc on fc.contact_id = c.id
join campaign cp on cp.id = fc.campaign_id
where c.attributes @> :match and fc.status <> 'closed'
order by fc.due_at, fc.id
