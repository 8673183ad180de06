package io.surveycast.response;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.RESPONSE;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of answers collected elsewhere: their contact and campaign, and the offline invitation each is stored on. */
final class OfflineAnswerQueries {
    static final String CHANNEL = "offline";

    Optional<Long> contactId(DSLContext tx, String externalId) {
        return tx.select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOptional(CONTACT.ID);
    }

    Optional<Long> campaignId(DSLContext tx, String key) {
        return tx.select(CAMPAIGN.ID).from(CAMPAIGN).where(CAMPAIGN.KEY.eq(key)).fetchOptional(CAMPAIGN.ID);
    }

    /** The cycle of an offline invitation: the answer's time, so (campaign, contact, cycle) is the answer's identity. */
    static String cycle(Instant receivedAt) {
        return "offline:" + receivedAt;
    }

    /**
     * The offline invitation of an answer: created (its id), or empty when this contact already has
     * one in this campaign for that time (then {@link #existing} has its answer).
     */
    Optional<Long> createInvitation(DSLContext tx, long campaignId, long contactId, Instant receivedAt, Instant now) {
        OffsetDateTime at = utc(receivedAt);
        return tx.insertInto(INVITATION)
                .set(INVITATION.CAMPAIGN_ID, campaignId)
                .set(INVITATION.CONTACT_ID, contactId)
                .set(INVITATION.CYCLE, cycle(receivedAt))
                .set(INVITATION.CHANNEL, CHANNEL)
                .set(INVITATION.STATUS, "responded")
                .set(INVITATION.TRIGGER_AT, at)
                .set(INVITATION.PLANNED_AT, utc(now))
                .set(INVITATION.INVITE_AT, at)
                .set(INVITATION.SENT_AT, at)
                .set(INVITATION.RESPONDED_AT, at)
                .onConflictDoNothing()
                .returning(INVITATION.ID)
                .fetchOptional(INVITATION.ID);
    }

    /** The answer already stored on the offline invitation of (campaign, contact, time). */
    Optional<Stored> existing(DSLContext tx, long campaignId, long contactId, Instant receivedAt) {
        return tx.select(RESPONSE.ID, RESPONSE.SCORE, RESPONSE.COMMENT, RESPONSE.CHANNEL)
                .from(INVITATION).join(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .where(INVITATION.CAMPAIGN_ID.eq(campaignId), INVITATION.CONTACT_ID.eq(contactId),
                        INVITATION.CYCLE.eq(cycle(receivedAt)))
                .fetchOptional(r -> new Stored(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    record Stored(long responseId, int score, String comment, String channel) {
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
