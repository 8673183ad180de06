package io.surveycast.contact;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.SUPPRESSION;

import io.surveycast.db.tables.records.ContactRecord;
import java.util.List;
import java.util.Optional;
import org.jooq.DSLContext;

/** The SQL of single contacts: lookup with suppressions, and the upserts of the API. */
final class ContactQueries {

    Optional<ContactRecord> find(DSLContext dsl, String externalId, boolean lock) {
        var query = dsl.selectFrom(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId));
        return Optional.ofNullable(lock ? query.forUpdate().fetchOne() : query.fetchOne());
    }

    /** Inserts the record unless a contact with its external_id appeared meanwhile; true when inserted. */
    boolean insert(DSLContext tx, ContactRecord contact) {
        return tx.insertInto(CONTACT)
                .set(CONTACT.EXTERNAL_ID, contact.getExternalId())
                .set(CONTACT.EMAIL, contact.getEmail())
                .set(CONTACT.PHONE, contact.getPhone())
                .set(CONTACT.PHONE_TIMEZONE, contact.getPhoneTimezone())
                .set(CONTACT.PHONE_ZONES, contact.getPhoneZones())
                .set(CONTACT.NAME, contact.getName())
                .set(CONTACT.LOCALE, contact.getLocale())
                .set(CONTACT.TIMEZONE, contact.getTimezone())
                .set(CONTACT.ONBOARDED_AT, contact.getOnboardedAt())
                .set(CONTACT.ONBOARDED_ON, contact.getOnboardedOn())
                .set(CONTACT.RENEWAL_DATE, contact.getRenewalDate())
                .set(CONTACT.CHURNED_AT, contact.getChurnedAt())
                .set(CONTACT.ATTRIBUTES, contact.getAttributes())
                .set(CONTACT.CREATED_AT, contact.getCreatedAt())
                .set(CONTACT.UPDATED_AT, contact.getUpdatedAt())
                .onConflict(CONTACT.EXTERNAL_ID).doNothing()
                .execute() == 1;
    }

    void update(DSLContext tx, ContactRecord contact) {
        tx.update(CONTACT)
                .set(CONTACT.EMAIL, contact.getEmail())
                .set(CONTACT.PHONE, contact.getPhone())
                .set(CONTACT.PHONE_TIMEZONE, contact.getPhoneTimezone())
                .set(CONTACT.PHONE_ZONES, contact.getPhoneZones())
                .set(CONTACT.NAME, contact.getName())
                .set(CONTACT.LOCALE, contact.getLocale())
                .set(CONTACT.TIMEZONE, contact.getTimezone())
                .set(CONTACT.ONBOARDED_AT, contact.getOnboardedAt())
                .set(CONTACT.ONBOARDED_ON, contact.getOnboardedOn())
                .set(CONTACT.RENEWAL_DATE, contact.getRenewalDate())
                .set(CONTACT.CHURNED_AT, contact.getChurnedAt())
                .set(CONTACT.ATTRIBUTES, contact.getAttributes())
                .set(CONTACT.UPDATED_AT, contact.getUpdatedAt())
                .where(CONTACT.ID.eq(contact.getId()))
                .execute();
    }

    List<Contacts.Suppression> suppressions(DSLContext dsl, long contactId) {
        return dsl.select(SUPPRESSION.CHANNEL, SUPPRESSION.REASON, SUPPRESSION.AT, SUPPRESSION.SOURCE)
                .from(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(contactId))
                .orderBy(SUPPRESSION.CHANNEL)
                .fetch(r -> new Contacts.Suppression(r.value1(), r.value2(), r.value3().toInstant(), r.value4()));
    }
}
