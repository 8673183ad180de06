package io.surveycast.channel.email;

import static io.surveycast.db.Tables.INBOUND_MAIL;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;
import static io.surveycast.db.Tables.SUPPRESSION;
import static org.jooq.impl.DSL.countDistinct;
import static org.jooq.impl.DSL.max;
import static org.jooq.impl.DSL.select;

import io.surveycast.db.tables.Message;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;

/** The SQL of the bounce mailbox: which message a report is about, what is recorded and changed for it. */
final class BounceQueries {

    record SentMessage(long id, long invitationId, long contactId, String kind) {
    }

    /** Ours: {@code <m123.i45@domain>}, with the message id first (see MessageRenderer.messageId). */
    private static final java.util.regex.Pattern OUR_MESSAGE_ID = java.util.regex.Pattern.compile("<m(\\d{1,18})\\.i\\d{1,18}@[^>]+>");

    /**
     * Our email whose Message-ID is {@code messageIdHeader} (stored as its provider id when sent),
     * found by the message id it carries.
     */
    Optional<SentMessage> findMessage(DSLContext dsl, String messageIdHeader) {
        var ours = messageIdHeader == null ? null : OUR_MESSAGE_ID.matcher(messageIdHeader.strip());
        if (ours == null || !ours.matches()) {
            return Optional.empty();
        }
        return dsl.select(MESSAGE.ID, MESSAGE.INVITATION_ID, MESSAGE.CONTACT_ID, MESSAGE.KIND)
                .from(MESSAGE)
                .where(MESSAGE.ID.eq(Long.parseLong(ours.group(1))), MESSAGE.PROVIDER_ID.eq(messageIdHeader.strip()),
                        MESSAGE.CHANNEL.eq("email"))
                .limit(1)
                .fetchOptional(r -> new SentMessage(r.get(MESSAGE.ID), r.get(MESSAGE.INVITATION_ID),
                        r.get(MESSAGE.CONTACT_ID), r.get(MESSAGE.KIND)));
    }

    /** Records a mail of the mailbox; false when a mail with that key was recorded before (nothing more to do). */
    boolean record(DSLContext dsl, String mailKey, String kind, Long messageId, Long contactId, String status,
                   String detail, Instant at) {
        return dsl.insertInto(INBOUND_MAIL)
                .set(INBOUND_MAIL.MAIL_KEY, mailKey)
                .set(INBOUND_MAIL.KIND, kind)
                .set(INBOUND_MAIL.MESSAGE_ID, messageId)
                .set(INBOUND_MAIL.CONTACT_ID, contactId)
                .set(INBOUND_MAIL.STATUS, status)
                .set(INBOUND_MAIL.DETAIL, detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) : detail)
                .set(INBOUND_MAIL.RECEIVED_AT, utc(at))
                .onConflict(INBOUND_MAIL.MAIL_KEY).doNothing()
                .execute() == 1;
    }

    /** A message that was sent (or delivered) is bounced; for the invite, its invitation fails if it was sent. */
    void markBounced(DSLContext dsl, SentMessage m, String error, Instant at) {
        int changed = dsl.update(MESSAGE)
                .set(MESSAGE.STATUS, "bounced")
                .set(MESSAGE.LAST_ERROR, error)
                .set(MESSAGE.UPDATED_AT, utc(at))
                .where(MESSAGE.ID.eq(m.id()), MESSAGE.STATUS.in("sent", "delivered"))
                .execute();
        if (changed == 1 && m.kind().equals("invite")) {
            dsl.update(INVITATION).set(INVITATION.STATUS, "failed")
                    .where(INVITATION.ID.eq(m.invitationId()), INVITATION.STATUS.eq("sent"))
                    .execute();
        }
    }

    /**
     * Suppresses email for the contact; a bounce or complaint replaces an earlier unsubscribe (which
     * the contact could undo) but never another bounce or complaint.
     */
    void suppress(DSLContext dsl, long contactId, String reason, String source, Instant at) {
        dsl.insertInto(SUPPRESSION)
                .set(SUPPRESSION.CONTACT_ID, contactId)
                .set(SUPPRESSION.CHANNEL, "email")
                .set(SUPPRESSION.REASON, reason)
                .set(SUPPRESSION.AT, utc(at))
                .set(SUPPRESSION.SOURCE, source)
                .onConflict(SUPPRESSION.CONTACT_ID, SUPPRESSION.CHANNEL).doUpdate()
                .set(SUPPRESSION.REASON, reason)
                .set(SUPPRESSION.AT, utc(at))
                .set(SUPPRESSION.SOURCE, source)
                .where(SUPPRESSION.REASON.eq("unsubscribed"))
                .execute();
    }

    /**
     * Soft bounces in a row for the contact: the distinct messages that soft-bounced and were sent
     * after the last email of the contact that went out and did not bounce before the latest of them.
     * (An email sent after the latest soft-bounced one may still bounce, so it does not break the row.)
     */
    int softBouncesInARow(DSLContext dsl, long contactId) {
        Message bounced = MESSAGE.as("bounced");
        Message ok = MESSAGE.as("ok");
        Field<OffsetDateTime> latestSoft = select(max(bounced.SENT_AT))
                .from(INBOUND_MAIL).join(bounced).on(bounced.ID.eq(INBOUND_MAIL.MESSAGE_ID))
                .where(INBOUND_MAIL.CONTACT_ID.eq(contactId), INBOUND_MAIL.KIND.eq("soft_bounce"))
                .asField();
        Field<OffsetDateTime> lastGood = select(max(ok.SENT_AT)).from(ok)
                .where(ok.CONTACT_ID.eq(contactId), ok.CHANNEL.eq("email"), ok.STATUS.in("sent", "delivered"),
                        ok.SENT_AT.lt(latestSoft))
                .asField();
        Field<Integer> inARow = countDistinct(INBOUND_MAIL.MESSAGE_ID);
        return dsl.select(inARow)
                .from(INBOUND_MAIL).join(MESSAGE).on(MESSAGE.ID.eq(INBOUND_MAIL.MESSAGE_ID))
                .where(INBOUND_MAIL.CONTACT_ID.eq(contactId), INBOUND_MAIL.KIND.eq("soft_bounce"),
                        lastGood.isNull().or(MESSAGE.SENT_AT.gt(lastGood)))
                .fetchOne(inARow);
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
