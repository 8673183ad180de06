package io.surveycast.event;

import static io.surveycast.db.Tables.CONTACT;
import static io.surveycast.db.Tables.EVENT;

import io.surveycast.config.InvalidInputException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jooq.DSLContext;
import org.jooq.JSONB;

/** Lifecycle events that event-triggered campaigns survey after; idempotent by the sender's event id. */
public final class Events {
    private final DSLContext dsl;
    private final Clock clock;

    /** What happened to one event: stored now, or already known. */
    public enum Outcome { CREATED, DUPLICATE }

    public Events(DSLContext dsl, Clock clock) {
        this.dsl = dsl;
        this.clock = clock;
    }

    /**
     * @throws InvalidInputException when no contact has that external id
     */
    public Outcome record(String eventId, String externalId, String name, Instant occurredAt, String payloadJson) {
        Long contactId = dsl.select(CONTACT.ID).from(CONTACT).where(CONTACT.EXTERNAL_ID.eq(externalId)).fetchOne(CONTACT.ID);
        if (contactId == null) {
            throw new InvalidInputException("external_id: no contact with external_id " + externalId);
        }
        int inserted = dsl.insertInto(EVENT)
                .set(EVENT.EVENT_ID, eventId)
                .set(EVENT.CONTACT_ID, contactId)
                .set(EVENT.NAME, name)
                .set(EVENT.OCCURRED_AT, occurredAt.atOffset(ZoneOffset.UTC))
                .set(EVENT.RECEIVED_AT, clock.instant().atOffset(ZoneOffset.UTC))
                .set(EVENT.PAYLOAD, JSONB.valueOf(payloadJson == null ? "{}" : payloadJson))
                .onConflict(EVENT.EVENT_ID).doNothing()
                .execute();
        return inserted == 1 ? Outcome.CREATED : Outcome.DUPLICATE;
    }
}
