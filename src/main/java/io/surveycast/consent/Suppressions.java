package io.surveycast.consent;

import static io.surveycast.db.Tables.SUPPRESSION;

import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;

/**
 * Suppresses a contact on a channel (the dispatcher and every sender check it before sending):
 * the one insert an unsubscribe, a STOP keyword, a failure that suppresses and a carrier's receipt
 * share. A contact already suppressed on the channel, for this or another reason, stays as it was.
 */
public final class Suppressions {
    private Suppressions() {
    }

    /** Returns 1 when the contact is now suppressed, 0 when it already was. */
    public static int suppress(DSLContext dsl, long contactId, String channel, String reason, String source, Instant at) {
        return dsl.insertInto(SUPPRESSION)
                .set(SUPPRESSION.CONTACT_ID, contactId)
                .set(SUPPRESSION.CHANNEL, channel)
                .set(SUPPRESSION.REASON, reason)
                .set(SUPPRESSION.AT, at.atOffset(ZoneOffset.UTC))
                .set(SUPPRESSION.SOURCE, source)
                .onConflictDoNothing()
                .execute();
    }
}
