package io.surveycast.consent;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.INVITATION;
import static io.surveycast.db.Tables.SUPPRESSION;

import java.time.Instant;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of email unsubscribes: who a token belongs to, the email suppression, the form-signing secret. */
final class UnsubscribeQueries {

    /** The contact of the invitation with this survey token, with its email suppression reason (null if none). */
    Optional<Subscriber> find(DSLContext dsl, String token) {
        return dsl.select(CONTACT.ID, CONTACT.EMAIL, CONTACT.LOCALE, SUPPRESSION.REASON)
                .from(INVITATION)
                .join(CONTACT).on(CONTACT.ID.eq(INVITATION.CONTACT_ID))
                .leftJoin(SUPPRESSION).on(SUPPRESSION.CONTACT_ID.eq(CONTACT.ID), SUPPRESSION.CHANNEL.eq("email"))
                .where(INVITATION.TOKEN.eq(token))
                .fetchOptional(r -> new Subscriber(r.get(CONTACT.ID), r.get(CONTACT.EMAIL), r.get(CONTACT.LOCALE),
                        r.get(SUPPRESSION.REASON)));
    }

    /** Suppresses email as unsubscribed; a contact already suppressed for any reason stays as it is. */
    void unsubscribe(DSLContext dsl, long contactId, String source, Instant at) {
        Suppressions.suppress(dsl, contactId, "email", "unsubscribed", source, at);
    }

    /** Lifts the email suppression only if the contact's own unsubscribe put it there (never a bounce or complaint). */
    boolean resubscribe(DSLContext dsl, long contactId) {
        return dsl.deleteFrom(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(contactId), SUPPRESSION.CHANNEL.eq("email"),
                        SUPPRESSION.REASON.eq("unsubscribed"))
                .execute() == 1;
    }
}
