package io.surveycast.dispatch;

import io.surveycast.campaign.FatiguePolicy;
import io.surveycast.plan.PlanCampaign;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rules checked again just before a message goes out, because the world may have changed
 * since it was planned: consent, the invitation still open, the contact still reachable, the
 * fatigue limits against what was actually sent, and the send window at the real sending time.
 */
final class SendChecks {
    private final FatiguePolicy global;

    SendChecks(FatiguePolicy global) {
        this.global = global;
    }

    Verdict check(ClaimedMessage m, PlanCampaign campaign, Instant now) {
        return check(m, campaign, now, 0);
    }

    /**
     * @param passedInBatch messages to the same contact earlier in the same batch that passed these
     *                      checks (about to go, so counted as sent now in the weekly cap)
     */
    Verdict check(ClaimedMessage m, PlanCampaign campaign, Instant now, int passedInBatch) {
        if (m.suppressed()) {
            return new Verdict.Cancel("suppressed");
        }
        // the promoter follow-up email goes after an answer, so the survey's own state (answered,
        // expired) does not stop it; the answer being a promoter's when it goes out does
        boolean promoterEmail = m.isPromoterEmail();
        if (promoterEmail && (m.score() == null || m.score() < 9)) {
            return new Verdict.Cancel("not_promoter");
        }
        if (promoterEmail && campaign != null && campaign.definition().followUp().promoterEmail() == null) {
            return new Verdict.Cancel("no_promoter_email"); // taken out of the campaign since it was queued
        }
        if (!promoterEmail && (m.responded() || m.invitationStatus().equals("responded"))) {
            return new Verdict.Cancel("responded");
        }
        if (!promoterEmail && (m.invitationStatus().equals("expired")
                || (m.expiresAt() != null && !now.isBefore(m.expiresAt())))) {
            return new Verdict.Cancel("expired");
        }
        if (!promoterEmail && !m.invitationStatus().equals("planned") && !m.invitationStatus().equals("sent")
                && !m.invitationStatus().equals("delivered")) {
            return new Verdict.Cancel(m.invitationStatus());
        }
        if (m.address() == null) {
            return new Verdict.Cancel("no_channel");
        }
        if (campaign == null) {
            return new Verdict.Cancel("no_campaign");
        }
        FatiguePolicy limits = campaign.fatigue(global);
        if (m.isInvite() && m.lastOtherInviteSent() != null
                && m.lastOtherInviteSent().isAfter(now.minus(Duration.ofDays(limits.minDaysBetweenSurveys())))) {
            return new Verdict.Cancel("fatigue");
        }
        Instant earliest = now;
        String reason = null;
        List<Instant> sends = new ArrayList<>(m.recentSends());
        for (int k = 0; k < passedInBatch; k++) {
            sends.add(now);
        }
        sends.sort(Comparator.reverseOrder());
        if (sends.size() >= limits.maxMessagesPerWeek()) {
            // the cap frees up when the oldest of the last N sends leaves the 7-day window
            earliest = sends.get(limits.maxMessagesPerWeek() - 1).plus(Duration.ofDays(7));
            reason = "fatigue";
        }
        SendWindowClock window = SendWindowClock.of(campaign.definition().sendWindow(), m.channel());
        List<ZoneId> zones = zones(m.zone());
        Instant opening = window.nextInAll(earliest, zones);
        if (opening == null && m.channel().equals("sms")) {
            // the zones the number may be in have no common hour between 08:00 and 21:00: never at a guess
            return new Verdict.Cancel("quiet_hours");
        }
        if (opening == null) {
            opening = window.next(earliest, zones.get(0)); // email: the first zone's window
        }
        if (opening.isAfter(earliest)) {
            earliest = opening;
            reason = reason != null ? reason : quietHours(campaign, m, earliest) ? "quiet_hours" : "send_window";
        }
        if (reason == null) {
            return new Verdict.Send();
        }
        if (!promoterEmail && m.expiresAt() != null && !earliest.isBefore(m.expiresAt())) {
            return new Verdict.Cancel(reason.equals("fatigue") ? "fatigue" : "expired");
        }
        return new Verdict.Defer(earliest, reason);
    }

    private static boolean quietHours(PlanCampaign campaign, ClaimedMessage m, Instant opening) {
        if (!m.channel().equals("sms")) {
            return false;
        }
        // quiet hours, not the campaign's window, decided the wait when the campaign's window alone would allow now
        SendWindowClock campaignOnly = SendWindowClock.of(campaign.definition().sendWindow(), "email");
        return campaignOnly.next(m.notBefore(), zones(m.zone()).get(0)).isBefore(opening);
    }

    /** The recipient's candidate zones (comma-separated ids, from the zone chain); UTC when none is readable. */
    private static List<ZoneId> zones(String ids) {
        List<ZoneId> zones = new ArrayList<>();
        for (String id : ids == null ? new String[0] : ids.split(",")) {
            try {
                zones.add(ZoneId.of(id));
            } catch (java.time.DateTimeException e) {
                // an unknown zone id is left out
            }
        }
        return zones.isEmpty() ? List.of(ZoneOffset.UTC) : zones;
    }
}
