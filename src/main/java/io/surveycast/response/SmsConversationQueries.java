package io.surveycast.response;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SMS_CONVERSATION;
import static io.surveycast.db.Tables.SMS_INBOUND;
import static io.surveycast.db.Tables.SUPPRESSION;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Record1;

/** The SQL of the SMS conversation: who is texting, about which invitation, where the conversation stands, the log. */
final class SmsConversationQueries {

    /** A contact with the sender's number. */
    record Sender(long contactId, String locale) { }

    /** Where a conversation stands; {@code whyAskedAt} set once the score is in. */
    record State(String state, Instant whyAskedAt) { }

    /** Logs a received text; empty when a text with this Twilio MessageSid was logged before. */
    Optional<Long> logInbound(DSLContext dsl, String messageSid, String from, String body, Instant now) {
        return dsl.insertInto(SMS_INBOUND)
                .set(SMS_INBOUND.MESSAGE_SID, messageSid)
                .set(SMS_INBOUND.FROM_NUMBER, from)
                .set(SMS_INBOUND.BODY, body)
                .set(SMS_INBOUND.HANDLED_AS, "received")
                .set(SMS_INBOUND.RECEIVED_AT, utc(now))
                .onConflict(SMS_INBOUND.MESSAGE_SID).doNothing()
                .returning(SMS_INBOUND.ID)
                .fetchOptional(SMS_INBOUND.ID);
    }

    /** What we answered to the text with this MessageSid (null: nothing). */
    String replyTo(DSLContext dsl, String messageSid) {
        return dsl.select(SMS_INBOUND.REPLY).from(SMS_INBOUND).where(SMS_INBOUND.MESSAGE_SID.eq(messageSid))
                .fetchOne(SMS_INBOUND.REPLY);
    }

    void handled(DSLContext dsl, long inboundId, Long contactId, Long invitationId, String handledAs, String reply) {
        dsl.update(SMS_INBOUND)
                .set(SMS_INBOUND.CONTACT_ID, contactId)
                .set(SMS_INBOUND.INVITATION_ID, invitationId)
                .set(SMS_INBOUND.HANDLED_AS, handledAs)
                .set(SMS_INBOUND.REPLY, reply)
                .where(SMS_INBOUND.ID.eq(inboundId))
                .execute();
    }

    List<Sender> senders(DSLContext dsl, String phone) {
        return dsl.select(CONTACT.ID, CONTACT.LOCALE).from(CONTACT).where(CONTACT.PHONE.eq(phone)).orderBy(CONTACT.ID)
                .fetch(r -> new Sender(r.value1(), r.value2()));
    }

    /**
     * The invitation whose SMS (invite or reminder) one of these contacts received last: what a
     * reply from their number answers.
     */
    Optional<Long> latestSmsInvitation(DSLContext dsl, Collection<Long> contactIds) {
        return dsl.select(MESSAGE.INVITATION_ID).from(MESSAGE)
                .where(MESSAGE.CONTACT_ID.in(contactIds), MESSAGE.CHANNEL.eq("sms"), MESSAGE.STATUS.in("sent", "delivered"))
                .orderBy(MESSAGE.SENT_AT.desc().nullsLast(), MESSAGE.ID.desc())
                .limit(1)
                .fetchOptional(Record1::value1);
    }

    /** Holds the invitation for this transaction: two texts from one person are handled one after the other. */
    void lock(DSLContext dsl, long invitationId) {
        dsl.select(INVITATION.ID).from(INVITATION).where(INVITATION.ID.eq(invitationId)).forUpdate().execute();
    }

    boolean smsSuppressed(DSLContext dsl, long contactId) {
        return dsl.fetchExists(SUPPRESSION, SUPPRESSION.CONTACT_ID.eq(contactId), SUPPRESSION.CHANNEL.eq("sms"));
    }

    Optional<State> state(DSLContext dsl, long invitationId) {
        return dsl.select(SMS_CONVERSATION.STATE, SMS_CONVERSATION.WHY_ASKED_AT).from(SMS_CONVERSATION)
                .where(SMS_CONVERSATION.INVITATION_ID.eq(invitationId))
                .fetchOptional(r -> new State(r.value1(), r.value2() == null ? null : r.value2().toInstant()));
    }

    void save(DSLContext dsl, long invitationId, String state, Instant whyAskedAt, Instant now) {
        OffsetDateTime why = whyAskedAt == null ? null : utc(whyAskedAt);
        dsl.insertInto(SMS_CONVERSATION)
                .set(SMS_CONVERSATION.INVITATION_ID, invitationId)
                .set(SMS_CONVERSATION.STATE, state)
                .set(SMS_CONVERSATION.WHY_ASKED_AT, why)
                .set(SMS_CONVERSATION.UPDATED_AT, utc(now))
                .onConflict(SMS_CONVERSATION.INVITATION_ID).doUpdate()
                .set(SMS_CONVERSATION.STATE, state)
                .set(SMS_CONVERSATION.WHY_ASKED_AT, why)
                .set(SMS_CONVERSATION.UPDATED_AT, utc(now))
                .execute();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
