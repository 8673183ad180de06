package io.surveycast.consent;

import static io.surveycast.db.Tables.SUPPRESSION;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import org.jooq.DSLContext;

/** The SQL of SMS consent: suppression rows on the {@code sms} channel. */
final class SmsConsentQueries {

    int suppress(DSLContext dsl, Collection<Long> contactIds, String reason, String source, Instant now) {
        int added = 0;
        for (long contactId : contactIds) {
            added += dsl.insertInto(SUPPRESSION)
                    .set(SUPPRESSION.CONTACT_ID, contactId)
                    .set(SUPPRESSION.CHANNEL, "sms")
                    .set(SUPPRESSION.REASON, reason)
                    .set(SUPPRESSION.AT, now.atOffset(ZoneOffset.UTC))
                    .set(SUPPRESSION.SOURCE, source)
                    .onConflictDoNothing() // already suppressed (for this or another reason): kept as it was
                    .execute();
        }
        return added;
    }

    int liftStop(DSLContext dsl, Collection<Long> contactIds) {
        return dsl.deleteFrom(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.in(contactIds), SUPPRESSION.CHANNEL.eq("sms"), SUPPRESSION.REASON.eq("stop"))
                .execute();
    }
}
