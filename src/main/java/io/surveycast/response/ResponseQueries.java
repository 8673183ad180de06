package io.surveycast.response;

import static io.surveycast.db.Tables.CAMPAIGN;
import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.RESPONSE;
import static io.surveycast.db.Tables.RESPONSE_HISTORY;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Record;

/** The SQL of responses: finding an invitation, writing an answer and its history, cancelling what it made pointless. */
final class ResponseQueries {

    /** When the invitation was sent; empty when it has not been (yet). */
    Optional<Instant> sentAt(DSLContext dsl, long invitationId) {
        return dsl.select(io.surveycast.db.Tables.INVITATION.SENT_AT).from(io.surveycast.db.Tables.INVITATION)
                .where(io.surveycast.db.Tables.INVITATION.ID.eq(invitationId))
                .fetchOptional(io.surveycast.db.Tables.INVITATION.SENT_AT).map(java.time.OffsetDateTime::toInstant);
    }

    Optional<SurveyInvitation> byToken(DSLContext dsl, String token, boolean lock) {
        return find(dsl, INVITATION.TOKEN.eq(token), lock);
    }

    Optional<SurveyInvitation> byId(DSLContext dsl, long invitationId, boolean lock) {
        return find(dsl, INVITATION.ID.eq(invitationId), lock);
    }

    Optional<SurveyInvitation> byResponse(DSLContext dsl, long responseId) {
        return find(dsl, RESPONSE.ID.eq(responseId), false);
    }

    private Optional<SurveyInvitation> find(DSLContext dsl, Condition which, boolean lock) {
        var query = dsl.select(INVITATION.ID, INVITATION.TOKEN, INVITATION.STATUS, INVITATION.CHANNEL, INVITATION.EXPIRES_AT,
                        INVITATION.CONTACT_ID, CONTACT.EXTERNAL_ID, CONTACT.NAME, CONTACT.EMAIL, CONTACT.LOCALE, CONTACT.ATTRIBUTES.cast(String.class).as("attributes"),
                        CAMPAIGN.ID, CAMPAIGN.DEFINITION.cast(String.class).as("definition"), RESPONSE.ID, RESPONSE.SCORE,
                        RESPONSE.COMMENT, RESPONSE.CHANNEL, RESPONSE.RECEIVED_AT)
                .from(INVITATION)
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .join(CAMPAIGN).on(CAMPAIGN.ID.eq(INVITATION.CAMPAIGN_ID))
                .leftJoin(RESPONSE).on(RESPONSE.INVITATION_ID.eq(INVITATION.ID))
                .where(which);
        Record r = lock ? query.forUpdate().of(INVITATION).fetchOne() : query.fetchOne();
        if (r == null) {
            return Optional.empty();
        }
        return Optional.of(new SurveyInvitation(r.get(INVITATION.ID), r.get(INVITATION.TOKEN), r.get(INVITATION.STATUS),
                r.get(INVITATION.CHANNEL),
                instant(r.get(INVITATION.EXPIRES_AT)), r.get(INVITATION.CONTACT_ID), r.get(CONTACT.EXTERNAL_ID),
                r.get(CONTACT.NAME), r.get(CONTACT.EMAIL),
                r.get(CONTACT.LOCALE), r.get("attributes", String.class), r.get(CAMPAIGN.ID),
                io.surveycast.campaign.CampaignDefinition.stored(r.get("definition", String.class)), r.get(RESPONSE.ID),
                r.get(RESPONSE.SCORE) == null ? null : r.get(RESPONSE.SCORE).intValue(), r.get(RESPONSE.COMMENT),
                r.get(RESPONSE.CHANNEL), instant(r.get(RESPONSE.RECEIVED_AT))));
    }

    long insert(DSLContext dsl, long invitationId, int score, String comment, String channel, Long viaMessageId,
                Instant now) {
        return insert(dsl, invitationId, score, comment, channel, viaMessageId, now, now);
    }

    /**
     * The same, for an answer given at {@code receivedAt} and stored {@code now} (an answer collected
     * elsewhere and imported later).
     */
    long insert(DSLContext dsl, long invitationId, int score, String comment, String channel, Long viaMessageId,
                Instant receivedAt, Instant now) {
        var m = io.surveycast.db.Tables.MESSAGE;
        long id = dsl.insertInto(RESPONSE)
                .set(RESPONSE.INVITATION_ID, invitationId)
                .set(RESPONSE.VIA_MESSAGE_ID, viaMessageId == null ? org.jooq.impl.DSL.inline((Long) null)
                        : org.jooq.impl.DSL.field(org.jooq.impl.DSL.select(m.ID).from(m)
                                .where(m.ID.eq(viaMessageId), m.INVITATION_ID.eq(invitationId))))
                .set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.COMMENT, comment)
                .set(RESPONSE.CHANNEL, channel)
                .set(RESPONSE.RECEIVED_AT, utc(receivedAt))
                .set(RESPONSE.UPDATED_AT, utc(now))
                .returning(RESPONSE.ID)
                .fetchOne(RESPONSE.ID);
        history(dsl, id, score, comment, channel, receivedAt);
        dsl.update(INVITATION)
                .set(INVITATION.STATUS, "responded")
                .set(INVITATION.RESPONDED_AT, utc(receivedAt))
                .where(INVITATION.ID.eq(invitationId))
                .execute();
        return id;
    }

    void update(DSLContext dsl, long responseId, int score, String comment, String channel, Instant now) {
        dsl.update(RESPONSE)
                .set(RESPONSE.SCORE, (short) score)
                .set(RESPONSE.COMMENT, comment)
                .set(RESPONSE.UPDATED_AT, utc(now))
                .where(RESPONSE.ID.eq(responseId))
                .execute();
        history(dsl, responseId, score, comment, channel, now);
    }

    private void history(DSLContext dsl, long responseId, int score, String comment, String channel, Instant now) {
        dsl.insertInto(RESPONSE_HISTORY)
                .set(RESPONSE_HISTORY.RESPONSE_ID, responseId)
                .set(RESPONSE_HISTORY.SCORE, (short) score)
                .set(RESPONSE_HISTORY.COMMENT, comment)
                .set(RESPONSE_HISTORY.CHANNEL, channel)
                .set(RESPONSE_HISTORY.AT, utc(now))
                .execute();
    }

    /** Every message of the invitation still waiting (its reminders): cancelled, the response made them pointless. */
    int cancelPending(DSLContext dsl, long contactId, long invitationId, Instant now) {
        return dsl.update(MESSAGE)
                .set(MESSAGE.STATUS, "cancelled")
                .set(MESSAGE.LAST_ERROR, "responded")
                .set(MESSAGE.HELD_UNTIL, (OffsetDateTime) null)
                .set(MESSAGE.UPDATED_AT, utc(now))
                // by contact first: message_contact is the index that finds them
                .where(MESSAGE.CONTACT_ID.eq(contactId), MESSAGE.INVITATION_ID.eq(invitationId),
                        MESSAGE.STATUS.eq("queued"))
                .execute();
    }

    void notify(DSLContext dsl, long responseId, String kind, String event, String target, String payload, Instant now) {
        NotificationOutbox.queue(dsl, responseId, kind, event, target, payload, now, now).execute();
    }

    /** The same, due {@code at}, unless the response already has a notification of this kind (a unique index keeps one). */
    void notifyOnce(DSLContext dsl, long responseId, String kind, String event, String target, String payload, Instant now,
                    Instant at) {
        NotificationOutbox.queue(dsl, responseId, kind, event, target, payload, at, now).onConflictDoNothing().execute();
    }

    record HistoryEntry(int score, String comment, String channel, Instant at) { }

    java.util.List<HistoryEntry> history(DSLContext dsl, long responseId) {
        return dsl.select(RESPONSE_HISTORY.SCORE, RESPONSE_HISTORY.COMMENT, RESPONSE_HISTORY.CHANNEL, RESPONSE_HISTORY.AT)
                .from(RESPONSE_HISTORY).where(RESPONSE_HISTORY.RESPONSE_ID.eq(responseId))
                .orderBy(RESPONSE_HISTORY.AT, RESPONSE_HISTORY.ID)
                .fetch(r -> new HistoryEntry(r.value1(), r.value2(), r.value3(), r.value4().toInstant()));
    }

    /** A theme as the response page shows it: whether the response has it, and from where (rule, model, manual). */
    record ThemeTag(String key, String label, String source) {
        boolean tagged() {
            return source != null;
        }
    }

    /** Every theme, in key order, with the source of the response's tag (null: not tagged with it). */
    java.util.List<ThemeTag> themes(DSLContext dsl, long responseId) {
        var t = io.surveycast.db.Tables.THEME;
        var rt = io.surveycast.db.Tables.RESPONSE_THEME;
        return dsl.select(t.KEY, t.LABEL, rt.SOURCE).from(t)
                .leftJoin(rt).on(rt.THEME_KEY.eq(t.KEY), rt.RESPONSE_ID.eq(responseId))
                .orderBy(t.KEY)
                .fetch(r -> new ThemeTag(r.value1(), r.value2(), r.value3()));
    }

    /** The sentiment of the response's comment, or null. */
    String sentiment(DSLContext dsl, long responseId) {
        var rs = io.surveycast.db.Tables.RESPONSE_SENTIMENT;
        return dsl.select(rs.SENTIMENT).from(rs).where(rs.RESPONSE_ID.eq(responseId)).fetchOne(rs.SENTIMENT);
    }

    private static Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
