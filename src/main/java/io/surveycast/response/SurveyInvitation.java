package io.surveycast.response;

import io.surveycast.campaign.CampaignDefinition;
import java.time.Instant;

/**
 * An invitation as the survey page and the SMS conversation see it: whom it asks, in which
 * campaign's wording, until when, and the answer so far ({@code responseId} null when none).
 */
public record SurveyInvitation(
        long invitationId,
        String token,
        String status,
        String channel,
        Instant expiresAt,
        long contactId,
        String externalId,
        String contactName,
        String contactEmail,
        String locale,
        String attributesJson,
        long campaignId,
        CampaignDefinition campaign,
        Long responseId,
        Integer score,
        String comment,
        String responseChannel,
        Instant receivedAt) {

    public boolean answered() {
        return responseId != null;
    }

    /** Closed to a first answer: expired by status or by date. */
    public boolean expiredAt(Instant now) {
        return status.equals("expired") || (expiresAt != null && !now.isBefore(expiresAt));
    }

    /** An answer may be changed (score or comment) for this long after it was first given. */
    public boolean changeableAt(Instant now) {
        return answered() && now.isBefore(receivedAt.plus(Responses.CHANGE_WINDOW));
    }
}
