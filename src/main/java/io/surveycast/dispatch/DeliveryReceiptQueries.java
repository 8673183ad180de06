package io.surveycast.dispatch;

import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.MESSAGE;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;

/** The SQL of delivery receipts: a message found by its provider id, moved forward from {@code sent} only. */
final class DeliveryReceiptQueries {

    /** A message a provider accepted. */
    record Sent(long id, long invitationId, long contactId, String kind) {
        boolean isInvite() {
            return kind.equals("invite");
        }
    }

    Optional<Sent> lockByProviderId(DSLContext dsl, String providerId) {
        return dsl.select(MESSAGE.ID, MESSAGE.INVITATION_ID, MESSAGE.CONTACT_ID, MESSAGE.KIND)
                .from(MESSAGE)
                .where(MESSAGE.PROVIDER_ID.eq(providerId), MESSAGE.CHANNEL.eq("sms"))
                .orderBy(MESSAGE.ID.desc())
                .limit(1)
                .forUpdate()
                .fetchOptional(r -> new Sent(r.value1(), r.value2(), r.value3(), r.value4()));
    }

    /** {@code sent} -> {@code delivered}, the invitation too for its invite; false when the message was not {@code sent}. */
    boolean delivered(DSLContext dsl, Sent m, Instant now) {
        return fromSent(dsl, m, "delivered", MESSAGE.DELIVERED_AT, utc(now), now);
    }

    /** {@code sent} -> {@code failed}, the invitation too for its invite; false when the message was not {@code sent}. */
    boolean failed(DSLContext dsl, Sent m, String error, Instant now) {
        return fromSent(dsl, m, "failed", MESSAGE.LAST_ERROR, error, now);
    }

    /** {@code sent} -> {@code status} with {@code field} set to {@code value}, and the invite's invitation alike. */
    private static <T> boolean fromSent(DSLContext dsl, Sent m, String status, Field<T> field, T value, Instant now) {
        int changed = dsl.update(MESSAGE)
                .set(MESSAGE.STATUS, status)
                .set(field, value)
                .set(MESSAGE.UPDATED_AT, utc(now))
                .where(MESSAGE.ID.eq(m.id()), MESSAGE.STATUS.eq("sent"))
                .execute();
        if (changed > 0 && m.isInvite()) {
            dsl.update(INVITATION)
                    .set(INVITATION.STATUS, status)
                    .where(INVITATION.ID.eq(m.invitationId()), INVITATION.STATUS.eq("sent"))
                    .execute();
        }
        return changed > 0;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
