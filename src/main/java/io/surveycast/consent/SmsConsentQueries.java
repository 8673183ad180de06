package io.surveycast.consent;

import static io.surveycast.db.Tables.SUPPRESSION;

import java.time.Instant;
import java.util.Collection;
import org.jooq.DSLContext;

/** The SQL of SMS consent: suppression rows on the {@code sms} channel. */
final class SmsConsentQueries {

    int suppress(DSLContext dsl, Collection<Long> contactIds, String reason, String source, Instant now) {
        int added = 0;
        for (long contactId : contactIds) {
            added += Suppressions.suppress(dsl, contactId, "sms", reason, source, now);
        }
        return added;
    }

    int liftStop(DSLContext dsl, Collection<Long> contactIds) {
        return dsl.deleteFrom(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.in(contactIds), SUPPRESSION.CHANNEL.eq("sms"), SUPPRESSION.REASON.eq("stop"))
                .execute();
    }
}
