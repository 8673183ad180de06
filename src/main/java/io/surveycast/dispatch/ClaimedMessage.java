package io.surveycast.dispatch;

import java.time.Instant;
import java.util.List;

/**
 * A message this node has claimed, with what sending it needs: the recipient, the invitation's
 * state, and the facts the checks just before sending look at (consent, recent sends).
 */
record ClaimedMessage(
        long id,
        long invitationId,
        long contactId,
        long campaignId,
        String kind,
        int step,
        String channel,
        Instant notBefore,
        int attempts,
        String invitationStatus,
        Instant expiresAt,
        String token,
        String externalId,
        String email,
        String phone,
        String name,
        String locale,
        String zone,
        String attributesJson,
        boolean suppressed,
        boolean responded,
        List<Instant> recentSends,      // this contact's messages sent in the last 7 days, newest first
        Instant lastOtherInviteSent,    // the latest invite of another invitation that went out, or null
        Integer score) {                // the invitation's latest answer, null when none

    /** This message with its invitation's survey token, for one whose token is not stored yet. */
    ClaimedMessage withToken(String derived) {
        return new ClaimedMessage(id, invitationId, contactId, campaignId, kind, step, channel, notBefore, attempts,
                invitationStatus, expiresAt, derived, externalId, email, phone, name, locale, zone, attributesJson,
                suppressed, responded, recentSends, lastOtherInviteSent, score);
    }

    boolean isInvite() {
        return kind.equals("invite");
    }

    /** The promoter follow-up email (issue 14.4): sent after an answer, not a survey request. */
    boolean isPromoterEmail() {
        return kind.equals("promoter");
    }

    String address() {
        return channel.equals("email") ? email : phone;
    }
}
