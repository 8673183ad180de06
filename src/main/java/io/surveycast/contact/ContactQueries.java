package io.surveycast.contact;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.SUPPRESSION;

import io.surveycast.db.tables.records.ContactRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.TableField;

/** The SQL of single contacts: lookup with suppressions, and the upserts of the API. */
final class ContactQueries {
    /** The columns an insert and an update both write from the record (not the key, not created_at). */
    private static final List<TableField<ContactRecord, ?>> WRITTEN = List.of(CONTACT.EMAIL, CONTACT.PHONE,
            CONTACT.PHONE_TIMEZONE, CONTACT.PHONE_ZONES, CONTACT.NAME, CONTACT.LOCALE, CONTACT.TIMEZONE,
            CONTACT.ONBOARDED_AT, CONTACT.ONBOARDED_ON, CONTACT.RENEWAL_DATE, CONTACT.CHURNED_AT, CONTACT.ATTRIBUTES,
            CONTACT.UPDATED_AT);

    Optional<ContactRecord> find(DSLContext dsl, String externalId, boolean lock) {
        var query = dsl.selectFrom(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId));
        return Optional.ofNullable(lock ? query.forUpdate().fetchOne() : query.fetchOne());
    }

    /** Inserts the record unless a contact with its external_id appeared meanwhile; true when inserted. */
    boolean insert(DSLContext tx, ContactRecord contact) {
        return tx.insertInto(CONTACT)
                .set(CONTACT.EXTERNAL_ID, contact.getExternalId())
                .set(written(contact))
                .set(CONTACT.CREATED_AT, contact.getCreatedAt())
                .onConflict(CONTACT.EXTERNAL_ID).doNothing()
                .execute() == 1;
    }

    void update(DSLContext tx, ContactRecord contact) {
        tx.update(CONTACT)
                .set(written(contact))
                .where(CONTACT.ID.eq(contact.getId()))
                .execute();
    }

    private static Map<Field<?>, Object> written(ContactRecord contact) {
        Map<Field<?>, Object> values = new LinkedHashMap<>();
        WRITTEN.forEach(field -> values.put(field, contact.get(field)));
        return values;
    }

    List<Contacts.Suppression> suppressions(DSLContext dsl, long contactId) {
        return dsl.select(SUPPRESSION.CHANNEL, SUPPRESSION.REASON, SUPPRESSION.AT, SUPPRESSION.SOURCE)
                .from(SUPPRESSION)
                .where(SUPPRESSION.CONTACT_ID.eq(contactId))
                .orderBy(SUPPRESSION.CHANNEL)
                .fetch(r -> new Contacts.Suppression(r.value1(), r.value2(), r.value3().toInstant(), r.value4()));
    }
}
