-- Answers collected elsewhere (issue 15.3: `responses import`, POST /api/responses).
--
-- An imported answer is stored like any other: a response row (so theme tagging, notifications and
-- whatever else follows a stored answer picks it up) on an invitation of its own. That invitation
-- says what happened, no more: channel 'offline' (no email or SMS was sent by us, so it has no
-- token and no message), status 'responded', cycle 'offline:<received_at, UTC ISO-8601>' (so the
-- same answer, for the same contact, campaign and time, imported twice hits the invitation's
-- unique key and is found unchanged), and invite_at = sent_at = responded_at = received_at: the
-- moment the question was put and answered. sent_at places the answer on its day in reports (and
-- the V10 roll-ups mark that day); reports leave these invitations out of invited, delivered, the
-- response rate, the reminder lift and the time to answer, and count their answers in responded,
-- NPS and the 0-10 distribution. invite_at counts the answer in the fatigue rules: someone just
-- asked by phone is not asked again by email within the minimum gap.
alter table invitation drop constraint invitation_channel_check;
alter table invitation add constraint invitation_channel_check check (channel in ('email', 'sms', 'offline'));

-- How the answer was collected, as the import file says (default offline).
alter table response drop constraint response_channel_check;
alter table response add constraint response_channel_check
    check (channel in ('email', 'sms', 'web', 'offline', 'phone', 'in-person'));
